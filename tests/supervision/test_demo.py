"""Supervision's demo history: written once, lawful, and giving the sweep something to raise."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from corrections.models import Supervisee
from supervision.models import Alert, CheckIn, LeaveRequest, Measure
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
    # The caseload's last contact is the latest check-in of each case.
    for case in Supervisee.objects.filter(checkins__isnull=False).distinct():
        assert case.last_contact_at == case.checkins.order_by("-occurred_at").first().occurred_at
    raised = sweep_run(as_of=day)
    assert raised["missed_report"] > 0
    assert sweep_run(as_of=day) == dict.fromkeys(raised, 0)
    assert Alert.objects.count() == sum(raised.values())
