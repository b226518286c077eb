"""Social forces' demo year: providers and a year of activities per office, written once, minors never
with adults, every participant under correction on the day, fast enough to seed with the rest."""

import datetime as dt
import time

import pytest
from django.core.management import call_command

from community.models import Activity, Participation, Provider
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.django_db
DAY = FROZEN_TODAY - dt.timedelta(days=5)


def test_the_demo_year_is_lawful_idempotent_and_quick():
    call_command("seed_demo", supervisees=120, date=DAY)
    counts = Provider.objects.count(), Activity.objects.count(), Participation.objects.count()
    assert counts[0] == 6 and counts[1] > 200 and counts[2] > 1000, counts
    started = time.monotonic()
    call_command("seed_demo", supervisees=120, date=DAY)
    assert (Provider.objects.count(), Activity.objects.count(), Participation.objects.count()) == counts
    assert time.monotonic() - started < 60
    assert {a.kind for a in Activity.objects.all()} >= {
        "group_education",
        "community_service",
        "employment_help",
    }
    for activity in Activity.objects.prefetch_related("participations__supervisee"):
        people = [p.supervisee for p in activity.participations.all()]
        assert len({p.is_minor for p in people}) == 1, activity  # CCL 52 para. 3
        assert DAY - dt.timedelta(days=366) <= activity.date < DAY
        for person in people:
            assert person.intake_date <= activity.date and (
                person.exit_date is None or person.exit_date > activity.date
            )
            assert person.justice_office_id == activity.agency_id
