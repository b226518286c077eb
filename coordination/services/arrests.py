"""Arrest requests (提请逮捕, CCL 47) on a revocation proposal: attaching one, sending it with the
proposal, and the court's decision.

The law's order, which the issue's wording ("an arrest request to the police") does not follow
(docs/rules.md, "Custody and arrest"):
- CCL 47 para. 1: only for a person proposed for revocation of probation or parole, who may abscond or
  pose a danger to society; the correction agency asks, together with (同时) the revocation proposal,
  the people's court to decide the arrest. So the request hangs on a draft revocation proposal and goes
  out when the proposal is sent, to the same court.
- CCL 47 para. 2: the court decides within 48 hours (counted from its receipt, the proposal's sending;
  CPL 105 para. 2: the starting hour does not count). An arrest decided is executed by the police: the
  court's decision sends them a notice to execute. Custody after the arrest may not exceed 30 days
  (coordination.custody counts it).
- The person who asks never decides: only a court user of the court the proposal went to decides, never
  the requester (a constraint on the row as well).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from corrections import law
from corrections.constants import Category
from documents.constants import NoticeKind
from documents.services import district_agency, notice_send

from ..constants import OPEN_REFERRAL_STATUSES, ArrestGround, ArrestStatus, ReferralKind, ReferralStatus
from ..models import ArrestRequest, Referral
from .referrals import is_receiver, is_sender

# CCL 47 para. 1: the correction agency asks; para. 2: the people's court decides.
REQUEST_ARRESTS = RoleRule(
    frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR}),
    gettext_lazy("Only the correction agency asks the court to decide an arrest (CCL 47 para. 1)."),
)
DECIDE_ARRESTS = RoleRule(
    frozenset({Role.COURT}),
    gettext_lazy("Only the people's court decides an arrest (CCL 47 para. 2)."),
)
PENDING = frozenset({ArrestStatus.DRAFT, ArrestStatus.REQUESTED})
FIELDS = ("status", "requested_at", "decision_due_at", "decided_by", "decided_at", "decision_note")


def arrest_decision_due(requested_at: dt.datetime) -> dt.datetime:
    """CCL 47 para. 2: within 48 hours of the court's receipt (the starting hour not counted, CPL 105)."""
    return requested_at + dt.timedelta(hours=law.ARREST_DECISION_HOURS)


def arrest_is_overdue(arrest: ArrestRequest, *, now: dt.datetime | None = None) -> bool:
    """Requested, undecided, and the 48 hours have passed."""
    now = now or timezone.now()
    return (
        arrest.status == ArrestStatus.REQUESTED
        and arrest.decision_due_at is not None
        and arrest.decision_due_at < now
    )


def _locked_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("from_agency", "to_agency", "supervisee__justice_office", "supervisee__sentence")
        .get(pk=referral.pk)
    )


@transaction.atomic
def arrest_request_attach(*, referral: Referral, by: User, ground: str, reasons: str) -> ArrestRequest:
    """Attach the arrest request to a draft revocation proposal of the caller's agency; it goes to the
    court with the proposal when the proposal is sent."""
    REQUEST_ARRESTS.check(by)
    referral = _locked_referral(referral)
    if not is_sender(by, referral):
        raise PermissionDenied(_("Only the sending agency may do this."))
    category = getattr(getattr(referral.supervisee, "sentence", None), "category", None)
    if referral.kind != ReferralKind.REVOCATION_PROPOSAL or category not in (
        Category.PROBATION,
        Category.PAROLE,
    ):
        raise ValidationError(
            {
                "kind": [
                    _(
                        "An arrest is requested only together with a proposal to revoke probation or "
                        "parole, from the court that decides it (%(ref)s)."
                    )
                    % {"ref": law.ARREST_REQUEST_WITH_PROPOSAL}
                ]
            }
        )
    if referral.status != ReferralStatus.DRAFT:
        raise StateConflict(
            _(
                "An arrest is requested at the same time as the revocation proposal is made (%(ref)s): "
                "this proposal has already been sent."
            )
            % {"ref": law.ARREST_REQUEST_WITH_PROPOSAL}
        )
    if ArrestRequest.objects.filter(referral=referral).exists():
        raise StateConflict(_("This revocation proposal already carries an arrest request."))
    errors: dict[str, list] = {}
    if ground not in ArrestGround.values:
        errors["ground"] = [
            _("Choose the ground: %(grounds)s (%(ref)s).")
            % {"grounds": ", ".join(ArrestGround.values), "ref": law.ARREST_REQUEST_WITH_PROPOSAL}
        ]
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = [_("Say why the person may abscond or pose a danger to society.")]
    if errors:
        raise ValidationError(errors)
    arrest = ArrestRequest(referral=referral, ground=ground, reasons=reasons, requested_by=by)
    arrest.full_clean()
    arrest.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=arrest,
        supervisee_id=referral.supervisee_id,
        changes={"referral": referral.pk, "ground": ground, "reasons": reasons},
    )
    return arrest


def arrest_on_proposal_sent(referral: Referral, by: User) -> None:
    """Called by `referral_send` under its lock: the draft arrest request goes with the proposal; the
    court's 48 hours start now."""
    arrest = (
        ArrestRequest.objects.select_for_update().filter(referral=referral, status=ArrestStatus.DRAFT).first()
    )
    if arrest is None:
        return
    before = snapshot(arrest, FIELDS)
    arrest.status = ArrestStatus.REQUESTED
    arrest.requested_at = referral.sent_at
    arrest.decision_due_at = arrest_decision_due(referral.sent_at)
    arrest.save(update_fields=["status", "requested_at", "decision_due_at"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=arrest,
        supervisee_id=referral.supervisee_id,
        changes=field_changes(before, snapshot(arrest, FIELDS)),
    )


def arrest_on_proposal_withdrawn(referral: Referral, by: User) -> None:
    """Called by `referral_withdraw`: a request not yet decided is withdrawn with its proposal."""
    arrest = ArrestRequest.objects.select_for_update().filter(referral=referral, status__in=PENDING).first()
    if arrest is None:
        return
    before = snapshot(arrest, FIELDS)
    arrest.status = ArrestStatus.WITHDRAWN
    arrest.save(update_fields=["status"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=arrest,
        supervisee_id=referral.supervisee_id,
        changes=field_changes(before, snapshot(arrest, FIELDS)),
    )


@transaction.atomic
def arrest_decide(*, referral: Referral, by: User, decision: str, note: str = "") -> ArrestRequest:
    """The court's decision on the arrest request of a revocation proposal addressed to it (CCL 47
    para. 2). An arrest decided sends the police of the place of execution a notice to execute it."""
    DECIDE_ARRESTS.check(by)
    referral = _locked_referral(referral)
    if not is_receiver(by, referral):
        raise PermissionDenied(
            _("Only the court the revocation proposal was sent to decides its arrest request.")
        )
    arrest = ArrestRequest.objects.select_for_update().filter(referral=referral).first()
    if arrest is None:
        raise ValidationError({"decision": [_("This revocation proposal carries no arrest request.")]})
    if arrest.requested_by_id == by.pk:
        raise PermissionDenied(_("The person who asked for a decision never makes it."))
    if arrest.status != ArrestStatus.REQUESTED or referral.status not in OPEN_REFERRAL_STATUSES:
        raise StateConflict(
            _("An arrest request that is %(current)s cannot be decided.")
            % {"current": ArrestStatus(arrest.status).label}
        )
    if decision not in (ArrestStatus.GRANTED, ArrestStatus.REFUSED):
        raise ValidationError(
            {"decision": [_("Choose the decision: %(choices)s.") % {"choices": "granted, refused"}]}
        )
    before = snapshot(arrest, FIELDS)
    arrest.status = decision
    arrest.decided_by = by
    arrest.decided_at = timezone.now()
    arrest.decision_note = (note or "").strip()
    arrest.full_clean()
    arrest.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=arrest,
        supervisee_id=referral.supervisee_id,
        changes={
            **field_changes(before, snapshot(arrest, FIELDS)),
            "late": arrest.decided_at > arrest.decision_due_at if arrest.decision_due_at else False,
        },
    )
    if decision == ArrestStatus.GRANTED:
        # CCL 47 para. 2: the police execute the arrest; those of the place of execution are told.
        district_id = referral.supervisee.justice_office.district_id
        police = district_agency(district_id=district_id, kind=AgencyKind.POLICE)
        notice_send(
            kind=NoticeKind.ARREST_EXECUTION,
            supervisee=referral.supervisee,
            by=by,
            to=[police],
            source=arrest,
        )
    return arrest
