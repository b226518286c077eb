"""Leave to go out (外出请假): tiers, the 2-month total, who decides, transitions, return, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections.services import supervisee_transition
from supervision.constants import ApprovalLevel, LeaveStatus
from supervision.models import LeaveRequest
from supervision.services.leave import (
    busiest_window_days,
    leave_request_approve,
    leave_request_create,
    leave_request_reject,
    leave_request_return,
)
from tests.factories import LEAVE_BY_THE_LAW, SuperviseeFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer)


def request_leave(case, by, *, start_in: int = 1, days: int = 3, destination: str = "济南") -> LeaveRequest:
    start = today() + dt.timedelta(days=start_in)
    return leave_request_create(
        supervisee=case,
        by=by,
        **LEAVE_BY_THE_LAW,
        destination=destination,
        reason="探望住院的父亲",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
    )


def audit_rows(leave: LeaveRequest, action: str):
    return AuditEvent.objects.filter(
        target_type="supervision.leaverequest", target_id=str(leave.pk), action=action
    )


@pytest.mark.parametrize(
    ("days", "level", "notify"),
    [
        (1, ApprovalLevel.JUSTICE_OFFICE, False),
        (7, ApprovalLevel.JUSTICE_OFFICE, False),
        (8, ApprovalLevel.DISTRICT, False),
        (30, ApprovalLevel.DISTRICT, False),
        (31, ApprovalLevel.CITY, True),
    ],
)
def test_the_tier_follows_the_length_at_its_boundaries(case, officer, days, level, notify):
    leave = request_leave(case, officer, days=days)
    assert leave.days == days
    assert (leave.approval_level, leave.notify_procuratorate) == (level, notify)
    assert leave.status == LeaveStatus.PENDING


def test_more_than_30_days_in_two_months_sends_a_short_leave_to_the_city(case, officer, supervisor):
    first = request_leave(case, officer, start_in=1, days=25)
    leave_request_approve(leave=first, by=supervisor)
    # 25 + 6 = 31 days within 60: this 6-day leave alone would be the justice office's.
    second = request_leave(case, officer, start_in=40, days=6)
    assert (second.approval_level, second.notify_procuratorate) == (ApprovalLevel.CITY, True)
    assert audit_rows(second, "create").get().changes["days_in_two_months"] == 31


def test_leave_already_booked_later_counts_towards_the_two_months(case, officer, supervisor):
    later = request_leave(case, officer, start_in=30, days=25)
    assert later.approval_level == ApprovalLevel.DISTRICT
    earlier = request_leave(case, officer, start_in=1, days=6)
    assert earlier.approval_level == ApprovalLevel.CITY


def test_leave_outside_any_shared_two_months_stays_at_its_own_tier(case, officer, supervisor):
    request_leave(case, officer, start_in=1, days=25)
    # Starts 65 days after the first ended: no 60-day window holds both.
    far = request_leave(case, officer, start_in=90, days=6)
    assert far.approval_level == ApprovalLevel.JUSTICE_OFFICE


def test_rejected_leave_does_not_count_towards_the_two_months(case, officer, supervisor):
    first = request_leave(case, officer, start_in=1, days=25)
    leave_request_reject(leave=first, by=supervisor, note="理由不充分")
    assert request_leave(case, officer, start_in=30, days=6).approval_level == ApprovalLevel.JUSTICE_OFFICE


def test_busiest_window_counts_the_days_inside_one_60_day_window():
    day = dt.date(2026, 12, 1)
    this = (day, day + dt.timedelta(days=5))  # 6 days
    before = (day - dt.timedelta(days=60), day - dt.timedelta(days=41))  # 20 days, 41-60 days before
    # The window starting 54 days before holds 14 of the 20 earlier days and all 6 of this leave.
    assert busiest_window_days(periods=[before, this], start=this[0], end=this[1]) == 20
    assert busiest_window_days(periods=[this], start=this[0], end=this[1]) == 6


def test_a_request_is_audited_with_its_tier(case, officer):
    leave = request_leave(case, officer, days=8)
    row = audit_rows(leave, "create").get()
    assert row.actor == officer
    assert row.supervisee_id == case.pk
    assert row.changes["approval_level"] == {"before": None, "after": "district"}
    assert row.changes["end_date"]["after"] == leave.end_date.isoformat()


def test_overlapping_leave_is_refused(case, officer):
    request_leave(case, officer, start_in=5, days=5)
    with pytest.raises(ValidationError) as error:
        request_leave(case, officer, start_in=9, days=3)
    assert "overlap" in error.value.message_dict["start_date"][0]
    assert LeaveRequest.objects.filter(supervisee=case).count() == 1


def test_leave_beyond_the_end_of_the_period_is_refused(case, officer):
    period_end = case.sentence.end_date
    with pytest.raises(ValidationError) as error:
        leave_request_create(
            supervisee=case,
            by=officer,
            **LEAVE_BY_THE_LAW,
            destination="上海",
            reason="务工",
            start_date=period_end - dt.timedelta(days=2),
            end_date=period_end + dt.timedelta(days=1),
        )
    assert period_end.isoformat() in error.value.message_dict["end_date"][0]
    # Up to the last day of the period is allowed.
    leave = leave_request_create(
        supervisee=case,
        by=officer,
        **LEAVE_BY_THE_LAW,
        destination="上海",
        reason="务工",
        start_date=period_end - dt.timedelta(days=2),
        end_date=period_end,
    )
    assert leave.end_date == period_end


def test_leave_starting_in_the_past_is_refused_and_today_is_allowed(case, officer):
    with pytest.raises(ValidationError) as error:
        request_leave(case, officer, start_in=-1)
    assert "today" in error.value.message_dict["start_date"][0]
    assert request_leave(case, officer, start_in=0).start_date == today()


def test_end_before_start_and_blank_fields_are_refused(case, officer):
    with pytest.raises(ValidationError) as error:
        leave_request_create(
            supervisee=case,
            by=officer,
            **LEAVE_BY_THE_LAW,
            destination=" ",
            reason="",
            start_date=today() + dt.timedelta(days=3),
            end_date=today() + dt.timedelta(days=2),
        )
    assert set(error.value.message_dict) == {"destination", "reason", "end_date"}


def test_leave_only_for_a_case_under_supervision(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today())
    with pytest.raises(StateConflict):
        request_leave(case, officer)


def test_only_those_who_may_change_the_case_record_leave(case, procurator, other_office_officer, supervisor):
    for user in (procurator, other_office_officer):
        with pytest.raises(PermissionDenied):
            request_leave(case, user)
    assert request_leave(case, supervisor).requested_by == supervisor


def test_the_person_must_be_back_from_overdue_leave_first(case, officer):
    LeaveRequest.objects.create(
        supervisee=case,
        destination="临沂",
        reason="探亲",
        start_date=today() - dt.timedelta(days=10),
        end_date=today() - dt.timedelta(days=3),
        status=LeaveStatus.APPROVED,
        approval_level=ApprovalLevel.DISTRICT,
        requested_by=officer,
    )
    with pytest.raises(ValidationError) as error:
        request_leave(case, officer, start_in=2)
    assert "record the return" in error.value.message_dict["start_date"][0]


# Who decides each tier (Measures; docs/roles.md#who-decides-what).


def test_justice_office_leave_is_approved_by_the_office_or_a_supervisor(case, officer, supervisor, colleague):
    first = request_leave(case, officer, start_in=1, days=7)
    approved = leave_request_approve(leave=first, by=colleague, note="同意")
    assert (approved.status, approved.decided_by, approved.decision_note) == ("approved", colleague, "同意")
    assert approved.decided_at is not None
    second = request_leave(case, officer, start_in=100, days=7)
    assert leave_request_approve(leave=second, by=supervisor).decided_by == supervisor


def test_justice_office_leave_is_not_decided_by_the_procuratorate(case, officer, procurator):
    leave = request_leave(case, officer, days=7)
    with pytest.raises(PermissionDenied):
        leave_request_approve(leave=leave, by=procurator)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING


def test_district_leave_is_approved_by_a_supervisor_only(case, officer, supervisor, colleague):
    leave = request_leave(case, officer, days=8)
    with pytest.raises(PermissionDenied):
        leave_request_approve(leave=leave, by=colleague)
    with pytest.raises(PermissionDenied):
        leave_request_reject(leave=leave, by=colleague, note="不同意")
    assert leave_request_approve(leave=leave, by=supervisor).status == LeaveStatus.APPROVED


def test_city_leave_is_recorded_by_a_supervisor_with_the_city_decision(
    agencies, case, officer, supervisor, colleague
):
    leave = request_leave(case, officer, days=31)
    with pytest.raises(PermissionDenied):
        leave_request_approve(leave=leave, by=colleague, note="市局批复")
    with pytest.raises(ValidationError) as error:
        leave_request_approve(leave=leave, by=supervisor)
    assert "city" in error.value.message_dict["note"][0]
    approved = leave_request_approve(leave=leave, by=supervisor, note="枣司矫〔2026〕12号, 2026-11-24")
    assert approved.status == LeaveStatus.APPROVED
    assert approved.decision_note.startswith("枣司矫")


def test_approving_twice_is_a_conflict(case, officer, colleague):
    leave = request_leave(case, officer)
    leave_request_approve(leave=leave, by=colleague)
    with pytest.raises(StateConflict):
        leave_request_approve(leave=leave, by=colleague)
    assert audit_rows(leave, "transition").count() == 1


def test_a_rejection_needs_a_note(case, officer, colleague):
    leave = request_leave(case, officer)
    with pytest.raises(ValidationError) as error:
        leave_request_reject(leave=leave, by=colleague, note="  ")
    assert "note" in error.value.message_dict
    rejected = leave_request_reject(leave=leave, by=colleague, note="目的地为禁止进入区域")
    assert rejected.status == LeaveStatus.REJECTED


def test_a_decision_is_audited(case, officer, colleague):
    leave = request_leave(case, officer)
    leave_request_reject(leave=leave, by=colleague, note="不符合条件")
    row = audit_rows(leave, "transition").get()
    assert row.actor == colleague
    assert row.changes["status"] == {"before": "pending", "after": "rejected"}
    assert row.changes["decision_note"]["after"] == "不符合条件"


# Return.


def test_returning_a_rejected_leave_is_a_conflict(case, officer, colleague):
    leave = request_leave(case, officer, start_in=0)
    leave_request_reject(leave=leave, by=colleague, note="不同意")
    with pytest.raises(StateConflict):
        leave_request_return(leave=leave, by=officer, returned_on=today())


def test_return_is_recorded_and_audited(case, officer, colleague):
    leave = request_leave(case, officer, start_in=0, days=3)
    leave_request_approve(leave=leave, by=colleague)
    returned = leave_request_return(leave=leave, by=officer, returned_on=today())
    assert (returned.status, returned.returned_on) == (LeaveStatus.RETURNED, today())
    row = audit_rows(leave, "transition").order_by("-id").first()
    assert row.changes["returned_on"] == {"before": None, "after": today().isoformat()}
    assert "note" not in row.changes  # not late


def test_return_cannot_be_in_the_future(case, officer, colleague):
    leave = request_leave(case, officer, start_in=0, days=3)
    leave_request_approve(leave=leave, by=colleague)
    with pytest.raises(ValidationError) as error:
        leave_request_return(leave=leave, by=officer, returned_on=today() + dt.timedelta(days=1))
    assert "returned_on" in error.value.message_dict


def test_return_cannot_be_before_the_leave_began(case, officer):
    leave = LeaveRequest.objects.create(
        supervisee=case,
        destination="临沂",
        reason="探亲",
        start_date=today() - dt.timedelta(days=2),
        end_date=today() + dt.timedelta(days=2),
        status=LeaveStatus.APPROVED,
        approval_level=ApprovalLevel.JUSTICE_OFFICE,
        requested_by=officer,
    )
    with pytest.raises(ValidationError) as error:
        leave_request_return(leave=leave, by=officer, returned_on=today() - dt.timedelta(days=3))
    assert "before the leave began" in error.value.message_dict["returned_on"][0]


def test_a_late_return_is_allowed_and_noted(case, officer):
    leave = LeaveRequest.objects.create(
        supervisee=case,
        destination="临沂",
        reason="探亲",
        start_date=today() - dt.timedelta(days=10),
        end_date=today() - dt.timedelta(days=3),
        status=LeaveStatus.APPROVED,
        approval_level=ApprovalLevel.DISTRICT,
        requested_by=officer,
    )
    returned = leave_request_return(leave=leave, by=officer, returned_on=today())
    assert returned.status == LeaveStatus.RETURNED
    row = audit_rows(leave, "transition").get()
    assert "3 days late" in row.changes["note"]


def test_return_is_not_recorded_by_the_procuratorate(case, officer, procurator, colleague):
    leave = request_leave(case, officer, start_in=0)
    leave_request_approve(leave=leave, by=colleague)
    with pytest.raises(PermissionDenied):
        leave_request_return(leave=leave, by=procurator, returned_on=today())
