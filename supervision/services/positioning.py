"""Electronic positioning orders (电子定位装置, CCL 29): proposed by the case's office or a supervisor on
one of the five grounds, at most three months, approved by a bureau supervisor who did not propose it
(the county-level justice administration's head approves, CCL 29 para. 1; the person who asked for a
decision never makes it, API.md "Need to know"), with its decision document; extended three months at
most each time after an assessment, with approval again; ended as soon as it is no longer needed
(CCL 29 para. 2). The rules shared with the sweep and the pages are in supervision.positioning."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from config.plausible import date_refusal
from corrections import law
from corrections.constants import EXIT_STATUSES, Category, Status
from corrections.law import chinese_number
from corrections.models import StatusChange, Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case
from corrections.services import register_transition_effect
from documents.constants import DocumentKind
from documents.contents import chinese_date
from documents.models import Document
from documents.services import document_issue

from ..constants import (
    POSITIONING_MAX_MONTHS,
    POSITIONING_TRANSITIONS,
    MeasureKind,
    MeasureStatus,
    PositioningGround,
    PositioningStatus,
)
from ..models import Measure, PositioningOrder, ProhibitionViolation
from ..positioning import GROUND_LAW, GROUND_WORDING, latest_end
from ..selectors import positioning_decisions

CREATE_FIELDS = ("ground", "violation", "reason", "start_date", "end_date", "status", "extends")
DECISION_FIELDS = ("status", "decided_by", "decided_on", "decision_note")
END_FIELDS = ("status", "ended_on", "ended_by", "end_reason")
# CCL 29 para. 1(5): revocation (probation, parole) or recommitment (temporary execution); control is
# neither revoked nor recommitted.
REVOCABLE_CATEGORIES = frozenset({Category.PROBATION, Category.PAROLE, Category.TEMPORARY_EXECUTION})
# The roles that may take each action at all, before anything else (accounts.permissions).
PROPOSE_POSITIONING = RoleRule(
    EDITING_ROLES, gettext_lazy("Your role does not propose electronic positioning.")
)
DECIDE_POSITIONING = RoleRule(
    frozenset({Role.JUSTICE_SUPERVISOR}),
    gettext_lazy("Electronic positioning is decided by a bureau supervisor."),
)
END_POSITIONING = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not end electronic positioning."))


def _term_message(*, start: dt.date, extension: bool) -> str:
    params = {"law": law.POSITIONING_TERM, "months": POSITIONING_MAX_MONTHS, "start": start.isoformat()}
    params["latest"] = latest_end(start).isoformat()
    if extension:
        return (
            _(
                "Each extension lasts at most %(months)d months (%(law)s): from %(start)s it may run until "
                "%(latest)s at the latest."
            )
            % params
        )
    return (
        _(
            "An electronic positioning order lasts at most %(months)d months (%(law)s): from %(start)s it "
            "may run until %(latest)s at the latest."
        )
        % params
    )


def _ground_errors(
    *, supervisee: Supervisee, ground: str, violation: ProhibitionViolation | None, errors: dict
) -> None:
    """Whether the record shows the ground: a violation of a prohibition order recorded against this case
    (item 1, named by the order), an approved warning (item 3), a category that can be revoked or
    recommitted (item 5). Items 2 and 4 rest on the facts stated in `reason`: the police's penalty and a
    departure without approval are not recorded here as such."""
    if ground not in PositioningGround.values:
        errors["ground"] = [
            _("Choose one of the five grounds of %(law)s.") % {"law": law.POSITIONING_GROUNDS}
        ]
        return
    ref = GROUND_LAW[ground]
    if ground == PositioningGround.PROHIBITION_VIOLATED:
        if violation is None:
            errors["violation"] = [
                _("Name the recorded violation of a prohibition order this order rests on (%(law)s).")
                % {"law": ref}
            ]
        elif violation.supervisee_id != supervisee.pk:
            errors["violation"] = [_("That violation was recorded for another case.")]
    elif violation is not None:
        errors["violation"] = [
            _("Only the first ground rests on a violation of a prohibition order (%(law)s).")
            % {"law": law.POSITIONING_PROHIBITION_VIOLATED}
        ]
    if ground == PositioningGround.WARNED_FOR_NOT_REPORTING:
        warned = Measure.objects.filter(
            supervisee=supervisee, kind=MeasureKind.WARNING, status=MeasureStatus.APPROVED
        ).exists()
        if not warned:
            errors["ground"] = [
                _("No warning was approved for this case; this ground needs one (%(law)s).") % {"law": ref}
            ]
    if (
        ground == PositioningGround.REVOCATION_PENDING
        and supervisee.sentence.category not in REVOCABLE_CATEGORIES
    ):
        errors["ground"] = [
            _(
                "Control is neither revoked nor recommitted: this ground applies to probation, parole and "
                "temporary execution (%(law)s)."
            )
            % {"law": ref}
        ]


def _overlapping(supervisee: Supervisee, start: dt.date, end: dt.date) -> PositioningOrder | None:
    """An approved order of the case, not yet over, whose days meet [start, end]."""
    orders = PositioningOrder.objects.filter(
        supervisee=supervisee, status=PositioningStatus.APPROVED, start_date__lte=end, end_date__gte=start
    ).order_by("start_date")
    return orders.first()


@transaction.atomic
def positioning_order_propose(
    *,
    supervisee: Supervisee,
    by: User,
    ground: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    reason: str = "",
    violation: ProhibitionViolation | None = None,
    extends: PositioningOrder | None = None,
) -> PositioningOrder:
    """Propose an order, or (`extends`) the extension of an approved one: from the day after its last
    day, on the same ground. Nothing is in force until a bureau supervisor approves it."""
    # Lock the case: two proposals, or a proposal racing an exit, see the case one after the other.
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(
            _("Your role may read this case but not propose electronic positioning for it.")
        )
    if supervisee.status != Status.UNDER_SUPERVISION:
        raise StateConflict(
            _(
                "Electronic positioning is proposed only for a case under supervision; "
                "this case is %(status)s."
            )
            % {"status": Status(supervisee.status).label}
        )
    today = office_today()
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if extends is not None:
        extends = PositioningOrder.objects.select_for_update(of=("self",)).get(pk=extends.pk)
        if extends.supervisee_id != supervisee.pk:
            raise ValidationError({"extends": [_("That order is another case's.")]})
        if extends.status != PositioningStatus.APPROVED:
            raise StateConflict(
                _("Only an approved order that was not ended is extended; this one is %(status)s.")
                % {"status": PositioningStatus(extends.status).label}
            )
        if extends.end_date < today:
            raise StateConflict(
                _("The order ran until %(date)s: propose a new order instead of an extension.")
                % {"date": extends.end_date.isoformat()}
            )
        if extends.extensions.exclude(status=PositioningStatus.REJECTED).exists():
            raise StateConflict(_("An extension of this order was already proposed."))
        if ground and ground != extends.ground:
            errors["ground"] = [_("An extension keeps the ground of the order it extends.")]
        ground, violation = extends.ground, extends.violation
        first_day = extends.end_date + dt.timedelta(days=1)
        if start_date is not None and start_date != first_day:
            errors["start_date"] = [
                _("An extension begins the day after the order it extends ends: %(date)s.")
                % {"date": first_day.isoformat()}
            ]
        start_date = first_day
    else:
        _ground_errors(supervisee=supervisee, ground=ground, violation=violation, errors=errors)
        if start_date is None:
            errors["start_date"] = [_("Give the first day of the order.")]
        elif start_date < today:
            errors["start_date"] = [
                _("An order is approved before it begins: its first day cannot be before today (%(date)s).")
                % {"date": today.isoformat()}
            ]
        elif refusal := date_refusal(start_date):
            errors["start_date"] = [refusal]
    if not reason:
        errors["reason"] = [_("State the facts and the assessment the order rests on.")]
    if end_date is None:
        errors["end_date"] = [_("Give the last day of the order.")]
    elif start_date is not None and "start_date" not in errors:
        if end_date < start_date:
            errors["end_date"] = [_("The last day cannot be before the first.")]
        # CCL 29 para. 2: at most three months, each extension too.
        elif end_date > latest_end(start_date):
            errors["end_date"] = [_term_message(start=start_date, extension=extends is not None)]
        elif supervisee.sentence.end_date and end_date > supervisee.sentence.end_date:
            errors["end_date"] = [
                _("The order cannot run past the end of the correction period (%(date)s).")
                % {"date": supervisee.sentence.end_date.isoformat()}
            ]
    if errors:
        raise ValidationError(errors)
    if extends is None:
        current = _overlapping(supervisee, start_date, end_date)
        if current is not None:
            raise StateConflict(
                _("An order is in force from %(start)s to %(end)s: propose its extension instead.")
                % {"start": current.start_date.isoformat(), "end": current.end_date.isoformat()}
            )
        if PositioningOrder.objects.filter(
            supervisee=supervisee, status=PositioningStatus.PROPOSED, extends__isnull=True
        ).exists():
            raise StateConflict(_("An order proposed for this case already awaits a decision."))
    order = PositioningOrder(
        supervisee=supervisee,
        ground=ground,
        violation=violation,
        reason=reason,
        start_date=start_date,
        end_date=end_date,
        status=PositioningStatus.PROPOSED,
        extends=extends,
        proposed_by=by,
    )
    order.full_clean()
    order.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=order,
        supervisee_id=supervisee.pk,
        changes=field_changes({}, snapshot(order, CREATE_FIELDS)),
    )
    return order


def _locked(order: PositioningOrder) -> PositioningOrder:
    return (
        PositioningOrder.objects.select_for_update(of=("self",))
        .select_related(
            "supervisee__justice_office", "supervisee__sentence", "extends", "violation__prohibition"
        )
        .get(pk=order.pk)
    )


def _check_transition(order: PositioningOrder, to: str) -> None:
    if to not in POSITIONING_TRANSITIONS[order.status]:
        raise StateConflict(
            _("An order that is %(current)s cannot become %(to)s.")
            % {"current": PositioningStatus(order.status).label, "to": PositioningStatus(to).label}
        )


def _decide(*, order: PositioningOrder, by: User, to: str, note: str) -> PositioningOrder:
    order = _locked(order)
    # CCL 29 para. 1: approved by the head of the county-level justice administration; here a bureau
    # supervisor of the case's district.
    if by.role != Role.JUSTICE_SUPERVISOR or not can_edit_case(by, order.supervisee):
        raise PermissionDenied(
            _("Electronic positioning is decided by a bureau supervisor of the district (%(law)s).")
            % {"law": law.POSITIONING_GROUNDS}
        )
    # Separation of duties (API.md "Need to know"): the person who asked for a decision never makes it.
    if order.proposed_by_id == by.pk:
        raise PermissionDenied(
            _(
                "You proposed this order, so another bureau supervisor must decide it: the person who asked "
                "for a decision never makes it."
            )
        )
    _check_transition(order, to)
    note = (note or "").strip()
    if to == PositioningStatus.REJECTED and not note:
        raise ValidationError({"note": [_("Say why electronic positioning is not approved.")]})
    today = office_today()
    if to == PositioningStatus.APPROVED:
        if order.supervisee.status != Status.UNDER_SUPERVISION:
            raise StateConflict(
                _(
                    "Electronic positioning is approved only for a case under supervision; "
                    "this case is %(status)s."
                )
                % {"status": Status(order.supervisee.status).label}
            )
        if order.start_date < today:
            raise StateConflict(
                _(
                    "The order was to begin on %(date)s: it is not approved after its first day. "
                    "Propose it again."
                )
                % {"date": order.start_date.isoformat()}
            )
        if order.extends is not None and order.extends.status != PositioningStatus.APPROVED:
            raise StateConflict(_("The order this one extends was ended: there is nothing to extend."))
    before = snapshot(order, DECISION_FIELDS)
    order.status, order.decided_by, order.decided_on, order.decision_note = to, by, today, note
    order.save(update_fields=list(DECISION_FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=order,
        supervisee_id=order.supervisee_id,
        changes=field_changes(before, snapshot(order, DECISION_FIELDS)),
    )
    if to == PositioningStatus.APPROVED:
        positioning_decision_write(order=order, by=by)
    return order


def positioning_decision_write(*, order: PositioningOrder, by: User) -> Document:
    """The positioning_decision (API.md v1.1 "What each step writes"), in Chinese, citing CCL 29: written
    by the approval (once per order: documents.services.document_issue), and by the demo for its own."""
    violation = order.violation
    earlier = positioning_decisions([order.extends]).get(order.extends_id) if order.extends_id else None
    return document_issue(
        kind=DocumentKind.POSITIONING_DECISION,
        supervisee=order.supervisee,
        by=by,
        source=order,
        ground_text=GROUND_WORDING[order.ground],
        ground_item=chinese_number(GROUND_LAW[order.ground].item),
        reason=order.reason,
        violation=(
            f"{violation.prohibition.content}（{chinese_date(violation.occurred_on)}：{violation.description}）"
            if violation
            else ""
        ),
        order_start=chinese_date(order.start_date),
        order_end=chinese_date(order.end_date),
        extends_number=earlier.number if earlier else "",
        decision_note=order.decision_note,
    )


@transaction.atomic
def positioning_order_approve(*, order: PositioningOrder, by: User, note: str = "") -> PositioningOrder:
    """Approve the order: it is in force from its first day; the decision document is written."""
    return _decide(order=order, by=by, to=PositioningStatus.APPROVED, note=note)


@transaction.atomic
def positioning_order_reject(*, order: PositioningOrder, by: User, note: str) -> PositioningOrder:
    """Decline it, saying why (the note is required)."""
    return _decide(order=order, by=by, to=PositioningStatus.REJECTED, note=note)


def _end(order: PositioningOrder, *, by: User | None, on: dt.date, reason: str, cascade: bool = True) -> None:
    before = snapshot(order, END_FIELDS)
    order.status, order.ended_on, order.ended_by, order.end_reason = PositioningStatus.ENDED, on, by, reason
    order.save(update_fields=list(END_FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=order,
        supervisee_id=order.supervisee_id,
        changes=field_changes(before, snapshot(order, END_FIELDS)),
    )
    if not cascade:
        return
    # An approved extension of it is over too (it would continue what is no longer needed).
    for extension in PositioningOrder.objects.select_for_update(of=("self",)).filter(
        extends=order, status=PositioningStatus.APPROVED
    ):
        _end(extension, by=by, on=on, reason=reason)


@transaction.atomic
def positioning_order_end(*, order: PositioningOrder, by: User, reason: str) -> PositioningOrder:
    """End an approved order today, as soon as it is no longer needed (CCL 29 para. 2), saying why. The
    case's office or a supervisor ends it; no approval is needed to stop using the device."""
    order = _locked(order)
    if not can_edit_case(by, order.supervisee):
        raise PermissionDenied(_("Your role may read this case but not end its electronic positioning."))
    _check_transition(order, PositioningStatus.ENDED)
    today = office_today()
    if order.end_date < today:
        raise StateConflict(
            _("The order already ran out on %(date)s.") % {"date": order.end_date.isoformat()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why electronic positioning is no longer needed.")]})
    _end(order, by=by, on=today, reason=reason)
    return order


def positioning_order_read_record(
    *, user: User, order: PositioningOrder, ip_address: str | None = None
) -> None:
    """Reading an order is an audited read (CCL 29 para. 3: what positioning yields is confidential)."""
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        target=order,
        supervisee_id=order.supervisee_id,
        ip_address=ip_address,
    )


def _end_on_exit(supervisee: Supervisee, change: StatusChange, by: User) -> None:
    """A closed case is no longer supervised: its approved orders, and extensions not yet begun, end on
    the day it closed (an order that had not begun by then was never in force)."""
    if change.to_status not in EXIT_STATUSES:
        return
    orders = PositioningOrder.objects.select_for_update(of=("self",)).filter(
        supervisee=supervisee, status=PositioningStatus.APPROVED, end_date__gte=change.date
    )
    reason = _("The case was closed (%(status)s).") % {"status": Status(change.to_status).label}
    for order in orders.order_by("start_date", "id"):
        _end(order, by=by, on=change.date, reason=reason, cascade=False)


register_transition_effect(_end_on_exit)
