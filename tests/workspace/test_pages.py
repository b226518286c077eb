"""The first pages: sign-in, dashboard, caseload and the case page (scoped, searchable, audited)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


def test_pages_require_sign_in(client):
    for url in ("/", "/supervisees/", "/supervisees/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sign_in_page_and_session_sign_in_is_audited(client, officer, password):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": officer.username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/"
    assert AuditEvent.objects.filter(action="sign_in", actor=officer).count() == 1


def test_wrong_password_says_so_and_keeps_the_username(client, officer):
    response = client.post("/accounts/login/", {"username": officer.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{officer.username}"' in html and 'class="error-summary"' in html


def test_caseload_shows_only_the_office_cases_and_searches(client, officer, office, other_office):
    mine = SuperviseeFactory(justice_office=office, name="周大山")
    theirs = SuperviseeFactory(justice_office=other_office, name="吴小河")
    client.force_login(officer)
    html = client.get("/supervisees/").content.decode()
    assert mine.name in html and theirs.name not in html
    html = client.get("/supervisees/", {"q": "小河"}).content.decode()
    assert theirs.name not in html
    assert client.get("/supervisees/", {"q": "大山"}).context["page"].paginator.count == 1
    assert AuditEvent.objects.filter(action="search").count() == 2


@pytest.mark.parametrize("rows", [3, 40])
def test_caseload_runs_a_fixed_number_of_queries(client, officer, office, django_assert_num_queries, rows):
    for _ in range(rows):
        SuperviseeFactory(justice_office=office, officer=officer)
    client.force_login(officer)
    # session, user, the user's agency (page header), the reporting rules in force (urgency colours),
    # count, the page's rows with sentence, office and officer joined (their ids chosen in the same query,
    # config.paging), the offices and the officers to filter by (one query): the same seven whatever the
    # number of rows, sorted by the next report due too (computed in the rows' query, never per row).
    # Seven, not nine: the page shows no prohibition orders (no longer fetched), and the offices and the
    # officers to filter by are one UNION (corrections.selectors.caseload_filter_choices).
    with django_assert_num_queries(7):
        response = client.get("/supervisees/")
    assert len(response.context["page"].object_list) == rows
    with django_assert_num_queries(7):
        response = client.get(
            "/supervisees/", {"sort": "next_due", "due": "overdue", "officer": officer.username}
        )
    assert len(response.context["page"].object_list) == rows
    assert len(response.context["page"].object_list) == rows


def test_case_page_is_audited_and_another_office_gets_404(client, officer, other_office_officer, office):
    supervisee = SuperviseeFactory(justice_office=office)
    url = reverse("supervisee-detail", args=[supervisee.pk])
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and supervisee.name in response.content.decode()
    assert AuditEvent.objects.filter(action="view", supervisee_id=supervisee.pk).count() == 1
    client.force_login(other_office_officer)
    assert client.get(url).status_code == 404


def test_procurator_sees_the_case_read_only(client, procurator, office):
    supervisee = SuperviseeFactory(justice_office=office)
    client.force_login(procurator)
    response = client.get(reverse("supervisee-detail", args=[supervisee.pk]))
    assert response.status_code == 200 and response.context["can_edit"] is False


def test_admin_lists_and_searches_cases_read_only_and_audits_opening_one(client, office):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="t_admin", role="", agency=None, is_staff=True, is_superuser=True)
    supervisee = SuperviseeFactory(justice_office=office, name="郑成功")
    client.force_login(admin_user)
    listing = client.get(
        "/admin/corrections/supervisee/", {"q": "成功", "status__exact": "under_supervision"}
    )
    assert listing.status_code == 200 and "郑成功" in listing.content.decode()
    page = client.get(f"/admin/corrections/supervisee/{supervisee.pk}/change/")
    assert (
        page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    )
    assert (
        AuditEvent.objects.filter(action="view", supervisee_id=supervisee.pk, actor=admin_user).count() == 1
    )
    for model in ("accounts/agency", "accounts/user", "accounts/auditevent", "corrections/sentence"):
        assert client.get(f"/admin/{model}/", {"q": "x"}).status_code == 200, model


def test_caseload_opens_on_open_cases_and_can_show_closed_ones(client, officer, office):
    import datetime as dt

    open_case = SuperviseeFactory(justice_office=office, name="开放案")
    closed = SuperviseeFactory(
        justice_office=office,
        name="已结案",
        status="terminated",
        exit_date=dt.date(2026, 3, 1),
        exit_reason="pardoned",
    )
    client.force_login(officer)
    shown = {s.pk for s in client.get("/supervisees/").context["page"].object_list}
    assert shown == {open_case.pk}
    shown = {s.pk for s in client.get("/supervisees/", {"status": "all"}).context["page"].object_list}
    assert shown == {open_case.pk, closed.pk}
    shown = {s.pk for s in client.get("/supervisees/", {"status": "terminated"}).context["page"].object_list}
    assert shown == {closed.pk}


def test_urgency_follows_the_reporting_rules_in_force(client, officer, office):
    from config.office_time import office_today
    from supervision.models import ReportingRule
    from tests.factories import CheckInFactory

    case = SuperviseeFactory(justice_office=office, management_level="normal")
    CheckInFactory(supervisee=case, kind="phone", on=office_today() - dt.timedelta(days=10))
    client.force_login(officer)
    assert (
        'class="days ok"><span class="icon" aria-hidden="true">✓</span> due in 4 days'
        in client.get("/supervisees/").content.decode()
    )  # 10 of 14 days
    ReportingRule.objects.create(
        management_level="normal",
        duty="report",
        every_days=7,
        qualifying_kinds=["in_person", "phone"],
        effective_from=dt.date(2026, 1, 1),
    )
    assert (
        'class="days overdue"><span class="icon" aria-hidden="true">⚠</span> overdue by 3 days'
        in client.get("/supervisees/").content.decode()
    )
    ReportingRule.objects.create(
        management_level="normal",
        duty="report",
        every_days=7,
        qualifying_kinds=["in_person"],
        effective_from=dt.date(2026, 2, 1),
    )
    # A phone report does not count any more: the next report was due 7 days after intake.
    due = case.intake_date + dt.timedelta(days=7)
    assert f'<time datetime="{due:%Y-%m-%d}">' in client.get("/supervisees/").content.decode()


def test_chinese_names_read_family_name_first(officer):
    officer.first_name, officer.last_name = "立新", "孙"
    assert officer.get_full_name() == "孙立新"
    officer.first_name, officer.last_name = "Ada", "Lovelace"
    assert officer.get_full_name() == "Ada Lovelace"


def test_caseload_sorts_and_filters_by_next_due_level_office_and_officer(
    client, supervisor, officer, colleague, office, other_office
):
    # Issue 13 (triage). Strict cases report every 7 days, normal every 14 (the default rules), from
    # intake when nothing was reported: intake sets the next report due.
    today = timezone.localdate()
    late = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        name="甲",
        management_level="strict",
        intake_date=today - dt.timedelta(days=20),
    )  # due 13 days ago
    soon = SuperviseeFactory(
        justice_office=office,
        officer=colleague,
        name="乙",
        management_level="normal",
        intake_date=today - dt.timedelta(days=13),
    )  # due tomorrow
    later = SuperviseeFactory(
        justice_office=other_office,
        name="丙",
        management_level="normal",
        intake_date=today - dt.timedelta(days=2),
    )  # due in 12 days, no officer
    client.force_login(supervisor)

    def names(**query):
        response = client.get("/supervisees/", query)
        assert response.status_code == 200
        return [s.name for s in response.context["page"].object_list]

    assert names(sort="next_due") == ["甲", "乙", "丙"]
    assert names(sort="-next_due") == ["丙", "乙", "甲"]
    assert names(sort="management_level") == ["甲", "丙", "乙"]  # strict before normal, then by name
    assert names(due="overdue") == ["甲"] and names(due="due") == ["乙"] and names(due="ok") == ["丙"]
    assert names(officer=colleague.username) == ["乙"]
    assert names(justice_office=other_office.pk) == ["丙"]
    assert names(management_level="normal", sort="next_due") == ["乙", "丙"]
    assert client.get("/supervisees/", {"sort": "shoe_size"}).status_code == 400
    html = client.get("/supervisees/", {"sort": "next_due"}).content.decode()
    # The office and officer columns, and the urgency in words and an icon.
    assert office.name in html and (officer.get_full_name() or officer.username) in html
    assert "No officer assigned" in html and 'aria-sort="ascending"' in html
    assert "overdue by 13 days" in html and later.case_number in html and soon.case_number in html
    assert late.case_number in html
    zh = client.get("/supervisees/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "全部责任人" in zh and "未分配工作人员" in zh
