"""Reporting paused in custody and counted again from the return (supervision.duties.reporting_from):
no report falls due while the case is in custody, and the first report after the return is due a full
interval after the day it came back, in the sweep, the case's `next_report_due` and the API alike."""

import datetime as dt

import pytest

from corrections.constants import Status
from corrections.services import supervisee_transition
from supervision.duties import next_report_due
from supervision.models import Alert, CheckIn
from supervision.sweep import sweep_run
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_case(office, officer):
    # Strict: an in-person report every 7 days; intake 2026-01-01, a report on 01-05 (next due 01-12).
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        management_level="strict",
        intake_date=dt.date(2026, 1, 1),
        sentence__effective=dt.date(2025, 12, 25),
    )
    CheckIn.objects.create(
        supervisee=case,
        recorded_by=officer,
        kind="in_person",
        occurred_at=dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC),
    )
    return case


def _move(case, officer, to, on, **kwargs):
    return supervisee_transition(supervisee=case, by=officer, to=to, on=on, **kwargs)


def test_a_case_in_custody_raises_no_missed_report(strict_case, officer):
    _move(strict_case, officer, Status.IN_CUSTODY, dt.date(2026, 1, 10), ground="detention")
    assert next_report_due(strict_case, on=dt.date(2026, 2, 1)) is None
    assert sweep_run(as_of=dt.date(2026, 2, 1))["missed_report"] == 0
    assert not Alert.objects.filter(kind="missed_report").exists()


def test_after_the_return_the_first_report_is_due_a_full_interval_from_the_return(strict_case, officer, api):
    _move(strict_case, officer, Status.IN_CUSTODY, dt.date(2026, 1, 10), ground="detention")
    returned = dt.date(2026, 2, 10)
    _move(strict_case, officer, Status.UNDER_SUPERVISION, returned)
    # Not the report of 01-05 + 7 days (01-12, long past), nor intake + 7: the return + 7.
    assert next_report_due(strict_case, on=returned) == dt.date(2026, 2, 17)
    api.force_authenticate(user=officer)
    assert api.get(f"/api/v1/supervisees/{strict_case.pk}/").json()["next_report_due"] == "2026-02-17"
    assert sweep_run(as_of=dt.date(2026, 2, 11))["missed_report"] == 0  # the day after the return
    assert sweep_run(as_of=dt.date(2026, 2, 17))["missed_report"] == 0  # due today: not missed yet
    assert sweep_run(as_of=dt.date(2026, 2, 18))["missed_report"] == 1
    assert list(Alert.objects.values_list("supervisee_id", "due_date")) == [
        (strict_case.pk, dt.date(2026, 2, 17))
    ]


def test_a_report_after_the_return_counts_as_usual(strict_case, officer):
    _move(strict_case, officer, Status.IN_CUSTODY, dt.date(2026, 1, 10), ground="detention")
    _move(strict_case, officer, Status.UNDER_SUPERVISION, dt.date(2026, 2, 10))
    CheckIn.objects.create(
        supervisee=strict_case,
        recorded_by=officer,
        kind="in_person",
        occurred_at=dt.datetime(2026, 2, 12, 2, 0, tzinfo=dt.UTC),
    )
    assert next_report_due(strict_case, on=dt.date(2026, 2, 12)) == dt.date(2026, 2, 19)


def test_a_return_from_absconding_does_not_restart_the_count(strict_case, officer):
    # Out of contact is a breach, not a pause: the report missed while absconded stays missed.
    _move(strict_case, officer, Status.ABSCONDED, dt.date(2026, 1, 10))
    _move(strict_case, officer, Status.UNDER_SUPERVISION, dt.date(2026, 2, 10))
    assert next_report_due(strict_case, on=dt.date(2026, 2, 10)) == dt.date(2026, 1, 12)
