"""Violations of a court's prohibition order (禁止令, CL 38 para. 2, 72 para. 2), recorded against the
order that was broken, by the case's office or a supervisor.

A violation is a fact the institution records; what follows is decided elsewhere: a measure proposed
with it (an admonition or a warning, decided by a bureau supervisor, CCL 28), the police's penalty for
a breach under control (CL 38 para. 4), a revocation proposal for a serious breach under probation
(CL 77 para. 2), and electronic positioning, whose first ground it is (CCL 29 para. 1(1))."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import office_today
from corrections.constants import Status
from corrections.models import Prohibition, Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case

from ..constants import MeasureKind
from ..models import ProhibitionViolation
from .measures import PROPOSABLE_STATUSES, measure_propose

# The roles that may record a violation at all, before anything else (accounts.permissions).
RECORD_VIOLATIONS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not record violations."))


@transaction.atomic
def prohibition_violation_record(
    *,
    prohibition: Prohibition,
    by: User,
    occurred_on: dt.date,
    description: str,
    measure_kind: str = "",
    evidence: str = "",
) -> ProhibitionViolation:
    """Record that the order was broken on `occurred_on`; with `measure_kind`, propose that measure for
    it at once (linked to the violation, decided by a bureau supervisor)."""
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office", "sentence")
        .get(pk=prohibition.sentence.supervisee_id)
    )
    prohibition = Prohibition.objects.select_related("sentence").get(pk=prohibition.pk)
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not record violations for it."))
    if supervisee.status not in PROPOSABLE_STATUSES:
        raise StateConflict(
            _(
                "Violations are recorded only for a case under supervision or out of contact; "
                "this case is %(status)s."
            )
            % {"status": Status(supervisee.status).label}
        )
    description, evidence = (description or "").strip(), (evidence or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = [_("Describe what the person did.")]
    if measure_kind and measure_kind not in MeasureKind.values:
        errors["measure_kind"] = [_("Choose an admonition or a warning, or no measure.")]
    if occurred_on > office_today():
        errors["occurred_on"] = [_("The breach cannot be in the future.")]
    elif supervisee.intake_date and occurred_on < supervisee.intake_date:
        errors["occurred_on"] = [
            _("The breach cannot be before intake (%(date)s).") % {"date": supervisee.intake_date.isoformat()}
        ]
    elif not prohibition.binds_on(occurred_on):
        last = prohibition.last_day()
        errors["occurred_on"] = [
            _("The order did not bind on that day: it runs from %(first)s to %(last)s.")
            % {"first": prohibition.first_day().isoformat(), "last": last.isoformat() if last else "—"}
        ]
    if errors:
        raise ValidationError(errors)
    measure = None
    if measure_kind:
        # The measure's reason names the order: its decision document quotes it (in Chinese).
        measure = measure_propose(
            supervisee=supervisee,
            by=by,
            kind=measure_kind,
            reason=f"违反禁止令（{prohibition.content}）：{description}",
            occurred_on=occurred_on,
            evidence=evidence,
        )
    violation = ProhibitionViolation(
        supervisee=supervisee,
        prohibition=prohibition,
        occurred_on=occurred_on,
        description=description,
        measure=measure,
        recorded_by=by,
    )
    violation.full_clean()
    violation.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=violation,
        supervisee_id=supervisee.pk,
        changes={
            "prohibition": {"before": None, "after": prohibition.pk},
            "occurred_on": {"before": None, "after": occurred_on.isoformat()},
            **({"measure": {"before": None, "after": measure.pk}} if measure else {}),
        },
    )
    return violation
