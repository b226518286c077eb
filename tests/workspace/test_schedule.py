"""The reporting schedule (`/schedule/`), the sign-in sheet and the morning digest: every day they show
is the reporting duty's (supervision.duties), driven from check-ins, and each read stays in scope.

The clock is the suite's: Wednesday 2026-11-25 (the week of Monday 2026-11-23)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import AuditEvent
from supervision.duties import next_report_due, with_next_home_visit_due
from tests.factories import CheckInFactory, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def week_cases(office, officer):
    """Cases of the officer due on several days of this week, one overdue from before it, one due next
    week, one home visit due this week; all from check-ins (intake 2026-01-15)."""

    def case(name, level, *checkins):
        made = SuperviseeFactory(justice_office=office, officer=officer, name=name, management_level=level)
        for kind, day in checkins:
            CheckInFactory(supervisee=made, kind=kind, on=day)
        return made

    return {
        # normal: every 14 days after an in-person report on 11-09: due Monday 11-23 (overdue now).
        "monday": case("周一", "normal", ("in_person", dt.date(2026, 11, 9))),
        # strict: 7 days after 11-18: due today, Wednesday 11-25.
        "today": case("周三", "strict", ("in_person", dt.date(2026, 11, 18))),
        # strict: 7 days after 11-20: Friday 11-27; a home visit on 10-26 is due 30 days later, today.
        "friday": case(
            "周五", "strict", ("in_person", dt.date(2026, 11, 20)), ("home_visit", dt.date(2026, 10, 26))
        ),
        # lenient: 30 days after a phone report on 10-29: Saturday 11-28.
        "saturday": case("周六", "lenient", ("phone", dt.date(2026, 10, 29))),
        # strict: 7 days after 11-01: 11-08, overdue from before this week.
        "overdue": case("逾期", "strict", ("in_person", dt.date(2026, 11, 1))),
        # normal: 14 days after 11-24: 12-08, the week after next.
        "later": case("以后", "normal", ("video", dt.date(2026, 11, 24))),
    }


def _listed(response) -> dict[dt.date, set[tuple[int, str]]]:
    return {
        day["day"]: {(entry["case"].pk, entry["duty"]) for entry in day["entries"]}
        for day in response.context["days"]
    }


def test_the_officers_week_view_lists_the_cases_due_each_day_matching_next_report_due(
    client, officer, week_cases, today
):
    client.force_login(officer)
    response = client.get("/schedule/")
    assert response.status_code == 200
    assert response.context["monday"] == MONDAY
    listed = _listed(response)
    assert list(listed) == [MONDAY + dt.timedelta(days=n) for n in range(7)]

    # The oracle: the duty's own answer for each case, one at a time (next_report_due, as the case
    # header reads it).
    expected: dict[dt.date, set] = {day: set() for day in listed}
    for case in week_cases.values():
        due = next_report_due(case, on=today)
        if MONDAY <= due <= MONDAY + dt.timedelta(days=6):
            expected[due].add((case.pk, "report"))
    visits = with_next_home_visit_due(
        type(week_cases["friday"]).objects.filter(pk__in=[c.pk for c in week_cases.values()]), on=today
    ).values_list("pk", "next_home_visit_due")
    for pk, due in visits:
        if MONDAY <= due <= MONDAY + dt.timedelta(days=6):
            expected[due].add((pk, "home_visit"))
    assert listed == expected
    # Not comparing empty with empty: four days of the week have someone due.
    assert sum(1 for entries in listed.values() if entries) == 4
    assert listed[dt.date(2026, 11, 25)] == {
        (week_cases["today"].pk, "report"),
        (week_cases["friday"].pk, "home_visit"),
    }
    assert listed[dt.date(2026, 11, 23)] == {(week_cases["monday"].pk, "report")}
    # The one overdue from before the week is listed apart, with its due day.
    overdue = response.context["overdue_before"]
    assert [(c.pk, c.next_report_due, c.days_overdue) for c in overdue] == [
        (week_cases["overdue"].pk, dt.date(2026, 11, 8), 17)
    ]
    # And the case header says the same day.
    page = client.get(f"/supervisees/{week_cases['saturday'].pk}/").content.decode()
    assert '<p id="next-report-due">Next report due: <time datetime="2026-11-28">' in page


def test_week_navigation_shows_later_weeks_and_no_overdue_list(client, officer, week_cases):
    client.force_login(officer)
    response = client.get("/schedule/?week=2026-12-09")  # any day of the week: its Monday is 12-07
    assert response.context["monday"] == dt.date(2026, 12, 7)
    assert response.context["overdue_before"] is None
    assert _listed(response)[dt.date(2026, 12, 8)] == {(week_cases["later"].pk, "report")}
    body = response.content.decode()
    assert 'href="?week=2026-11-30"' in body and 'href="?week=2026-12-14"' in body
    assert client.get("/schedule/?week=someday").status_code == 400


def test_an_officer_sees_their_own_cases_or_the_whole_office_never_another_office(
    client, office, other_office, officer, colleague, week_cases, supervisor
):
    mine = week_cases["today"]
    theirs = SuperviseeFactory(justice_office=office, officer=colleague, management_level="strict")
    CheckInFactory(supervisee=theirs, on=dt.date(2026, 11, 18))
    elsewhere = SuperviseeFactory(justice_office=other_office, management_level="strict")
    CheckInFactory(supervisee=elsewhere, on=dt.date(2026, 11, 18))
    today = dt.date(2026, 11, 25)

    def due_today(response):
        return {pk for pk, duty in _listed(response)[today] if duty == "report"}

    client.force_login(officer)
    assert due_today(client.get("/schedule/")) == {mine.pk}
    assert due_today(client.get("/schedule/?officer=all")) == {mine.pk, theirs.pk}
    assert due_today(client.get(f"/schedule/?officer={colleague.pk}")) == {theirs.pk}
    # The supervisor: the district, by office and by officer.
    client.force_login(supervisor)
    assert due_today(client.get("/schedule/")) == {mine.pk, theirs.pk, elsewhere.pk}
    assert due_today(client.get(f"/schedule/?office={other_office.pk}")) == {elsewhere.pk}
    assert due_today(client.get(f"/schedule/?officer={officer.pk}")) == {mine.pk}
    # Each read is a list read with its filters.
    event = AuditEvent.objects.filter(target_type="workspace.schedule").latest("id")
    assert event.action == "list" and event.changes == {"week": "2026-11-23", "officer": officer.pk}


@pytest.mark.parametrize("role", ["procurator", "judge", "police", "social_worker"])
def test_roles_outside_the_justice_offices_have_no_schedule(request, client, role):
    client.force_login(request.getfixturevalue(role))
    for path in ("/schedule/", "/schedule/sign-in/", "/digest/"):
        assert client.get(path).status_code == 403


def test_the_sign_in_sheet_lists_todays_reports_and_the_overdue_office_by_office(
    client, supervisor, other_office, week_cases
):
    elsewhere = SuperviseeFactory(justice_office=other_office, management_level="strict", name="常庄甲")
    CheckInFactory(supervisee=elsewhere, on=dt.date(2026, 11, 18))
    client.force_login(supervisor)
    response = client.get("/schedule/sign-in/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    sheets = response.context["sheets"]
    assert [(s["office"].name, [c.pk for c in s["cases"]]) for s in sheets] == [
        ("临城司法所", [week_cases["monday"].pk, week_cases["today"].pk, week_cases["overdue"].pk]),
        ("常庄司法所", [elsewhere.pk]),
    ]
    body = response.content.decode()
    assert "签到表" in body and "签名" in body
    # A past day lists only who was due that day.
    past = client.get("/schedule/sign-in/?date=2026-11-23").context["sheets"]
    assert [[c.pk for c in s["cases"]] for s in past] == [[week_cases["monday"].pk]]
    assert AuditEvent.objects.filter(target_type="workspace.sign_in_sheet", actor=supervisor).count() == 2


def test_the_morning_digest_lists_today_overdue_and_the_deadlines_ahead(client, officer, office, week_cases):
    pending = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        status="pending_report",
        sentence__effective=dt.date(2026, 11, 17),  # intake deadline 11-27, two days ahead
    )
    client.force_login(officer)
    with translation.override("en"):
        response = client.get("/digest/")
    assert response.status_code == 200
    assert [c.pk for c in response.context["due_today"]] == [week_cases["today"].pk]
    assert [c.pk for c in response.context["overdue"]] == [week_cases["overdue"].pk, week_cases["monday"].pk]
    assert [(r.kind, r.supervisee_id, r.due_date) for r in response.context["reminders"]] == [
        ("intake_deadline", pending.pk, dt.date(2026, 11, 27))
    ]
    # Someone else's cases are not in an officer's digest.
    other = UserFactory(role="justice_officer", agency=office)
    client.force_login(other)
    assert client.get("/digest/").context["due_today"] == []
    chinese = client.get("/digest/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "晨间摘要" in chinese


def test_the_dashboard_links_the_day_pages(client, officer, police):
    client.force_login(officer)
    body = client.get("/").content.decode()
    for path in ("/digest/", "/schedule/", "/schedule/sign-in/", "/settings/reminders/"):
        assert f'href="{path}"' in body
    client.force_login(police)
    body = client.get("/").content.decode()
    assert 'href="/schedule/"' not in body and 'href="/settings/reminders/"' in body


@pytest.mark.parametrize("rows", [2, 20])
def test_the_schedule_pages_run_a_fixed_number_of_queries(client, officer, office, supervisor, rows):
    for n in range(rows):
        case = SuperviseeFactory(justice_office=office, officer=officer, management_level="strict")
        CheckInFactory(supervisee=case, on=dt.date(2026, 11, 18) + dt.timedelta(days=n % 5))
        CheckInFactory(supervisee=case, kind="home_visit", on=dt.date(2026, 10, 26))
    counts = {}
    for user, path in [
        (officer, "/schedule/"),
        (supervisor, "/schedule/"),
        (supervisor, "/schedule/sign-in/"),
        (officer, "/digest/"),
        (officer, f"/supervisees/{case.pk}/summary/"),
    ]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts[(user.username, path)] = len(queries)
    listed = sum(len(day["entries"]) for day in client.get("/schedule/").context["days"])
    assert listed >= rows
    # The same counts at 2 and at 20 cases (pinned below, so an N+1 fails at either size).
    assert counts == EXPECTED_QUERIES | {("t_officer", f"/supervisees/{case.pk}/summary/"): SUMMARY_QUERIES}


# The schedule: session, user, agency, the rules in force (report, home visit), the week's cases, the
# audit row, the two filter menus. The summary: the case, its audit row, the duties and the timeline's
# sources, each once.
EXPECTED_QUERIES = {
    ("t_officer", "/schedule/"): 9,
    ("t_supervisor", "/schedule/"): 9,
    ("t_supervisor", "/schedule/sign-in/"): 8,
    ("t_officer", "/digest/"): 12,
}
# The summary's latest events read every timeline source (fifteen, with the arrest requests, the
# standing leave permits, social forces' participations and needs, and the transfers of the place of
# execution).
SUMMARY_QUERIES = 27
