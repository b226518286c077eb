"""Leave to go out (外出请假): the request, its tiered approval and the return.

docs/rules.md#leave-to-go-out: up to 7 days approved at the justice office, up to 30 days at the district
institution, beyond 30 days (or more than 30 days in any 2 months) at the city level with notice to the
procuratorate. The tiers are *local* data with an effective date (LeaveTier, rules.leave_tiers_for); only
the "2 months" window is fixed here. The `leave_overdue` alert is the sweep's (sweep.leave_overdue)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from corrections import law
from corrections.constants import EXIT_STATUSES, Status
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case
from documents.constants import DocumentKind, NoticeKind
from documents.contents import chinese_date
from documents.services import district_agency, document_issue, notice_send

from ..constants import LEAVE_TRANSITIONS, PERMIT_TRANSITIONS, ApprovalLevel, LeaveStatus, PermitStatus
from ..models import LeavePermit, LeaveRequest, LeaveTier, division_code_validator
from ..rules import leave_notice_days_for, leave_reasons_for, leave_tiers_for

# docs/rules.md#leave-to-go-out: "more than 30 days in any 2 months" goes to the city. Two months are taken as
# 60 days, so the rule reads the same whatever the months' lengths.
WINDOW_DAYS = 60
# Leave that still takes (or took) the person away: it counts towards the 2-month total.
COUNTED_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED, LeaveStatus.RETURNED)
# Leave that blocks another over the same days: asked for or granted, and not yet over.
BLOCKING_STATUSES = (LeaveStatus.PENDING, LeaveStatus.APPROVED)

CREATE_FIELDS = (
    "destination",
    "destination_code",
    "reason_code",
    "reason",
    "urgent",
    "urgent_reason",
    "permit",
    "start_date",
    "end_date",
    "status",
    "approval_level",
    "notify_procuratorate",
)
DECISION_FIELDS = ("status", "decided_by", "decided_at", "decision_note")
RETURN_FIELDS = ("status", "returned_on")

# Who records leave and returns, and who decides leave at all (accounts.permissions): officers and bureau
# supervisors; which requests each decides is `_check_may_decide`'s (the tiers).
RECORD_LEAVE = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not record leave."))
DECIDE_LEAVE = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not decide leave."))


def _inclusive_days(first: dt.date, last: dt.date) -> int:
    return max(0, (last - first).days + 1)


def busiest_window_days(*, periods: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date) -> int:
    """The most leave days (all `periods`, this leave's included) inside one 60-day window that overlaps
    the leave from `start` to `end`.

    Why not only "the 60 days ending at end_date": leave already booked for later (pending or approved
    further ahead) counts too, and that window would miss it. Sliding a window over a handful of periods
    is cheap: the total inside it stops growing exactly where the window starts on a period's first day
    or ends on a period's last day, so those windows (and the first and last windows that still touch
    this leave) are the only ones to try."""
    span = dt.timedelta(days=WINDOW_DAYS - 1)
    lowest, highest = start - span, end  # first days of the windows that overlap this leave
    candidates = {lowest, highest}
    for first, last in periods:
        candidates.update({first, last - span})
    best = 0
    for window_start in candidates:
        if not lowest <= window_start <= highest:
            continue
        window_end = window_start + span
        total = sum(
            _inclusive_days(max(first, window_start), min(last, window_end)) for first, last in periods
        )
        best = max(best, total)
    return best


def _days_away(leave: LeaveRequest) -> tuple[dt.date, dt.date]:
    """The days a leave takes the person away: as asked, or, once back, as it actually was."""
    if leave.status == LeaveStatus.RETURNED and leave.returned_on:
        return leave.start_date, leave.returned_on
    return leave.start_date, leave.end_date


def _tier_for(*, tiers: list[LeaveTier], days: int, days_in_two_months: int) -> LeaveTier:
    by_length = next((t for t in tiers if t.max_days is None or t.max_days >= days), None)
    if by_length is None:
        raise ValidationError(
            _(
                "No leave approval level in force covers %(days)s days; "
                "an administrator must set the leave tiers."
            )
            % {"days": days}
        )
    # docs/rules.md#leave-to-go-out: more than 30 days (the district tier's limit) in any 2 months goes to the
    # city, even when this leave alone is short.
    district = next((t for t in tiers if t.approval_level == ApprovalLevel.DISTRICT), None)
    city = next((t for t in tiers if t.approval_level == ApprovalLevel.CITY), None)
    if district and city and district.max_days is not None and days_in_two_months > district.max_days:
        return city
    return by_length


def residence_code(supervisee: Supervisee) -> str:
    """The county-level division code of where the person lives: the district of the supervising justice
    office, the place of execution being the residence (CCL 17 para. 2)."""
    return supervisee.justice_office.district.code


def destination_errors(*, supervisee: Supervisee, destination_code: str) -> list[str]:
    """CCL 27 para. 1: approval is needed to leave the city or county of residence. A destination in the
    county of residence needs no leave, and says so. Counties are compared by their GB/T 2260 code; two
    urban districts of one city are still two codes, so leave between them is asked for (the cautious
    reading: telling someone wrongly that no leave is needed would be the worse mistake)."""
    if not destination_code:
        return [_("Give the destination's county-level division code.")]
    try:
        division_code_validator(destination_code)
    except ValidationError as error:
        return list(error.messages)
    if destination_code == residence_code(supervisee):
        return [
            _(
                "No leave is needed: the destination is inside the county where the person lives "
                "(%(district)s). %(law)s requires approval only to leave the city or county of residence."
            )
            % {"district": supervisee.justice_office.district.name, "law": law.LEAVE_NEEDS_APPROVAL}
        ]
    return []


def reason_errors(*, district_id: int, on: dt.date, reason_code: str) -> list[str]:
    """CCL 27 para. 1: leave is approved for a proper reason; the proper reasons are the office's list."""
    reasons = leave_reasons_for(district_id=district_id, on=on)
    if reason_code in {r.code for r in reasons}:
        return []
    return [
        _("Choose one of the office's proper reasons for leave (%(law)s): %(reasons)s.")
        % {"law": law.LEAVE_NEEDS_APPROVAL, "reasons": ", ".join(r.label for r in reasons) or "—"}
    ]


def _create_errors(
    *,
    supervisee: Supervisee,
    destination: str,
    destination_code: str,
    reason_code: str,
    reason: str,
    start_date: dt.date,
    end_date: dt.date,
    urgent: bool,
    urgent_reason: str,
    permit: LeavePermit | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = office_today()
    district_id = supervisee.justice_office.district_id
    if not destination:
        errors["destination"] = [_("Say where the person is going.")]
    if problems := destination_errors(supervisee=supervisee, destination_code=destination_code):
        errors["destination_code"] = problems
    if problems := reason_errors(district_id=district_id, on=today, reason_code=reason_code):
        errors["reason_code"] = problems
    if not reason:
        errors["reason"] = [_("Give the reason for the leave.")]
    if urgent and not urgent_reason:
        errors["urgent_reason"] = [_("Say why the leave is urgent.")]
    if start_date < today:
        errors["start_date"] = [
            _("Leave must start today (%(today)s) or later: record the request before the person goes.")
            % {"today": today.isoformat()}
        ]
    elif not urgent and permit is None:
        notice_days = leave_notice_days_for(district_id=district_id, on=today)
        if (start_date - today).days < notice_days:
            errors["start_date"] = [
                ngettext(
                    "Leave is asked for at least %(days)s day ahead (from %(first)s); "
                    "for a sooner start, mark the request urgent and say why.",
                    "Leave is asked for at least %(days)s days ahead (from %(first)s); "
                    "for a sooner start, mark the request urgent and say why.",
                    notice_days,
                )
                % {"days": notice_days, "first": (today + dt.timedelta(days=notice_days)).isoformat()}
            ]
    if end_date < start_date:
        errors.setdefault("end_date", []).append(_("The leave cannot end before it starts."))
    period_end = supervisee.sentence.end_date
    if period_end is not None and end_date > period_end:
        errors.setdefault("end_date", []).append(
            _("Leave cannot run beyond the end of the correction period (%(date)s).")
            % {"date": period_end.isoformat()}
        )
    return errors


def covering_permit(
    *, supervisee: Supervisee, destination_code: str, start_date: dt.date, end_date: dt.date
) -> LeavePermit | None:
    """The approved standing permit whose places include the destination and whose period holds the
    whole leave, if any (the earliest decided first)."""
    permits = LeavePermit.objects.filter(
        supervisee=supervisee,
        status=PermitStatus.APPROVED,
        start_date__lte=start_date,
        end_date__gte=end_date,
    ).order_by("decided_at", "id")
    # `places` is a short JSON list; JSON containment is not portable to SQLite, so it is checked here.
    return next(
        (
            p
            for p in permits
            if p.covers(destination_code=destination_code, start_date=start_date, end_date=end_date)
        ),
        None,
    )


def _overlap_errors(*, supervisee: Supervisee, start_date: dt.date, end_date: dt.date) -> dict[str, list]:
    today = office_today()
    blocking = (
        LeaveRequest.objects.filter(supervisee=supervisee, status__in=BLOCKING_STATUSES)
        .filter(
            Q(start_date__lte=end_date, end_date__gte=start_date)
            | Q(status=LeaveStatus.APPROVED, end_date__lt=today)
        )
        .order_by("start_date", "id")
        .first()
    )
    if blocking is None:
        return {}
    if blocking.status == LeaveStatus.APPROVED and blocking.end_date < today:
        message = _(
            "The person is not recorded as back from the leave that ended on %(date)s: record the return "
            "first."
        ) % {"date": blocking.end_date.isoformat()}
    else:
        message = _("These dates overlap another leave of this case (%(start)s to %(end)s, %(status)s).") % {
            "start": blocking.start_date.isoformat(),
            "end": blocking.end_date.isoformat(),
            "status": LeaveStatus(blocking.status).label,
        }
    return {"start_date": [message]}


@transaction.atomic
def leave_request_create(
    *,
    supervisee: Supervisee,
    by: User,
    destination: str,
    destination_code: str,
    reason_code: str,
    reason: str,
    start_date: dt.date,
    end_date: dt.date,
    urgent: bool = False,
    urgent_reason: str = "",
) -> LeaveRequest:
    """Record a request for leave and route it to the level that approves it (the tiers in force on the
    first day of leave). Only for a case under supervision, for one of the office's proper reasons, to a
    county other than the one of residence (CCL 27 para. 1), asked for the office's notice days ahead
    unless urgent (with why), starting today or later, inside the correction period and over no other
    pending or approved leave.

    Under a standing cross-city permit (LeavePermit: approved, its places include the destination and its
    period holds the leave), the leave needs no new decision: it is recorded as approved, naming the
    permit and its approver, with no notice days required, and its approval document is issued as for
    any approved leave. Leave that the tiers send to the city level is never covered by a permit: it is
    decided by the city, with notice to the procuratorate."""
    # Lock the case: two requests at once must each see the other when checking overlap and the total.
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office__district", "sentence")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not record leave for it."))
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise StateConflict(
            _("Leave is recorded only for a case under supervision; this case is %(status)s.")
            % {"status": Status(supervisee.status).label}
        )
    destination, reason = (destination or "").strip(), (reason or "").strip()
    destination_code, reason_code = (destination_code or "").strip(), (reason_code or "").strip()
    urgent_reason = (urgent_reason or "").strip() if urgent else ""

    # The 2-month total and the tier first: whether a permit may cover the leave depends on the tier.
    horizon = dt.timedelta(days=WINDOW_DAYS - 1)
    counted = LeaveRequest.objects.filter(
        supervisee=supervisee, status__in=COUNTED_STATUSES, start_date__lte=end_date + horizon
    ).filter(Q(end_date__gte=start_date - horizon) | Q(returned_on__gte=start_date - horizon))
    periods = [_days_away(other) for other in counted] + [(start_date, end_date)]
    days_in_two_months = busiest_window_days(periods=periods, start=start_date, end=end_date)
    tiers = leave_tiers_for(district_id=supervisee.justice_office.district_id, on=start_date)
    tier = _tier_for(
        tiers=tiers, days=_inclusive_days(start_date, end_date), days_in_two_months=days_in_two_months
    )
    permit = None
    if tier.approval_level != ApprovalLevel.CITY:
        permit = covering_permit(
            supervisee=supervisee, destination_code=destination_code, start_date=start_date, end_date=end_date
        )

    errors = _create_errors(
        supervisee=supervisee,
        destination=destination,
        destination_code=destination_code,
        reason_code=reason_code,
        reason=reason,
        start_date=start_date,
        end_date=end_date,
        urgent=urgent,
        urgent_reason=urgent_reason,
        permit=permit,
    )
    if not errors:
        errors = _overlap_errors(supervisee=supervisee, start_date=start_date, end_date=end_date)
    if errors:
        raise ValidationError(errors)

    leave = LeaveRequest(
        supervisee=supervisee,
        destination=destination,
        destination_code=destination_code,
        reason_code=reason_code,
        reason=reason,
        urgent=urgent,
        urgent_reason=urgent_reason,
        start_date=start_date,
        end_date=end_date,
        status=LeaveStatus.PENDING,
        approval_level=tier.approval_level,
        notify_procuratorate=tier.notify_procuratorate,
        requested_by=by,
    )
    if permit is not None:
        # Approved by the permit: its approver's decision, named in the note.
        with translation.override("zh-hans"):
            note = _("Within standing cross-city permit no. %(id)s (%(start)s to %(end)s).") % {
                "id": permit.pk,
                "start": permit.start_date.isoformat(),
                "end": permit.end_date.isoformat(),
            }
        leave.permit, leave.status = permit, LeaveStatus.APPROVED
        leave.decided_by_id, leave.decided_at, leave.decision_note = (
            permit.decided_by_id,
            timezone.now(),
            note,
        )
    leave.full_clean()
    leave.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=leave,
        supervisee_id=supervisee.pk,
        changes={
            **field_changes({}, snapshot(leave, CREATE_FIELDS)),
            # Why the level was chosen, kept with the record of it.
            "days_in_two_months": days_in_two_months,
        },
    )
    if permit is not None:
        _write_approval(leave, by)
    return leave


def _locked(leave: LeaveRequest) -> LeaveRequest:
    return (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("supervisee__justice_office", "requested_by")
        .get(pk=leave.pk)
    )


def _check_state(leave: LeaveRequest, to: str) -> None:
    if to not in LEAVE_TRANSITIONS[leave.status]:
        raise StateConflict(
            _("A leave request that is %(current)s cannot become %(to)s.")
            % {"current": LeaveStatus(leave.status).label, "to": LeaveStatus(to).label}
        )
    if leave.supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))


def _check_may_decide(leave: LeaveRequest, by: User) -> None:
    """Measures' tiers: the justice office decides short leave (its officers, or a bureau supervisor);
    longer leave is the district institution's, i.e. a bureau supervisor's; at the city level the city
    decides and a bureau supervisor records that decision."""
    if not can_edit_case(by, leave.supervisee):
        raise PermissionDenied(_("Your role may read this leave request but not decide it."))
    # Separation of duties (contract): whoever asked for the decision never makes it. At the city level
    # the city decides and the supervisor only records its decision, so the recorder may be the asker.
    if leave.requested_by_id == by.pk and leave.approval_level != ApprovalLevel.CITY:
        raise PermissionDenied(
            _("You recorded this leave request, so another user with the right to decide must decide it.")
        )
    if leave.approval_level == ApprovalLevel.JUSTICE_OFFICE:
        return
    if by.role != Role.JUSTICE_SUPERVISOR:
        if leave.approval_level == ApprovalLevel.CITY:
            raise PermissionDenied(
                _("Leave at the city level is decided by the city; a bureau supervisor records the decision.")
            )
        raise PermissionDenied(
            _("Leave of this length is decided by the district institution (a bureau supervisor).")
        )


def _decide(*, leave: LeaveRequest, by: User, to: str, note: str) -> LeaveRequest:
    leave = _locked(leave)
    _check_may_decide(leave, by)
    _check_state(leave, to)
    note = (note or "").strip()
    if to == LeaveStatus.REJECTED and not note:
        raise ValidationError({"note": [_("Say why the leave is refused.")]})
    if leave.approval_level == ApprovalLevel.CITY and not note:
        raise ValidationError(
            {"note": [_("Give the reference of the city's decision (its document number and date).")]}
        )
    if to == LeaveStatus.APPROVED:
        if leave.supervisee.status != Status.UNDER_SUPERVISION:
            raise StateConflict(
                _("Leave is approved only for a case under supervision; this case is %(status)s.")
                % {"status": Status(leave.supervisee.status).label}
            )
        today = office_today()
        if leave.end_date < today:
            raise StateConflict(
                _("The leave's last day (%(date)s) has passed: it can no longer be approved.")
                % {"date": leave.end_date.isoformat()}
            )
    before = snapshot(leave, DECISION_FIELDS)
    leave.status, leave.decided_by, leave.decided_at, leave.decision_note = to, by, timezone.now(), note
    leave.save(update_fields=list(DECISION_FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=leave,
        supervisee_id=leave.supervisee_id,
        changes=field_changes(before, snapshot(leave, DECISION_FIELDS)),
    )
    if to == LeaveStatus.APPROVED:
        _write_approval(leave, by)
    return leave


def _write_approval(leave: LeaveRequest, by: User) -> None:
    """The approval's document, and the notice to the procuratorate when the leave was decided at the
    city level (API.md v1.1 "What each step writes"; the tier says so: LeaveTier.notify_procuratorate)."""
    with translation.override("zh-hans"):
        level = str(leave.get_approval_level_display())
    document = document_issue(
        kind=DocumentKind.LEAVE_APPROVAL,
        supervisee=leave.supervisee,
        by=by,
        source=leave,
        start_date_leave=chinese_date(leave.start_date),
        end_date_leave=chinese_date(leave.end_date),
        days=str(leave.days),
        destination=leave.destination,
        reason=leave.reason,
        level=level,
        decision_note=leave.decision_note,
    )
    if leave.notify_procuratorate:
        procuratorate = district_agency(
            district_id=leave.supervisee.justice_office.district_id, kind=AgencyKind.PROCURATORATE
        )
        # The notice must actually go: with no procuratorate on record the approval is refused (and rolled
        # back with its document) rather than recorded without its notice.
        if procuratorate is None:
            raise StateConflict(
                _(
                    "The district has no procuratorate on record, so the notice of leave decided at the "
                    "city level cannot be sent: an administrator must add the procuratorate first."
                )
            )
        notice_send(
            kind=NoticeKind.LEAVE_CITY_LEVEL,
            supervisee=leave.supervisee,
            by=by,
            to=[procuratorate],
            source=leave,
            document=document,
        )


@transaction.atomic
def leave_request_approve(*, leave: LeaveRequest, by: User, note: str = "") -> LeaveRequest:
    """Approve at the request's level; at the city level `note` names the city's decision."""
    return _decide(leave=leave, by=by, to=LeaveStatus.APPROVED, note=note)


@transaction.atomic
def leave_request_reject(*, leave: LeaveRequest, by: User, note: str) -> LeaveRequest:
    """Refuse the leave, saying why (the note is required)."""
    return _decide(leave=leave, by=by, to=LeaveStatus.REJECTED, note=note)


@transaction.atomic
def leave_request_return(*, leave: LeaveRequest, by: User, returned_on: dt.date) -> LeaveRequest:
    """The person is back. A late return (after the last day of leave) is recorded, and noted as late in
    the audit trail; the `leave_overdue` alert the sweep raised stays for an officer to resolve."""
    leave = _locked(leave)
    if not can_edit_case(by, leave.supervisee):
        raise PermissionDenied(_("Your role may read this leave request but not record the return."))
    _check_state(leave, LeaveStatus.RETURNED)
    today = office_today()
    if returned_on > today:
        raise ValidationError({"returned_on": [_("The return cannot be in the future.")]})
    if returned_on < leave.start_date:
        raise ValidationError(
            {
                "returned_on": [
                    _("The return cannot be before the leave began (%(date)s).")
                    % {"date": leave.start_date.isoformat()}
                ]
            }
        )
    before = snapshot(leave, RETURN_FIELDS)
    leave.status, leave.returned_on = LeaveStatus.RETURNED, returned_on
    leave.save(update_fields=list(RETURN_FIELDS))
    changes: dict = field_changes(before, snapshot(leave, RETURN_FIELDS))
    late_days = leave.late_days
    if late_days > 0:
        changes["note"] = ngettext(
            "Back %(days)s day late: the leave ended on %(date)s.",
            "Back %(days)s days late: the leave ended on %(date)s.",
            late_days,
        ) % {
            "days": late_days,
            "date": leave.end_date.isoformat(),
        }
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=leave,
        supervisee_id=leave.supervisee_id,
        changes=changes,
    )
    return leave


# --- Standing cross-city permits (CCL 27 para. 1: simplified approval for frequent travel) -------------

PERMIT_CREATE_FIELDS = ("reason_code", "details", "places", "start_date", "end_date", "status")
PERMIT_DECISION_FIELDS = ("status", "decided_by", "decided_at", "decision_note")
PROPOSE_PERMIT = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not propose cross-city permits."))
# A bureau supervisor decides (the approval the permit stands for); never the proposer.
DECIDE_PERMIT = RoleRule(
    frozenset({Role.JUSTICE_SUPERVISOR}), gettext_lazy("Only a bureau supervisor decides cross-city permits.")
)


def _places_errors(*, supervisee: Supervisee, places) -> list[str]:
    if not isinstance(places, list) or not places or not all(isinstance(p, str) for p in places):
        return [_("List at least one place, each as its county-level division code.")]
    problems: list[str] = []
    for place in places:
        problems += [
            f"{place}: {message}"
            for message in destination_errors(supervisee=supervisee, destination_code=place)
        ]
    if len(set(places)) != len(places):
        problems.append(_("A place is listed twice."))
    return problems


@transaction.atomic
def leave_permit_propose(
    *,
    supervisee: Supervisee,
    by: User,
    reason_code: str,
    details: str,
    places: list[str],
    start_date: dt.date,
    end_date: dt.date,
) -> LeavePermit:
    """Propose a standing cross-city permit: for one of the office's proper reasons, to places outside the
    county of residence, for a period inside the correction period starting today or later."""
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office__district", "sentence")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not propose a permit for it."))
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise StateConflict(
            _("Leave is recorded only for a case under supervision; this case is %(status)s.")
            % {"status": Status(supervisee.status).label}
        )
    today = office_today()
    reason_code, details = (reason_code or "").strip(), (details or "").strip()
    if isinstance(places, list):
        places = [str(p).strip() for p in places]
    errors: dict[str, list[str]] = {}
    if problems := reason_errors(
        district_id=supervisee.justice_office.district_id, on=today, reason_code=reason_code
    ):
        errors["reason_code"] = problems
    if not details:
        errors["details"] = [_("Say what the frequent travel is for (work, family, treatment…).")]
    if problems := _places_errors(supervisee=supervisee, places=places):
        errors["places"] = problems
    if start_date < today:
        errors["start_date"] = [
            _("The permit cannot start before today (%(today)s).") % {"today": today.isoformat()}
        ]
    if end_date < start_date:
        errors.setdefault("end_date", []).append(_("The permit cannot end before it starts."))
    period_end = supervisee.sentence.end_date
    if period_end is not None and end_date > period_end:
        errors.setdefault("end_date", []).append(
            _("The permit cannot run beyond the end of the correction period (%(date)s).")
            % {"date": period_end.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    permit = LeavePermit(
        supervisee=supervisee,
        reason_code=reason_code,
        details=details,
        places=places,
        start_date=start_date,
        end_date=end_date,
        status=PermitStatus.PROPOSED,
        proposed_by=by,
    )
    permit.full_clean()
    permit.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=permit,
        supervisee_id=supervisee.pk,
        changes=field_changes({}, snapshot(permit, PERMIT_CREATE_FIELDS)),
    )
    return permit


def _decide_permit(*, permit: LeavePermit, by: User, to: str, note: str) -> LeavePermit:
    permit = (
        LeavePermit.objects.select_for_update(of=("self",))
        .select_related("supervisee__justice_office")
        .get(pk=permit.pk)
    )
    if not can_edit_case(by, permit.supervisee):
        raise PermissionDenied(_("Your role may read this permit but not decide it."))
    if by.role != Role.JUSTICE_SUPERVISOR:
        raise PermissionDenied(DECIDE_PERMIT.refusal)
    if permit.proposed_by_id == by.pk:
        raise PermissionDenied(_("You proposed this permit, so another bureau supervisor must decide it."))
    if to not in PERMIT_TRANSITIONS[permit.status]:
        raise StateConflict(
            _("A permit that is %(current)s cannot become %(to)s.")
            % {"current": PermitStatus(permit.status).label, "to": PermitStatus(to).label}
        )
    if permit.supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))
    note = (note or "").strip()
    if to == PermitStatus.REJECTED and not note:
        raise ValidationError({"note": [_("Say why the permit is refused.")]})
    if to == PermitStatus.APPROVED and permit.end_date < office_today():
        raise StateConflict(
            _("The permit's last day (%(date)s) has passed: it can no longer be approved.")
            % {"date": permit.end_date.isoformat()}
        )
    before = snapshot(permit, PERMIT_DECISION_FIELDS)
    permit.status, permit.decided_by, permit.decided_at, permit.decision_note = to, by, timezone.now(), note
    permit.save(update_fields=list(PERMIT_DECISION_FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=permit,
        supervisee_id=permit.supervisee_id,
        changes=field_changes(before, snapshot(permit, PERMIT_DECISION_FIELDS)),
    )
    return permit


@transaction.atomic
def leave_permit_approve(*, permit: LeavePermit, by: User, note: str = "") -> LeavePermit:
    """Approve a standing permit: a bureau supervisor other than the proposer."""
    return _decide_permit(permit=permit, by=by, to=PermitStatus.APPROVED, note=note)


@transaction.atomic
def leave_permit_reject(*, permit: LeavePermit, by: User, note: str) -> LeavePermit:
    """Refuse a standing permit, saying why."""
    return _decide_permit(permit=permit, by=by, to=PermitStatus.REJECTED, note=note)
