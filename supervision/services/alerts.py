from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record, field_changes, snapshot
from config.api import StateConflict
from corrections.scoping import EDITING_ROLES, can_edit_case

from ..constants import ALERT_TRANSITIONS, AlertStatus
from ..models import Alert

# Who acknowledges and resolves alerts at all (accounts.permissions): those who change the case.
ACT_ON_ALERTS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not act on alerts."))


def _locked(alert: Alert, by: User, to: str) -> Alert:
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("supervisee__justice_office")
        .get(pk=alert.pk)
    )
    if not can_edit_case(by, alert.supervisee):
        raise PermissionDenied(_("Your role may read this alert but not act on it."))
    if to not in ALERT_TRANSITIONS[alert.status]:
        raise StateConflict(
            _("An alert that is %(current)s cannot become %(to)s.")
            % {"current": AlertStatus(alert.status).label, "to": AlertStatus(to).label}
        )
    return alert


FIELDS = ("status", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "resolution_note")


@transaction.atomic
def alert_acknowledge(*, alert: Alert, by: User) -> Alert:
    """An officer has seen the alert and is dealing with it."""
    alert = _locked(alert, by, AlertStatus.ACKNOWLEDGED)
    before = snapshot(alert, FIELDS)
    alert.status, alert.acknowledged_by, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, by, timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=alert,
        supervisee_id=alert.supervisee_id,
        changes=field_changes(before, snapshot(alert, FIELDS)),
    )
    return alert


@transaction.atomic
def alert_resolve(*, alert: Alert, by: User, note: str) -> Alert:
    """Close the loop: what was done about it (a talk, an admonition, the person found...). A note is
    required (closed-loop disposal)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Say what was done about the alert before resolving it.")]})
    alert = _locked(alert, by, AlertStatus.RESOLVED)
    before = snapshot(alert, FIELDS)
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = by, now
    alert.status, alert.resolved_by, alert.resolved_at, alert.resolution_note = (
        AlertStatus.RESOLVED,
        by,
        now,
        note,
    )
    alert.save(update_fields=list(FIELDS))
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=alert,
        supervisee_id=alert.supervisee_id,
        changes=field_changes(before, snapshot(alert, FIELDS)),
    )
    return alert


@transaction.atomic
def alert_acknowledge_many(*, alerts: list[Alert], by: User) -> list[Alert]:
    """Triage: acknowledge several alerts at once, each as `alert_acknowledge` does it (its own audit row).
    All or nothing: one that may not be acknowledged (already acknowledged or resolved, or not the caller's
    to act on) refuses the whole batch and none is changed, so the ledger never shows half a bulk action."""
    if not alerts:
        raise ValidationError({"alerts": [_("Choose at least one alert to acknowledge.")]})
    # Locked in id order, as every other batch locks rows, so two bulk actions never wait on each other.
    return [alert_acknowledge(alert=alert, by=by) for alert in sorted(alerts, key=lambda alert: alert.pk)]
