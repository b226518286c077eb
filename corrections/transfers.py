"""Transfer of the place of execution between two districts on this system (变更执行地, CCL 27 para. 2).

The one path of a transfer (docs/rules.md, "Transfer of the place of execution"):

1. The sending office (an officer of the case's office, or a supervisor of its district) proposes a
   transfer of a case under supervision to a justice office of another district, with the reason and
   the new residence (`transfer_propose`). The answer is due `reply_days` after the proposal's day, under
   the receiving district's rule in force (`TransferRule`, *local* data).
2. A supervisor of the receiving district's bureau accepts (`transfer_accept`) or refuses with a reason
   (`transfer_refuse`); the proposer never decides (403), and nobody in the sending district does. An
   answer after the due day is still recorded; it is shown as late. The sender may withdraw the proposal
   while it awaits its answer (`transfer_withdraw`).
3. On acceptance the same case file moves: its office is the receiving office from the transfer date
   (the day of acceptance), its officer is left for the receiving bureau to assign, its residence is the
   new one, and the sending side's team members leave the team on that day. Nothing of the reporting
   duty is reset (the intake date, the status and the check-ins stay: supervision.duties counts from
   them), so the next report is due as before. Registered effects then run in the same transaction:
   documents sends the `transfer` notices (documents.effects).

Who sees what (registered into corrections.scoping): while a transfer awaits its answer the receiving
district's supervisors see the case (to decide it), read-only; after it, the sending office's officers and
the sending district's supervisors and procuratorate keep a read-only view of the case (its whole history,
and what the receiver adds), and `can_edit_case` is false for them because the case's office moved.

The old direct move to `transferred_out` (workspace.lifecycle) stays only for a transfer to a place that
is not on this system: it closes the case here.

`office_on` is the case's office on a day, taking accepted transfers into account: the statistics count a
case for the unit (district or office) that held it on each day (reports.statistics).
"""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.local_rules import in_force
from accounts.models import Agency, User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import local_date, office_today

from . import law
from .constants import TRANSFER_TRANSITIONS, TRANSFERABLE_STATUSES, Status, TransferStatus
from .models import CorrectionTeamMember, Supervisee, Transfer, TransferRule
from .scoping import EDITING_ROLES, can_edit_case, register_visibility_rule, supervisees_visible_to
from .teams import case_revoke

# Proposing and withdrawing: the justice roles of the sending side (their case, can_edit_case).
PROPOSE_TRANSFERS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not propose transfers."))
# Accepting and refusing: a supervisor of the receiving district's bureau.
DECIDE_TRANSFERS = RoleRule(
    frozenset({Role.JUSTICE_SUPERVISOR}),
    gettext_lazy("Only a justice bureau's supervisor answers a transfer."),
)
REASON_MAX = 2000

TransferEffect = Callable[[Transfer, User], None]
_transfer_effects: list[TransferEffect] = []


def register_transfer_effect(effect: TransferEffect) -> None:
    """Higher apps add what an accepted transfer writes (documents: the `transfer` notices). Each runs in
    the acceptance's transaction."""
    if effect not in _transfer_effects:
        _transfer_effects.append(effect)


# --- the deadline (local data) -------------------------------------------------------------------------


def reply_days_for(*, district_id: int, on: dt.date) -> int:
    """Days the receiving district's bureau has to answer, under its rule in force on `on` (the model's
    default, 5, when no row is in force)."""
    rule = in_force(TransferRule, district=district_id, on=on).get(())
    return rule.reply_days if rule else TransferRule._meta.get_field("reply_days").default


def overdue_condition(today: dt.date) -> Q:
    """Q over Transfer: awaiting its answer after the due day (the due day itself is still in time). The
    one rule, read by `is_overdue` for one transfer and by the sweep's `transfer_overdue` alert."""
    return Q(status=TransferStatus.PROPOSED, reply_due__lt=today)


def is_overdue(transfer: Transfer, *, today: dt.date) -> bool:
    """`overdue_condition` for one transfer, without a query."""
    return transfer.status == TransferStatus.PROPOSED and transfer.reply_due < today


def answered_late(transfer: Transfer) -> bool:
    """Answered (accepted or refused) on a day after the due day."""
    if transfer.decided_at is None or transfer.status not in (
        TransferStatus.ACCEPTED,
        TransferStatus.REFUSED,
    ):
        return False
    return local_date(transfer.decided_at) > transfer.reply_due


# --- reads ---------------------------------------------------------------------------------------------


def transfer_list(
    *, user: User, box: str | None = None, supervisee_id: int | None = None
) -> QuerySet[Transfer]:
    """The transfers of the cases `user` sees (corrections.scoping), newest first. `box=inbox`: those
    addressed to the user's district (supervisors) or office (officers); `outbox`: those sent from it."""
    transfers = Transfer.objects.filter(
        supervisee__in=supervisees_visible_to(user).values("pk")
    ).select_related(
        "supervisee", "from_office__district", "to_office__district", "proposed_by", "decided_by"
    )
    if supervisee_id is not None:
        transfers = transfers.filter(supervisee_id=supervisee_id)
    # An officer's box is their office's; everyone else's their district's.
    if user.role == Role.JUSTICE_OFFICER:
        inbox, outbox = Q(to_office_id=user.agency_id), Q(from_office_id=user.agency_id)
    else:
        inbox = Q(to_office__district_id=user.district_id)
        outbox = Q(from_office__district_id=user.district_id)
    if box == "inbox":
        transfers = transfers.filter(inbox)
    elif box == "outbox":
        transfers = transfers.filter(outbox)
    return transfers.order_by("-proposed_at", "-id")


def transfer_get(*, user: User, pk: int) -> Transfer:
    transfer = transfer_list(user=user).filter(pk=pk).first()
    if transfer is None:
        raise Http404
    return transfer


def receiving_offices(*, supervisee: Supervisee) -> QuerySet[Agency]:
    """The justice offices a case may be transferred to: those of every other district."""
    return (
        Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE)
        .exclude(district_id=supervisee.justice_office.district_id)
        .select_related("district")
        .order_by("district__code", "name", "id")
    )


def open_transfer(supervisee: Supervisee) -> Transfer | None:
    return Transfer.objects.filter(supervisee=supervisee, status=TransferStatus.PROPOSED).first()


# --- writes --------------------------------------------------------------------------------------------


def _lock(transfer: Transfer) -> tuple[Transfer, Supervisee]:
    # Lock the case first, then the transfer: every write of the case locks its row first.
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .get(pk=transfer.supervisee_id)
    )
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("from_office", "to_office__district", "supervisee")
        .get(pk=transfer.pk)
    )
    return transfer, supervisee


def _check_move(transfer: Transfer, to: str) -> None:
    if to not in TRANSFER_TRANSITIONS[transfer.status]:
        raise StateConflict(
            _("This transfer is %(status)s: it can no longer be changed.")
            % {"status": TransferStatus(transfer.status).label.lower()}
        )


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    if len(value) > REASON_MAX:
        raise ValidationError({field: [_("At most %(n)d characters.") % {"n": REASON_MAX}]})
    return value


@transaction.atomic
def transfer_propose(
    *, supervisee: Supervisee, by: User, to_office: Agency, reason: str, new_residence: str
) -> Transfer:
    """The sending side proposes moving the case to `to_office`, a justice office of another district."""
    PROPOSE_TRANSFERS.check(by)
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Only the office in charge of the case proposes its transfer."))
    errors: dict[str, list] = {}
    if to_office is None or to_office.kind != AgencyKind.JUSTICE_OFFICE:
        errors["to_office"] = [_("Choose the justice office of the new place of execution.")]
    elif to_office.district_id == supervisee.justice_office.district_id:
        errors["to_office"] = [
            _(
                "The office is in the case's own district: a move within the district is a reassignment "
                "by the bureau, not a transfer of the place of execution."
            )
        ]
    reason = (reason or "").strip()
    new_residence = (new_residence or "").strip()
    if not reason:
        errors["reason"] = [_("Say why the place of execution changes (e.g. the person moves house).")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX}]
    if not new_residence:
        errors["new_residence"] = [_("Give the new residence.")]
    elif len(new_residence) > 200:
        errors["new_residence"] = [_("At most %(n)d characters.") % {"n": 200}]
    if errors:
        raise ValidationError(errors)
    if supervisee.status not in TRANSFERABLE_STATUSES:
        raise StateConflict(
            _("Only a case under supervision is transferred; this case is %(status)s.")
            % {"status": Status(supervisee.status).label.lower()}
        )
    if open_transfer(supervisee) is not None:
        raise StateConflict(_("This case already has a transfer awaiting an answer."))
    today = office_today()
    transfer = Transfer.objects.create(
        supervisee=supervisee,
        from_office=supervisee.justice_office,
        to_office=to_office,
        reason=reason,
        new_residence=new_residence,
        proposed_by=by,
        reply_due=today + dt.timedelta(days=reply_days_for(district_id=to_office.district_id, on=today)),
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=transfer,
        supervisee_id=supervisee.pk,
        changes={
            "from_office": transfer.from_office_id,
            "to_office": to_office.pk,
            "reply_due": transfer.reply_due.isoformat(),
        },
    )
    return transfer


def check_may_answer(transfer: Transfer, by: User) -> None:
    """403 unless `by` answers this transfer: a supervisor of the receiving district, not its proposer.
    Pages ask it before reading a form, so a user who may not answer learns that first."""
    DECIDE_TRANSFERS.check(by)
    if by.pk == transfer.proposed_by_id:
        raise PermissionDenied(_("You proposed this transfer: the receiving bureau answers it."))
    if by.district_id != transfer.to_office.district_id:
        raise PermissionDenied(_("Only the receiving district's bureau answers this transfer."))


@transaction.atomic
def transfer_accept(*, transfer: Transfer, by: User, to_office: Agency | None = None) -> Transfer:
    """The receiving bureau accepts: the case belongs to the receiving office (or another justice office
    of the receiving district that the bureau names) from today, the transfer date."""
    transfer, supervisee = _lock(transfer)
    check_may_answer(transfer, by)
    _check_move(transfer, TransferStatus.ACCEPTED)
    office = to_office or transfer.to_office
    if office.kind != AgencyKind.JUSTICE_OFFICE or office.district_id != transfer.to_office.district_id:
        raise ValidationError({"to_office": [_("Choose a justice office of your district.")]})
    if supervisee.status not in TRANSFERABLE_STATUSES:
        raise StateConflict(
            _(
                "The case is now %(status)s: it cannot move until it is under supervision again. Refuse "
                "the transfer or wait."
            )
            % {"status": Status(supervisee.status).label.lower()}
        )
    today = office_today()
    before = snapshot(transfer, ("status", "to_office", "transfer_date"))
    transfer.status = TransferStatus.ACCEPTED
    transfer.to_office = office
    transfer.decided_by, transfer.decided_at, transfer.transfer_date = by, timezone.now(), today
    transfer.save(update_fields=["status", "to_office", "decided_by", "decided_at", "transfer_date"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=transfer,
        supervisee_id=supervisee.pk,
        changes=field_changes(before, snapshot(transfer, ("status", "to_office", "transfer_date"))),
    )
    _move_case(supervisee=supervisee, transfer=transfer, by=by)
    for effect in _transfer_effects:
        effect(transfer, by)
    return transfer


def _move_case(*, supervisee: Supervisee, transfer: Transfer, by: User) -> None:
    """The same row moves: office, officer (the receiving bureau assigns one) and residence. The sending
    side's team members leave the team on the transfer date (their grants are taken back)."""
    fields = ("justice_office", "officer", "residence_address")
    before = snapshot(supervisee, fields)
    supervisee.justice_office = transfer.to_office
    supervisee.officer = None
    supervisee.residence_address = transfer.new_residence
    supervisee.save(update_fields=["justice_office", "officer", "residence_address", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=supervisee,
        supervisee_id=supervisee.pk,
        changes={**field_changes(before, snapshot(supervisee, fields)), "transfer": transfer.pk},
    )
    members = (
        CorrectionTeamMember.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(supervisee=supervisee, left_on__isnull=True)
    )
    for member in members:
        member.left_on = max(transfer.transfer_date, member.joined_on)
        member.save(update_fields=["left_on"])
        if member.user_id is not None:
            case_revoke(user=member.user, supervisee=supervisee)
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            target=member,
            supervisee_id=supervisee.pk,
            changes={
                "left_on": {"before": None, "after": member.left_on.isoformat()},
                "transfer": transfer.pk,
            },
        )


@transaction.atomic
def transfer_refuse(*, transfer: Transfer, by: User, reason: str) -> Transfer:
    """The receiving bureau refuses, saying why (400 without a reason). The case stays where it is."""
    transfer, supervisee = _lock(transfer)
    check_may_answer(transfer, by)
    _check_move(transfer, TransferStatus.REFUSED)
    reason = _text(reason, "reason", _("Say why the transfer is refused."))
    transfer.status, transfer.refusal_reason = TransferStatus.REFUSED, reason
    transfer.decided_by, transfer.decided_at = by, timezone.now()
    transfer.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=transfer,
        supervisee_id=supervisee.pk,
        changes={"status": {"before": TransferStatus.PROPOSED, "after": transfer.status}, "reason": reason},
    )
    return transfer


@transaction.atomic
def transfer_withdraw(*, transfer: Transfer, by: User) -> Transfer:
    """The sending side takes its proposal back before the answer."""
    PROPOSE_TRANSFERS.check(by)
    transfer, supervisee = _lock(transfer)
    if supervisee.justice_office_id != transfer.from_office_id or not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Only the office that proposed the transfer withdraws it."))
    _check_move(transfer, TransferStatus.WITHDRAWN)
    transfer.status = TransferStatus.WITHDRAWN
    transfer.save(update_fields=["status"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=transfer,
        supervisee_id=supervisee.pk,
        changes={"status": {"before": TransferStatus.PROPOSED, "after": transfer.status}},
    )
    return transfer


def transfer_basis() -> str:
    """The law a transfer rests on, as the pages cite it."""
    return str(law.TRANSFER_OF_PLACE)


# --- who sees a transferred case (registered into corrections.scoping) --------------------------------


def _accepted() -> QuerySet[Transfer]:
    return Transfer.objects.filter(status=TransferStatus.ACCEPTED)


def transfers_touching(office_ids, *, until: dt.date) -> bool:
    """Whether any accepted transfer dated on or before `until` took a case out of or into the offices
    (one query): the statistics' trend counts such a unit month by month (reports.statistics)."""
    return (
        _accepted()
        .filter(transfer_date__lte=until)
        .filter(Q(from_office_id__in=office_ids) | Q(to_office_id__in=office_ids))
        .exists()
    )


def transferred_out_of(*, office_ids) -> QuerySet:
    """The ids of the cases the offices transferred to another district (accepted)."""
    return _accepted().filter(from_office_id__in=office_ids).values("supervisee_id")


def transferred_from_office(user: User) -> Q:
    """An officer keeps a read-only view of the cases their office transferred out (one subquery)."""
    return Q(pk__in=_accepted().filter(from_office_id=user.agency_id).values("supervisee_id"))


def transferred_from_district(user: User) -> Q:
    """The sending district's supervisors and procuratorate keep a read-only view of the cases its
    offices transferred out."""
    return Q(pk__in=_accepted().filter(from_office__district_id=user.district_id).values("supervisee_id"))


def proposed_to_district(user: User) -> Q:
    """The receiving district's supervisors read a case while its transfer to them awaits their answer."""
    proposed = Transfer.objects.filter(
        status=TransferStatus.PROPOSED, to_office__district_id=user.district_id
    )
    return Q(pk__in=proposed.values("supervisee_id"))


register_visibility_rule(Role.JUSTICE_OFFICER, transferred_from_office)
register_visibility_rule(Role.JUSTICE_SUPERVISOR, transferred_from_district)
register_visibility_rule(Role.JUSTICE_SUPERVISOR, proposed_to_district)
register_visibility_rule(Role.PROCURATORATE, transferred_from_district)


# --- the case's office on a day (the statistics) -------------------------------------------------------


def office_on(day: dt.date | str, *, case: str = "pk", current: str = "justice_office_id"):
    """SQL: the justice office that held the case on `day` (a date, or the name of a date field of the row),
    accepted transfers taken into account: a transfer dated T belongs to the receiver from T on. Over
    supervisees by default; over a row that points at one, name its `case` and `current` office fields
    (e.g. `case="supervisee_id", current="supervisee__justice_office_id"`).

    The case's current office unless the case was ever transferred (a hashed semi-join on the small
    transfer table, so untransferred cases cost nothing more); else the receiving office of the latest
    transfer dated on or before `day`, or the sending office of the earliest one after it."""
    transfers = _accepted().filter(supervisee_id=OuterRef(case))
    day_ref = day if isinstance(day, dt.date) else OuterRef(day)
    held = (
        transfers.filter(transfer_date__lte=day_ref)
        .order_by("-transfer_date", "-id")
        .values("to_office_id")[:1]
    )
    before = (
        transfers.filter(transfer_date__gt=day_ref)
        .order_by("transfer_date", "id")
        .values("from_office_id")[:1]
    )
    return Case(
        When(
            **{f"{case}__in": _accepted().values("supervisee_id")},
            then=Coalesce(Subquery(held), Subquery(before), F(current)),
        ),
        default=F(current),
        output_field=IntegerField(),
    )


def original_office(*, case: str = "pk", current: str = "justice_office_id"):
    """SQL: the office that took the case in: the sending office of its first accepted transfer, else
    its office now (a case is transferred only after its intake)."""
    first = (
        _accepted()
        .filter(supervisee_id=OuterRef(case))
        .order_by("transfer_date", "id")
        .values("from_office_id")[:1]
    )
    return Case(
        When(
            **{f"{case}__in": _accepted().values("supervisee_id")},
            then=Coalesce(Subquery(first), F(current)),
        ),
        default=F(current),
        output_field=IntegerField(),
    )


def transfers_crossing(offices, *, first: dt.date, last: dt.date, direction: str) -> Case:
    """SQL boolean over supervisees: an accepted transfer dated from `first` to `last` took the case out of
    (`direction="out"`) or into (`"in"`) the unit `offices` (office ids, or a queryset of them)."""
    moves = _accepted().filter(
        supervisee_id=OuterRef("pk"), transfer_date__gte=first, transfer_date__lte=last
    )
    if direction == "out":
        moves = moves.filter(from_office_id__in=offices).exclude(to_office_id__in=offices)
    else:
        moves = moves.filter(to_office_id__in=offices).exclude(from_office_id__in=offices)
    # Only a case ever transferred is probed (see `office_on`).
    return Case(
        When(pk__in=_accepted().values("supervisee_id"), then=Exists(moves)),
        default=Value(False),
        output_field=BooleanField(),
    )
