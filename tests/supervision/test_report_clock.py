"""The reporting clock (supervision.duties: the last report kept on the case's row) never drifts from the
check-ins: under every write that moves the duty (check-ins through the service, counted or not, recorded
after the fact; a level change; custody and the return; a rule come into force on a day), the duty read
with the clock equals the duty read from the check-ins, for every case, and the clock is really read
(a clock set wrong shows)."""

import datetime as dt

import pytest

from config.office_time import at_office_time, office_today
from corrections.constants import Status
from corrections.models import Supervisee
from corrections.services import supervisee_transition
from supervision.duties import report_clock_key, report_clock_refresh, with_next_report_due
from supervision.models import CheckIn, ReportingRule
from supervision.services.checkins import checkin_record
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db

# Every report ever recorded is before this: the duty then reads the check-ins, never the clock.
NEVER = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def duty(on: dt.date, **kwargs) -> dict[int, dt.date | None]:
    return dict(
        with_next_report_due(Supervisee.objects.all(), on=on, **kwargs).values_list("pk", "next_report_due")
    )


def assert_agree(on: dt.date) -> dict[int, dt.date | None]:
    from_clock = duty(on)
    assert from_clock == duty(on, reported_before=NEVER)
    assert any(due is not None for due in from_clock.values())  # not nothing compared with nothing
    return from_clock


def last_of(case, kinds) -> dt.datetime | None:
    return (
        CheckIn.objects.filter(supervisee=case, kind__in=kinds)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


def test_the_clock_never_drifts_from_the_checkins(office, officer):
    today = office_today()
    intake = today - dt.timedelta(days=60)
    levels = ("strict", "normal", "lenient", "strict", "normal")
    cases = [
        SuperviseeFactory(
            justice_office=office,
            officer=officer,
            management_level=level,
            intake_date=intake,
            status=Status.UNDER_SUPERVISION,
        )
        for level in levels
    ]
    # History loaded in bulk, as the loaders do (no service): no clock yet, the duty reads the check-ins.
    for case, kind, days in [
        (cases[0], "in_person", 3),
        (cases[1], "phone", 5),
        (cases[2], "written_report", 8),
        (cases[3], "phone", 9),  # not a strict case's report
    ]:
        CheckInFactory(supervisee=case, kind=kind, on=intake + dt.timedelta(days=days))
    assert_agree(today)

    assert report_clock_refresh(on=today) == len(cases)
    rules = {"strict": ["in_person"], "normal": ["in_person", "phone", "self_report", "video"]}
    rules["lenient"] = [*rules["normal"], "written_report"]
    for case in Supervisee.objects.all():
        assert case.last_report_kinds == report_clock_key(rules[case.management_level])
        assert case.last_report_at == last_of(case, rules[case.management_level])
    assert report_clock_refresh(on=today) == 0  # set once: nothing to do the second time
    assert_agree(today)

    # The clock is what the duty reads once set: a clock set wrong shows (then put back).
    Supervisee.objects.filter(pk=cases[0].pk).update(last_report_at=at_office_time(today, dt.time(9)))
    assert duty(today)[cases[0].pk] == today + dt.timedelta(days=7)
    assert duty(today)[cases[0].pk] != duty(today, reported_before=NEVER)[cases[0].pk]
    Supervisee.objects.filter(pk=cases[0].pk).update(last_report_at=last_of(cases[0], ["in_person"]))
    assert_agree(today)

    # Check-ins through the service: counted, recorded after the fact (older: the clock stays), not
    # counted by the case's rule.
    def record(case, kind, days_ago):
        checkin_record(
            supervisee=case,
            by=officer,
            kind=kind,
            at=at_office_time(today - dt.timedelta(days=days_ago), dt.time(10)),
        )

    record(cases[0], "in_person", 2)
    record(cases[0], "in_person", 20)
    record(cases[1], "video", 1)
    record(cases[3], "phone", 1)
    record(cases[4], "home_visit", 1)
    due = assert_agree(today)
    assert due[cases[0].pk] == today - dt.timedelta(days=2) + dt.timedelta(days=7)
    assert Supervisee.objects.get(pk=cases[0].pk).last_report_at == last_of(cases[0], ["in_person"])

    # A level change: the clock counts the old level's kinds, so the duty reads the check-ins until the
    # next refresh sets it again.
    Supervisee.objects.filter(pk=cases[3].pk).update(management_level="normal")
    assert_agree(today)
    assert report_clock_refresh(on=today) == 1
    assert_agree(today)

    # Custody and the return: the clock is not what moves; the duty counts from the return.
    supervisee_transition(
        supervisee=cases[1],
        by=officer,
        to=Status.IN_CUSTODY,
        on=today - dt.timedelta(days=10),
        ground="detention",
    )
    assert_agree(today)
    supervisee_transition(
        supervisee=cases[1], by=officer, to=Status.UNDER_SUPERVISION, on=today - dt.timedelta(days=4)
    )
    record(cases[1], "phone", 3)
    assert_agree(today)

    # A rule of the district comes into force tomorrow, counting other kinds: tomorrow the clock of
    # the normal cases is not the rule's, and the duty reads the check-ins; a refresh then sets it.
    tomorrow = today + dt.timedelta(days=1)
    ReportingRule.objects.create(
        district=office.district,
        management_level="normal",
        duty="report",
        every_days=5,
        qualifying_kinds=["in_person", "video"],
        effective_from=tomorrow,
    )
    assert_agree(today)
    assert_agree(tomorrow)
    assert report_clock_refresh(on=tomorrow) == 3  # the normal cases, cases[3] among them
    assert_agree(tomorrow)
    assert Supervisee.objects.get(pk=cases[1].pk).last_report_kinds == report_clock_key(
        ["in_person", "video"]
    )
