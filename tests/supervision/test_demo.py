"""Supervision's demo history: written once, lawful, and giving the sweep something to raise."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from corrections.models import Supervisee
from supervision.models import Alert, CheckIn, LeavePermit, LeaveRequest, Measure
from supervision.sweep import sweep_run
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.django_db
# The demo is laid out back from this day; the command refuses a day after today (the test clock's).
DAY = FROZEN_TODAY - dt.timedelta(days=5)


def counts():
    return CheckIn.objects.count(), LeaveRequest.objects.count(), Measure.objects.count()


def test_demo_history_is_idempotent_lawful_and_raises_alerts():
    call_command("seed_demo", supervisees=120, date=DAY)
    first = counts()
    assert all(first), first
    call_command("seed_demo", supervisees=120, date=DAY)
    assert counts() == first
    day = DAY
    for checkin in CheckIn.objects.select_related("supervisee"):
        local = timezone.localtime(checkin.occurred_at).date()
        assert checkin.supervisee.intake_date <= local < day
        assert checkin.supervisee.status in ("under_supervision", "absconded")
    # Leave by CCL 27: outside the county of residence, for one of the office's proper reasons.
    reasons = {"medical", "study", "litigation", "family", "work"}
    for leave in LeaveRequest.objects.select_related("supervisee__justice_office__district"):
        assert (
            leave.destination_code and leave.destination_code != leave.supervisee.justice_office.district.code
        )
        assert leave.reason_code in reasons
    for permit in LeavePermit.objects.select_related("supervisee__justice_office__district", "decided_by"):
        assert permit.supervisee.justice_office.district.code not in permit.places
        assert permit.status == "approved" and permit.decided_by.role == "justice_supervisor"
    # The caseload's last contact is the latest check-in of each case.
    for case in Supervisee.objects.filter(checkins__isnull=False).distinct():
        assert case.last_contact_at == case.checkins.order_by("-occurred_at").first().occurred_at
    raised = sweep_run(as_of=day)
    assert raised["missed_report"] > 0
    assert sweep_run(as_of=day) == dict.fromkeys(raised, 0)
    assert Alert.objects.count() == sum(raised.values())


def test_demo_electronic_positioning_one_in_force_ending_soon_one_awaiting_approval():
    from documents.models import Document
    from supervision.models import PositioningOrder, ProhibitionViolation
    from supervision.positioning import latest_end

    call_command("seed_demo", supervisees=120, date=DAY)
    in_force, proposed = PositioningOrder.objects.order_by("status")  # approved, proposed
    assert (in_force.status, proposed.status) == ("approved", "proposed")
    assert in_force.start_date <= DAY <= in_force.end_date <= DAY + dt.timedelta(days=7)
    assert in_force.end_date <= latest_end(in_force.start_date)
    assert in_force.violation == ProhibitionViolation.objects.get()
    assert in_force.violation.prohibition.sentence.supervisee_id == in_force.supervisee_id
    assert in_force.violation.prohibition.binds_on(in_force.violation.occurred_on)
    assert Document.objects.filter(kind="positioning_decision", source_id=str(in_force.pk)).count() == 1
    checks = in_force.location_checks.all()
    assert checks and all(c.kind == "location_check" and c.latitude is not None for c in checks)
    assert all(in_force.in_force_on(timezone.localtime(c.occurred_at).date()) for c in checks)
    assert proposed.proposed_by.username == "officer" and proposed.end_date == latest_end(proposed.start_date)
    # The sweep raises positioning_ending for the one in force, once.
    assert sweep_run(as_of=DAY)["positioning_ending"] == 1
    call_command("seed_demo", supervisees=120, date=DAY)
    assert PositioningOrder.objects.count() == 2


def test_demo_health_reports_for_temporary_execution_one_missing_and_one_ground_ended():
    from supervision.models import MedicalReport
    from supervision.selectors import revocation_suggestions

    call_command("seed_demo", supervisees=120, date=DAY)
    reports = MedicalReport.objects.select_related("supervisee__sentence")
    assert reports.exists()
    assert {r.supervisee.sentence.category for r in reports} == {"temporary_execution"}
    assert all(r.supervisee.intake_date <= r.date < DAY for r in reports)
    first = MedicalReport.objects.count()
    call_command("seed_demo", supervisees=120, date=DAY)
    assert MedicalReport.objects.count() == first
    assert sweep_run(as_of=DAY)["medical_report_missing"] >= 1
    ended = reports.get(conclusion="ground_ended").supervisee
    codes = {s["code"] for s in revocation_suggestions(supervisee=ended, on=DAY)}
    assert "ground_ended" in codes
