"""The case status lifecycle: allowed and refused moves, the dates and reasons the law requires,
and the audit row each change writes."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections.constants import ALLOWED_TRANSITIONS, Category, Status
from corrections.models import StatusChange
from corrections.services import supervisee_transition
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
EFFECTIVE = dt.date(2026, 1, 10)


@pytest.fixture
def pending(office, officer):
    return SuperviseeFactory(
        justice_office=office, officer=officer, status=Status.PENDING_REPORT, sentence__effective=EFFECTIVE
    )


def test_intake_sets_intake_date_and_dates_the_change(pending, officer):
    supervisee = supervisee_transition(
        supervisee=pending, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 15)
    )
    assert supervisee.status == Status.UNDER_SUPERVISION
    assert supervisee.intake_date == dt.date(2026, 1, 15)
    change = StatusChange.objects.get(supervisee=supervisee)
    assert (change.from_status, change.to_status, change.date) == (
        Status.PENDING_REPORT,
        Status.UNDER_SUPERVISION,
        dt.date(2026, 1, 15),
    )
    event = AuditEvent.objects.get(action="transition", supervisee_id=supervisee.pk)
    assert event.actor_username == officer.username
    assert event.changes["status"] == {"before": "pending_report", "after": "under_supervision"}
    assert event.changes["intake_date"] == {"before": None, "after": "2026-01-15"}


def test_absconding_and_return_keep_the_first_intake_date(pending, officer):
    supervisee_transition(
        supervisee=pending, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 15)
    )
    supervisee_transition(
        supervisee=pending,
        by=officer,
        to=Status.ABSCONDED,
        on=dt.date(2026, 3, 1),
        reason="电话不通，住所无人",
    )
    back = supervisee_transition(
        supervisee=pending, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 3, 20)
    )
    assert back.intake_date == dt.date(2026, 1, 15)
    assert list(
        StatusChange.objects.filter(supervisee=pending).order_by("date").values_list("to_status", flat=True)
    ) == [Status.UNDER_SUPERVISION, Status.ABSCONDED, Status.UNDER_SUPERVISION]
    assert StatusChange.objects.get(to_status=Status.ABSCONDED).note == "电话不通，住所无人"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (start, to)
        for start, allowed in ALLOWED_TRANSITIONS.items()
        for to in Status.values
        if to not in allowed and to != start
    ],
)
def test_moves_outside_the_lifecycle_are_refused_as_conflicts(office, officer, start, to):
    supervisee = SuperviseeFactory(
        justice_office=office,
        status=start,
        exit_date=dt.date(2026, 2, 1)
        if start in ("terminated", "recommitted", "deceased", "transferred_out")
        else None,
        exit_reason={
            "terminated": "expired",
            "recommitted": "recommitted",
            "deceased": "deceased",
            "transferred_out": "transferred_out",
        }.get(start, ""),
    )
    with pytest.raises(StateConflict):
        supervisee_transition(
            supervisee=supervisee, by=officer, to=to, on=dt.date(2026, 3, 1), reason="expired"
        )
    supervisee.refresh_from_db()
    assert supervisee.status == start
    assert not StatusChange.objects.filter(supervisee=supervisee).exists()
    assert not AuditEvent.objects.filter(action="transition").exists()


def test_every_status_has_a_row_in_the_lifecycle_table():
    assert set(ALLOWED_TRANSITIONS) == set(Status.values)


def test_exit_requires_a_named_reason_and_sets_exit_fields(office, officer):
    supervisee = SuperviseeFactory(justice_office=office)
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(
            supervisee=supervisee, by=officer, to=Status.TERMINATED, on=dt.date(2026, 3, 1), reason="表现良好"
        )
    assert "reason" in refused.value.message_dict
    done = supervisee_transition(
        supervisee=supervisee, by=officer, to=Status.TERMINATED, on=dt.date(2026, 3, 1), reason="pardoned"
    )
    assert (done.status, done.exit_date, done.exit_reason) == (
        Status.TERMINATED,
        dt.date(2026, 3, 1),
        "pardoned",
    )


def test_expiry_before_the_end_of_the_period_is_refused_naming_the_end(office, officer):
    supervisee = SuperviseeFactory(justice_office=office)
    end = supervisee.sentence.end_date
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(
            supervisee=supervisee, by=officer, to=Status.TERMINATED, on=dt.date(2026, 3, 1), reason="expired"
        )
    assert end.isoformat() in refused.value.message_dict["reason"][0]


def test_revocation_must_match_the_category(office, officer):
    supervisee = SuperviseeFactory(justice_office=office, sentence__category=Category.PROBATION)
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(
            supervisee=supervisee,
            by=officer,
            to=Status.TERMINATED,
            on=dt.date(2026, 3, 1),
            reason="parole_revoked",
        )
    assert "Criminal Law art. 86" in refused.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(
            supervisee=supervisee, by=officer, to=Status.RECOMMITTED, on=dt.date(2026, 3, 1)
        )
    assert "Community Correction Law art. 49" in refused.value.message_dict["to"][0]
    done = supervisee_transition(
        supervisee=supervisee,
        by=officer,
        to=Status.TERMINATED,
        on=dt.date(2026, 3, 1),
        reason="probation_revoked",
    )
    assert done.exit_reason == "probation_revoked"


def test_recommitment_of_temporary_execution(office, officer):
    supervisee = SuperviseeFactory(justice_office=office, sentence__category=Category.TEMPORARY_EXECUTION)
    done = supervisee_transition(
        supervisee=supervisee,
        by=officer,
        to=Status.RECOMMITTED,
        on=dt.date(2026, 3, 1),
        reason="病情好转，收监执行",
    )
    assert (done.exit_reason, done.exit_date) == ("recommitted", dt.date(2026, 3, 1))
    assert StatusChange.objects.get(supervisee=done).note == "病情好转，收监执行"


@pytest.mark.parametrize(
    ("on", "message_part"),
    [(dt.date(2099, 1, 1), "future"), (dt.date(2026, 1, 1), "took effect")],
)
def test_dates_in_the_future_or_before_the_decision_are_refused(pending, officer, on, message_part):
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(supervisee=pending, by=officer, to=Status.UNDER_SUPERVISION, on=on)
    assert message_part in " ".join(refused.value.message_dict["date"])
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_REPORT and pending.intake_date is None


def test_a_change_cannot_be_dated_before_the_previous_one(pending, officer):
    supervisee_transition(supervisee=pending, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as refused:
        supervisee_transition(supervisee=pending, by=officer, to=Status.ABSCONDED, on=dt.date(2026, 1, 20))
    assert "date" in refused.value.message_dict


def test_officer_of_another_office_and_read_only_roles_may_not_move_a_case(
    pending, other_office_officer, procurator
):
    for user in (other_office_officer, procurator):
        with pytest.raises(PermissionDenied):
            supervisee_transition(
                supervisee=pending, by=user, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 15)
            )
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_REPORT


def test_supervisor_may_move_any_case_of_the_district(pending, supervisor):
    done = supervisee_transition(
        supervisee=pending, by=supervisor, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 15)
    )
    assert done.status == Status.UNDER_SUPERVISION
