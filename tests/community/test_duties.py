"""The monthly hours duty (community.duties): a strict case that did too few study or community-service
hours last month gets `hours_short` from the sweep, once; exactly enough is no alert; check-ins and
activities both count, each on the office's day; a case not judged for a part month."""

import datetime as dt
from decimal import Decimal

import pytest

from community.duties import case_hours, hours_short
from community.services import Result, activity_record
from corrections.constants import Status
from corrections.services import supervisee_transition
from supervision.models import Alert, CheckIn
from supervision.sweep import sweep_run
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
OCTOBER_END = dt.date(2026, 10, 31)


@pytest.fixture
def strict_case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer, management_level="strict")


def _checkin(case, officer, kind, at, hours):
    # The stored record, as checkin_record writes it (the service refuses nothing here that matters).
    return CheckIn.objects.create(
        supervisee=case, kind=kind, occurred_at=at, recorded_by=officer, hours=hours
    )


def _session(officer, cases, *, kind, day, hours, results=None):
    return activity_record(
        by=officer,
        kind=kind,
        date=day,
        hours=Decimal(hours),
        topic="法治教育",
        participants=[c.pk for c in cases],
        results=results,
    )


def _alerts(case):
    return list(Alert.objects.filter(supervisee=case, kind="hours_short").values_list("due_date", flat=True))


def test_exactly_enough_hours_is_no_alert_and_half_an_hour_less_is_one(strict_case, officer, office):
    other = SuperviseeFactory(justice_office=office, officer=officer, management_level="strict")
    # Education: 6 h in a group session and 2 h in a one-to-one talk, for both.
    _session(officer, [strict_case, other], kind="group_education", day=dt.date(2026, 10, 8), hours="6")
    _session(officer, [strict_case], kind="individual_talk", day=dt.date(2026, 10, 20), hours="2")
    _session(officer, [other], kind="individual_talk", day=dt.date(2026, 10, 20), hours="2")
    # Community service: 8 h, as a check-in (4) and an activity (4); the other case 7.5 in all.
    _checkin(strict_case, officer, "community_service", dt.datetime(2026, 10, 10, 2, tzinfo=dt.UTC), "4")
    _checkin(other, officer, "community_service", dt.datetime(2026, 10, 10, 2, tzinfo=dt.UTC), "4")
    _session(
        officer,
        [strict_case, other],
        kind="community_service",
        day=dt.date(2026, 10, 25),
        hours="4",
        results={other.pk: Result(hours=Decimal("3.5"))},
    )
    raised = sweep_run(as_of=dt.date(2026, 11, 25))
    assert raised["hours_short"] == 1
    assert _alerts(strict_case) == [] and _alerts(other) == [OCTOBER_END]
    # A second run raises nothing new.
    assert sweep_run(as_of=dt.date(2026, 11, 26))["hours_short"] == 0
    assert len(_alerts(other)) == 1


def test_the_office_s_day_decides_the_month_of_a_check_in(strict_case, officer):
    _session(officer, [strict_case], kind="group_education", day=dt.date(2026, 10, 8), hours="8")
    # 15:59:59Z on 31 October is 23:59:59 in the office: October. 16:00:00Z is 1 November.
    _checkin(
        strict_case, officer, "community_service", dt.datetime(2026, 10, 31, 15, 59, 59, tzinfo=dt.UTC), "4"
    )
    _checkin(strict_case, officer, "community_service", dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC), "4")
    assert list(hours_short(dt.date(2026, 11, 1))) == []
    CheckIn.objects.filter(occurred_at__day=31).update(
        occurred_at=dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)
    )
    assert list(hours_short(dt.date(2026, 11, 1))) == [(strict_case.pk, OCTOBER_END)]


def test_kinds_that_do_not_count_levels_that_ask_nothing_and_part_months(strict_case, officer, office):
    normal = SuperviseeFactory(justice_office=office, officer=officer, management_level="normal")
    late = SuperviseeFactory(
        justice_office=office, officer=officer, management_level="strict", intake_date=dt.date(2026, 10, 2)
    )
    # Counselling and employment help are help, not a duty's hours.
    _session(officer, [strict_case], kind="counselling", day=dt.date(2026, 10, 8), hours="8")
    _session(officer, [strict_case], kind="employment_help", day=dt.date(2026, 10, 9), hours="8")
    rows = dict(hours_short(dt.date(2026, 11, 25)))
    assert strict_case.pk in rows and normal.pk not in rows and late.pk not in rows


def test_the_case_header_shows_both_months(strict_case, officer, client):
    _session(officer, [strict_case], kind="group_education", day=dt.date(2026, 10, 8), hours="3")
    _session(officer, [strict_case], kind="group_education", day=dt.date(2026, 11, 3), hours="8")
    months = case_hours(strict_case, day=dt.date(2026, 11, 25))
    assert [m["first"] for m in months] == [dt.date(2026, 10, 1), dt.date(2026, 11, 1)]
    october, november = months
    assert october["short"] and october["complete"] and not november["complete"]
    assert [(str(d["duty"]), d["done"], d["required"]) for d in october["duties"]] == [
        ("education", Decimal("3"), Decimal("8")),
        ("community_service", Decimal("0"), Decimal("8")),
    ]
    sweep_run(as_of=dt.date(2026, 11, 25))
    client.force_login(officer)
    page = client.get(f"/supervisees/{strict_case.pk}/")
    assert 'id="monthly-hours"' in page.text and "3.0 / 8.0" in page.text
    dashboard = client.get("/")
    assert 'id="hours-short"' in dashboard.text and strict_case.name in dashboard.text


def test_the_alert_ledger_links_hours_short_to_the_case_s_activities(strict_case, officer, client):
    sweep_run(as_of=dt.date(2026, 11, 25))
    client.force_login(officer)
    page = client.get("/alerts/")
    assert f'/supervisees/{strict_case.pk}/#activities">Hours short</a>' in page.text


def test_a_month_with_days_in_custody_is_not_judged(strict_case, officer):
    # The same pause as the reporting duty's (supervision.duties.reporting_from): in custody from 10 to
    # 20 October, October is not judged; November, whole after the return, is.
    strict_case.intake_date = dt.date(2026, 6, 1)
    strict_case.save(update_fields=["intake_date"])
    supervisee_transition(
        supervisee=strict_case, by=officer, to=Status.IN_CUSTODY, on=dt.date(2026, 10, 10), ground="detention"
    )
    supervisee_transition(
        supervisee=strict_case, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 10, 20)
    )
    assert list(hours_short(dt.date(2026, 11, 1))) == []
    assert list(hours_short(dt.date(2026, 12, 1))) == [(strict_case.pk, dt.date(2026, 11, 30))]
