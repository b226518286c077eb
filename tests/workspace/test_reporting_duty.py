"""One reporting duty, every consumer agreeing (supervision.duties): the sweep's missed_report, the
officer's dashboard, the caseload's colours, the case header and the API's next_report_due, driven from
check-ins recorded through the API (not a factory-set summary field)."""

import datetime as dt
from decimal import Decimal

import pytest

from config.office_time import at_office_time, office_today
from supervision.duties import next_report_due, reports_expected, with_next_report_due
from supervision.models import Alert, ReportingRule
from supervision.sweep import sweep_run
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


def record(api, case, kind: str, day: dt.date, time: dt.time = dt.time(0, 10)):
    # Early in the day, so that a report "today" is never in the future, whatever the clock says.
    response = api.post(
        "/api/v1/checkins/",
        {"supervisee": case.pk, "kind": kind, "occurred_at": at_office_time(day, time).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_a_strict_case_reporting_by_phone_every_day_is_overdue_everywhere(api_as, client, officer, office):
    today = office_today()
    intake = today - dt.timedelta(days=20)
    case = SuperviseeFactory(
        justice_office=office, officer=officer, management_level="strict", intake_date=intake
    )
    api = api_as(officer)
    # One in-person report 12 days ago (the only kind the strict default rule counts), then a phone
    # report every day since, today's included.
    record(api, case, "in_person", today - dt.timedelta(days=12))
    for days_ago in range(11, -1, -1):
        record(api, case, "phone", today - dt.timedelta(days=days_ago))
    due = today - dt.timedelta(days=5)  # 12 days ago + 7

    # The sweep raises missed_report for that day.
    sweep_run(as_of=today)
    assert list(Alert.objects.filter(kind="missed_report").values_list("supervisee_id", "due_date")) == [
        (case.pk, due)
    ]
    # The API says the same day.
    body = api.get(f"/api/v1/supervisees/{case.pk}/").json()
    assert body["next_report_due"] == due.isoformat()
    listed = api.get("/api/v1/supervisees/").json()["results"]
    assert [row["next_report_due"] for row in listed] == [due.isoformat()]
    # The dashboard lists it as overdue by 5 days.
    client.force_login(officer)
    rows = client.get("/").context["must_report"]
    assert [(row.pk, row.next_report_due, row.days_overdue) for row in rows] == [(case.pk, due, 5)]
    # The caseload colours it overdue, in words too.
    caseload = client.get("/supervisees/").content.decode()
    assert f'<time datetime="{due:%Y-%m-%d}">' in caseload
    assert (
        '<span class="days overdue"><span class="icon" aria-hidden="true">⚠</span> overdue by 5 days</span>'
        in caseload
    )
    # The case header shows it.
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert 'id="next-report-due"' in page and "overdue by 5 days" in page

    # An in-person report today moves the duty 7 days on, everywhere.
    record(api, case, "in_person", today, time=dt.time(0, 20))
    assert (
        api.get(f"/api/v1/supervisees/{case.pk}/").json()["next_report_due"]
        == (today + dt.timedelta(days=7)).isoformat()
    )
    assert client.get("/").context["must_report"] == []


def test_the_sweep_as_of_a_day_sees_the_reports_before_that_day_and_the_rule_of_the_day_before(
    officer, office
):
    today = office_today()
    case = SuperviseeFactory(
        justice_office=office, management_level="normal", intake_date=today - dt.timedelta(days=40)
    )
    CheckInFactory(supervisee=case, kind="video", on=today - dt.timedelta(days=20))
    # Normal: every 14 days, video counts. Due 6 days ago; a report today does not hide it from today's sweep.
    CheckInFactory(supervisee=case, kind="video", on=today)
    assert sweep_run(as_of=today)["missed_report"] == 1
    assert Alert.objects.get().due_date == today - dt.timedelta(days=6)
    # Swept again tomorrow, today's report counts: nothing new.
    assert sweep_run(as_of=today + dt.timedelta(days=1))["missed_report"] == 0
    assert next_report_due(case, on=today) == today + dt.timedelta(days=14)


def test_a_district_rule_overrides_the_default_for_its_level_only(office, other_office):
    from tests.factories import DistrictFactory, JusticeOfficeFactory

    today = office_today()
    elsewhere = JusticeOfficeFactory(district=DistrictFactory(code="370402"))
    ReportingRule.objects.create(
        district=office.district,
        management_level="strict",
        duty="report",
        every_days=3,
        qualifying_kinds=["in_person", "phone"],
        effective_from=dt.date(2026, 1, 1),
    )
    day = today - dt.timedelta(days=10)
    cases = {}
    for label, justice_office, level in [
        ("own_strict", office, "strict"),
        ("own_normal", office, "normal"),
        ("other_strict", elsewhere, "strict"),
    ]:
        cases[label] = SuperviseeFactory(
            justice_office=justice_office, management_level=level, intake_date=day
        )
        CheckInFactory(supervisee=cases[label], kind="phone", on=day)
    due = dict(
        with_next_report_due(SuperviseeFactory._meta.model.objects.all(), on=today).values_list(
            "case_number", "next_report_due"
        )
    )
    assert due == {
        cases["own_strict"].case_number: day + dt.timedelta(days=3),  # the district's rule: phone counts
        cases["own_normal"].case_number: day + dt.timedelta(days=14),  # the default for normal
        cases["other_strict"].case_number: day + dt.timedelta(days=7),  # the default: phone does not count
    }


def test_no_duty_outside_supervision_and_for_a_level_without_a_rule(office):
    today = office_today()
    pending = SuperviseeFactory(justice_office=office, status="pending_report")
    absconded = SuperviseeFactory(justice_office=office, status="absconded")
    ReportingRule.objects.filter(management_level="lenient").delete()
    lenient = SuperviseeFactory(justice_office=office, management_level="lenient")
    for case in (pending, absconded, lenient):
        assert next_report_due(case, on=today) is None


def test_reports_expected_counts_days_under_correction_over_the_interval(office):
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    SuperviseeFactory(justice_office=office, management_level="strict", intake_date=dt.date(2026, 1, 15))
    SuperviseeFactory(justice_office=office, management_level="normal", intake_date=dt.date(2026, 3, 18))
    population = SuperviseeFactory._meta.model.objects.all()
    # 31 days / 7 + 14 days (18th to 31st) / 14.
    assert reports_expected(population, first=first, last=last) == Decimal(31) / Decimal(7) + 1
