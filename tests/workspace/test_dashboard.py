"""The dashboard per role: the officer's reports due and waiting work, the supervisor's district at a
glance, the other agencies' referral inbox; a fixed number of queries whatever the data."""

import datetime as dt

import pytest

from config.office_time import office_today
from coordination.services import referral_accept, referral_create, referral_send
from supervision.models import Alert
from supervision.services.leave import leave_request_create
from tests.factories import LEAVE_BY_THE_LAW, CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


def reported(days_ago: int, **fields):
    """A case whose last report (in person: a kind every level's default rule counts) was `days_ago`."""
    case = SuperviseeFactory(intake_date=office_today() - dt.timedelta(days=days_ago + 30), **fields)
    CheckInFactory(supervisee=case, on=office_today() - dt.timedelta(days=days_ago))
    return case


def test_officer_sees_who_must_report_today_or_is_overdue(client, officer, office, other_office):
    # Default rules: strict every 7 days, normal every 14 (supervision's default reporting rules).
    overdue = reported(9, justice_office=office, management_level="strict", name="逾期甲")
    today = reported(14, justice_office=office, management_level="normal", name="今日乙")
    reported(3, justice_office=office, management_level="normal", name="未到丙")
    reported(30, justice_office=other_office, management_level="strict", name="他所丁")
    SuperviseeFactory(
        justice_office=office,
        management_level="strict",
        intake_date=office_today() - dt.timedelta(days=20),
        name="无报到戊",
    )
    client.force_login(officer)
    response = client.get("/")
    rows = {s.name: s.days_overdue for s in response.context["must_report"]}
    assert rows == {"逾期甲": 2, "今日乙": 0, "无报到戊": 13}
    # The most overdue first.
    assert [s.name for s in response.context["must_report"]] == ["无报到戊", "逾期甲", "今日乙"]
    assert today.pk and overdue.pk
    html = response.content.decode()
    assert "他所丁" not in html and "未到丙" not in html
    assert response.context["counts"]  # the status tiles stay


def test_officer_sees_alerts_leave_and_recent_answers(client, officer, police, office, agencies):
    case = SuperviseeFactory(justice_office=office, name="郑成功")
    Alert.objects.create(supervisee=case, kind="missed_report", due_date=office_today())
    start = office_today() + dt.timedelta(days=2)
    leave_request_create(
        supervisee=case,
        by=officer,
        **LEAVE_BY_THE_LAW,
        destination="青岛",
        reason="务工",
        start_date=start,
        end_date=start,
    )
    referral = referral_send(
        referral=referral_create(
            supervisee=case,
            by=officer,
            to_agency=agencies["police"],
            kind="absconder_search",
            summary="请协查",
        ),
        by=officer,
    )
    referral_accept(referral=referral, by=police)
    client.force_login(officer)
    response = client.get("/")
    panels = {panel["template"]: panel for panel in response.context["panels"]}
    supervision = panels["supervision/_dashboard_panel.html"]
    assert supervision["open_alerts"] == 1 and supervision["pending_leave_count"] == 1
    assert panels["coordination/_dashboard_panel.html"]["answered"] == [referral]
    assert 'href="/alerts/"' in response.content.decode()


def test_supervisor_sees_offices_by_status_caseloads_and_approvals(
    client, supervisor, officer, office, other_office
):
    reported(10, justice_office=office, officer=officer, management_level="strict")
    SuperviseeFactory(justice_office=office, officer=officer, status="absconded")
    reported(1, justice_office=other_office)
    client.force_login(supervisor)
    response = client.get("/")
    offices = {o["name"]: o for o in response.context["offices"]}
    assert offices[office.name]["by_status"]["under_supervision"] == 1
    assert offices[office.name]["by_status"]["absconded"] == 1
    assert offices[office.name]["overdue"] == 1 and response.context["overdue_total"] == 1
    assert offices[other_office.name]["by_status"]["under_supervision"] == 1
    assert response.context["absconded"] == 1
    loads = {
        (row["officer__username"], row["justice_office__name"]): row["n"]
        for row in response.context["caseloads"]
    }
    assert loads == {(officer.username, office.name): 2, (None, other_office.name): 1}
    assert 'href="/approvals/#leave"' in response.content.decode()


def test_the_city_supervisor_reads_open_alerts_not_decisions_it_cannot_take(
    client, city_supervisor, supervisor, office
):
    """A city bureau decides no leave, measure or positioning of its districts' cases and has no
    approvals page: its dashboard counts the districts' open alerts only."""
    case = SuperviseeFactory(justice_office=office)
    Alert.objects.create(supervisee=case, kind="missed_report", due_date=dt.date(2026, 11, 20))
    client.force_login(city_supervisor)
    response = client.get("/")
    panel = next(
        p for p in response.context["panels"] if p["template"] == "supervision/_dashboard_panel.html"
    )
    assert panel["open_alerts"] == 1 and panel["city_level"]
    page = response.content.decode()
    assert "/approvals/" not in page and "Leave awaiting a decision" not in page
    assert "In your districts" in page
    client.force_login(supervisor)
    assert 'href="/approvals/#leave"' in client.get("/").content.decode()


def test_police_lands_on_their_inbox(client, police, officer, office, agencies):
    case = SuperviseeFactory(justice_office=office, name="钱多多")
    referral = referral_send(
        referral=referral_create(
            supervisee=case,
            by=officer,
            to_agency=agencies["police"],
            kind="absconder_search",
            summary="请协查",
        ),
        by=officer,
    )
    client.force_login(police)
    response = client.get("/")
    html = response.content.decode()
    assert f'href="/referrals/{referral.pk}/"' in html and "钱多多" in html
    assert response.context["panels"][0]["inbox"] == [referral]


def test_procurator_sees_exception_counts(client, procurator, office):
    SuperviseeFactory(justice_office=office, status="absconded")
    client.force_login(procurator)
    response = client.get("/")
    panel = response.context["panels"][0]
    counts = {code: n for code, _label, n in panel["exceptions"]}
    assert counts["lost_contact_without_warning"] == 1
    assert "/oversight/?code=lost_contact_without_warning" in response.content.decode()


@pytest.mark.parametrize("rows", [2, 20])
def test_dashboards_run_a_fixed_number_of_queries(
    client, officer, supervisor, police, office, agencies, django_assert_num_queries, rows
):
    for n in range(rows):
        case = reported(8 + n, justice_office=office, officer=officer, management_level="strict")
        Alert.objects.create(supervisee=case, kind="missed_report", due_date=office_today())
        start = office_today() + dt.timedelta(days=2)
        leave_request_create(
            supervisee=case,
            by=officer,
            **LEAVE_BY_THE_LAW,
            destination="青岛",
            reason="务工",
            start_date=start,
            end_date=start,
        )
        referral_send(
            referral=referral_create(
                supervisee=case,
                by=officer,
                to_agency=agencies["police"],
                kind="absconder_search",
                summary="请协查",
            ),
            by=officer,
        )
    client.force_login(officer)
    # session, user, agency, tiles, rules in force, the cases due; alerts, leave count, leave rows,
    # measures count; the inbox, the answered outbox; the notices to receive; the hours duty's rules and
    # last month's cases short of hours (community.duties).
    with django_assert_num_queries(15):
        response = client.get("/")
    assert len(response.context["must_report"]) == rows
    client.force_login(supervisor)
    # session, user, agency, rules, the cases by office, officer and status (the tiles, the offices'
    # table and the caseloads, with the overdue reports: one GROUP BY by ids), the offices' names, the
    # officers' names, notices and documents overdue (CCL 20: the cases' ids, then the latest rows);
    # alerts, leave count, leave rows, measures count, electronic positioning proposed; the inbox; the
    # notices to receive.
    with django_assert_num_queries(16):
        client.get("/")
    client.force_login(police)
    # session, user, agency, tiles, the inbox, the notices to receive.
    with django_assert_num_queries(6):
        response = client.get("/")
    assert len(response.context["panels"][0]["inbox"]) == rows
