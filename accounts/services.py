"""Every write of the accounts app: the audit trail (including what is changed in /admin/) and users."""

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth.models import Group
from django.db import models, transaction

from .constants import AuditAction
from .models import Agency, AuditEvent, User


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the `changes` column."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`{"field": {"before": old, "after": new}}` for each field whose value differs."""
    return {
        name: {"before": _plain(before.get(name)), "after": _plain(value)}
        for name, value in after.items()
        if _plain(before.get(name)) != _plain(value)
    }


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, foreign keys as ids, for a later `field_changes`."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        values[name] = getattr(instance, field.attname)
    return values


# What the trail must never hold in full, masked in every row's `changes` (API.md "Need to know": the
# trail never holds a full ID number, in `changes` too). What an ID number looks like is corrections'
# knowledge, and accounts sits below corrections (STYLE.md), so corrections registers the mask
# (corrections.apps). A mask takes a string and returns it with what it hides masked.
AuditMask = Callable[[str], str]
_masks: list[AuditMask] = []


def register_audit_mask(mask: AuditMask) -> None:
    if mask not in _masks:
        _masks.append(mask)


def _masked(value: Any) -> Any:
    """`value` (a `changes` structure) with every registered mask applied to each string in it."""
    if isinstance(value, str):
        for mask in _masks:
            value = mask(value)
        return value
    if isinstance(value, Mapping):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


def audit_record(
    *,
    actor: User | None,
    action: AuditAction | str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    supervisee_id: int | None = None,
    changes: Mapping[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one row to the audit trail. Called by the service that does the audited thing, inside its
    transaction, so the row exists exactly when the change does."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None else "",
        agency_id=getattr(actor, "agency_id", None),
        action=action,
        target_type=target_type,
        target_id="" if target_id in (None, "") else str(target_id),
        supervisee_id=supervisee_id,
        changes=_masked(dict(changes or {})),
        ip_address=ip_address,
    )


def list_read_record(
    *,
    user: User,
    target_type: str,
    filters: Mapping[str, Any],
    supervisee_id: int | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """A list read (API.md: list reads are audited as well, `list` with the filters): who listed what,
    filtered how. Written after the list was answered, so a refused request writes nothing."""
    return audit_record(
        actor=user,
        action=AuditAction.LIST,
        target_type=target_type,
        supervisee_id=supervisee_id,
        changes={name: _plain(value) for name, value in filters.items() if value not in (None, "")},
        ip_address=ip_address,
    )


# What the trail shows for a field whose value it must never hold (a password hash): that it changed.
HIDDEN_VALUE = "********"


@transaction.atomic
def admin_edit_record(
    *,
    actor: User,
    target: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    hidden: Iterable[str] = (),
    ip_address: str | None = None,
) -> AuditEvent | None:
    """One change made in /admin/, where the models' own forms write instead of a service: an addition
    (`before` is None), a deletion (`after` is None, recorded while the row still exists) or an edit,
    with before and after of every changed field. Fields in `hidden` are compared but recorded only as
    changed. An edit that changed nothing writes nothing."""
    if before is None:
        action = AuditAction.CREATE
    elif after is None:
        action = AuditAction.DELETE
    else:
        action = AuditAction.UPDATE
    before = before or {}
    after = after if after is not None else dict.fromkeys(before)
    changes = field_changes(before, after)
    for name in set(hidden) & set(changes):
        changes[name] = {
            side: None if changes[name][side] in (None, "") else HIDDEN_VALUE for side in ("before", "after")
        }
    if action == AuditAction.UPDATE and not changes:
        return None
    return audit_record(actor=actor, action=action, target=target, changes=changes, ip_address=ip_address)


@transaction.atomic
def user_sign_in_record(*, user: User, ip_address: str | None = None, via: str = "session") -> AuditEvent:
    return audit_record(
        actor=user, action=AuditAction.SIGN_IN, target=user, changes={"via": via}, ip_address=ip_address
    )


def user_sign_in_failed_record(*, username: str, via: str, ip_address: str | None = None) -> AuditEvent:
    """A failed sign-in: no actor (nobody signed in), the username as typed."""
    return audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        target_type="accounts.user",
        changes={"username": username[:150], "via": via},
        ip_address=ip_address,
    )


@transaction.atomic
def agency_group(*, agency: Agency) -> Group:
    """The agency's permission group (created once), for object grants to a whole agency."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.group_id is None:
        agency.group = Group.objects.create(name=f"agency:{agency.pk}")
        agency.save(update_fields=["group"])
    return agency.group
