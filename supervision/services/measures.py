"""Disciplinary measures: admonition (训诫) and warning (警告), proposed by the case's office and decided by
the district (CCL 28; Implementation Measures arts. 35, 36). The software records and suggests
(selectors.revocation_suggestions); a person decides."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from config.office_time import office_today
from corrections.constants import EXIT_STATUSES, Status
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case
from documents.constants import DocumentKind, NoticeKind
from documents.contents import chinese_date
from documents.services import district_agency, document_issue, notice_send

from ..constants import MEASURE_TRANSITIONS, MeasureKind, MeasureStatus
from ..models import Measure

# A breach is disciplined while the person is under correction, including while out of contact (the
# absconding itself is the breach most often recorded).
PROPOSABLE_STATUSES = frozenset({Status.UNDER_SUPERVISION, Status.ABSCONDED})
CREATE_FIELDS = ("kind", "reason", "evidence", "occurred_on", "status")
DECISION_FIELDS = ("status", "decided_by", "decided_on", "decision_note")
DECISION_DOCUMENTS = {
    MeasureKind.ADMONITION: DocumentKind.ADMONITION_DECISION,
    MeasureKind.WARNING: DocumentKind.WARNING_DECISION,
}

# Who proposes and who decides at all (accounts.permissions). CCL 28: the community correction institution
# (社区矫正机构) imposes admonitions and warnings; here that is the district's, so a bureau supervisor
# decides, never the proposing office.
PROPOSE_MEASURES = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not propose measures."))
DECIDE_MEASURES = RoleRule(
    frozenset({Role.JUSTICE_SUPERVISOR}),
    gettext_lazy("Measures are decided by a bureau supervisor of the district."),
)


@transaction.atomic
def measure_propose(
    *,
    supervisee: Supervisee,
    by: User,
    kind: str,
    reason: str,
    occurred_on: dt.date,
    evidence: str = "",
) -> Measure:
    """Propose an admonition or a warning for a breach. A warning may be proposed directly for a serious
    breach: the service does not force the admonitions first (the suggestions point it out)."""
    # Lock the case: a proposal racing an exit must see the case as it is after it.
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .get(pk=supervisee.pk)
    )
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not propose measures for it."))
    if supervisee.status not in PROPOSABLE_STATUSES:
        raise StateConflict(
            _(
                "Measures are proposed only for a case under supervision or out of contact; "
                "this case is %(status)s."
            )
            % {"status": Status(supervisee.status).label}
        )
    reason, evidence = (reason or "").strip(), (evidence or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in MeasureKind.values:
        errors["kind"] = [_("Choose an admonition or a warning.")]
    if not reason:
        errors["reason"] = [_("Describe the breach the measure is for.")]
    if occurred_on > office_today():
        errors["occurred_on"] = [_("The breach cannot be in the future.")]
    elif supervisee.intake_date and occurred_on < supervisee.intake_date:
        errors["occurred_on"] = [
            _("The breach cannot be before intake (%(date)s).") % {"date": supervisee.intake_date.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    measure = Measure(
        supervisee=supervisee,
        kind=kind,
        reason=reason,
        evidence=evidence,
        occurred_on=occurred_on,
        status=MeasureStatus.PROPOSED,
        proposed_by=by,
    )
    measure.full_clean()
    measure.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=measure,
        supervisee_id=supervisee.pk,
        changes=field_changes({}, snapshot(measure, CREATE_FIELDS)),
    )
    return measure


def _decide(*, measure: Measure, by: User, to: str, note: str) -> Measure:
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("supervisee__justice_office", "proposed_by")
        .get(pk=measure.pk)
    )
    # CCL 28 (DECIDE_MEASURES): a bureau supervisor of the case's district.
    if not DECIDE_MEASURES.allows(by) or not can_edit_case(by, measure.supervisee):
        raise PermissionDenied(DECIDE_MEASURES.refusal)
    # Separation of duties (contract): whoever proposed the measure never decides it.
    if measure.proposed_by_id == by.pk:
        raise PermissionDenied(_("You proposed this measure, so another bureau supervisor must decide it."))
    if to not in MEASURE_TRANSITIONS[measure.status]:
        raise StateConflict(
            _("A measure that is %(current)s cannot become %(to)s.")
            % {"current": MeasureStatus(measure.status).label, "to": MeasureStatus(to).label}
        )
    if measure.supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))
    note = (note or "").strip()
    if to == MeasureStatus.REJECTED and not note:
        raise ValidationError({"note": [_("Say why the proposed measure is not imposed.")]})
    before = snapshot(measure, DECISION_FIELDS)
    measure.status, measure.decided_by, measure.decided_on, measure.decision_note = (
        to,
        by,
        office_today(),  # the decision's day in the office's time zone
        note,
    )
    measure.save(update_fields=list(DECISION_FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=measure,
        supervisee_id=measure.supervisee_id,
        changes=field_changes(before, snapshot(measure, DECISION_FIELDS)),
    )
    if to == MeasureStatus.APPROVED:
        _write_decision(measure, by)
    return measure


def _write_decision(measure: Measure, by: User) -> None:
    """The decision's document, and for a warning the notice to the procuratorate (API.md v1.1)."""
    procuratorate = district_agency(
        district_id=measure.supervisee.justice_office.district_id, kind=AgencyKind.PROCURATORATE
    )
    document = document_issue(
        kind=DECISION_DOCUMENTS[measure.kind],
        supervisee=measure.supervisee,
        by=by,
        source=measure,
        occurred_on=chinese_date(measure.occurred_on),
        reason=measure.reason,
        evidence=measure.evidence,
        procuratorate=procuratorate.name if procuratorate else "",
    )
    if measure.kind == MeasureKind.WARNING:
        notice_send(
            kind=NoticeKind.MEASURE,
            supervisee=measure.supervisee,
            by=by,
            to=[procuratorate],
            source=measure,
            document=document,
        )


@transaction.atomic
def measure_approve(*, measure: Measure, by: User, note: str = "") -> Measure:
    """Impose the proposed measure, dated today."""
    return _decide(measure=measure, by=by, to=MeasureStatus.APPROVED, note=note)


@transaction.atomic
def measure_reject(*, measure: Measure, by: User, note: str) -> Measure:
    """Decline the proposal, saying why (the note is required)."""
    return _decide(measure=measure, by=by, to=MeasureStatus.REJECTED, note=note)
