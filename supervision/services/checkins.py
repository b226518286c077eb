import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import local_date
from corrections.constants import Status
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case

from ..constants import HOURS_KINDS, CheckInKind
from ..duties import report_clock_after_checkin
from ..enqueue import enqueue_on_commit
from ..models import CheckIn, PositioningOrder
from ..positioning import in_force_on, may_read_positioning

# The audit trail's name for a read of check-ins' locations.
LOCATION_TARGET = "supervision.location"

# A phone's clock may run a little ahead of the server's; beyond this an entry is "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)
# Social workers and volunteers record only activities (docs/roles.md#the-roles).
SOCIAL_WORKER_KINDS = frozenset({CheckInKind.EDUCATION, CheckInKind.COMMUNITY_SERVICE})
# Who records check-ins at all (accounts.permissions); which cases and kinds, `_check_may_record` says.
RECORD_CHECKINS = RoleRule(
    EDITING_ROLES | {Role.SOCIAL_WORKER}, gettext_lazy("Your role does not record check-ins.")
)


def _check_may_record(*, by: User, supervisee: Supervisee, kind: str) -> None:
    if by.role == Role.SOCIAL_WORKER:
        if kind not in SOCIAL_WORKER_KINDS:
            raise PermissionDenied(
                _("Social workers and volunteers record education and community service only.")
            )
        return
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not record check-ins for it."))


def _errors(*, supervisee: Supervisee, kind: str, at: dt.datetime, hours, latitude, longitude) -> dict:
    errors: dict[str, list[str]] = {}
    if kind not in CheckInKind.values:
        errors["kind"] = [_("Unknown kind of check-in.")]
    if timezone.is_naive(at):
        errors["occurred_at"] = [_("Give the time with its time zone, e.g. 2026-11-25T09:30:00+08:00.")]
        return errors
    if at > timezone.now() + CLOCK_SKEW:
        errors["occurred_at"] = [_("A check-in cannot be in the future.")]
    local_day = local_date(at)
    if supervisee.intake_date and local_day < supervisee.intake_date:
        errors.setdefault("occurred_at", []).append(
            _("A check-in cannot be before intake (%(date)s).") % {"date": supervisee.intake_date.isoformat()}
        )
    if kind in HOURS_KINDS:
        if hours is None:
            errors["hours"] = [_("Give the hours of education or community service.")]
        elif not (Decimal(0) < Decimal(hours) <= Decimal(24)):
            errors["hours"] = [_("Hours must be more than 0 and at most 24.")]
    elif hours is not None:
        errors["hours"] = [_("Only education and community service record hours.")]
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = [
            _("Give both latitude and longitude, or neither.")
        ]
    if latitude is not None and not (-90 <= Decimal(latitude) <= 90):
        errors["latitude"] = [_("Latitude must be between -90 and 90.")]
    if longitude is not None and not (-180 <= Decimal(longitude) <= 180):
        errors["longitude"] = [_("Longitude must be between -180 and 180.")]
    return errors


def checkin_record(
    *,
    supervisee: Supervisee,
    by: User,
    kind: str,
    at: dt.datetime,
    notes: str = "",
    hours: Decimal | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    locked: bool = False,
) -> CheckIn:
    """Record a contact. Only for a case under supervision, never in the future or before intake.

    `locked`: the caller read `supervisee` (with its office) under a row lock in the transaction this runs
    in (corrections.selectors.supervisee_get_for_update: the API's scope and lock in one query). Then this
    is a part of the caller's transaction, without a savepoint of its own (two round trips fewer per
    check-in, issue 14): an error here ends the caller's transaction too, which the API lets roll back."""
    with transaction.atomic(savepoint=not locked):
        return _checkin_record(
            supervisee=supervisee,
            by=by,
            kind=kind,
            at=at,
            notes=notes,
            hours=hours,
            latitude=latitude,
            longitude=longitude,
            locked=locked,
        )


def _checkin_record(
    *,
    supervisee: Supervisee,
    by: User,
    kind: str,
    at: dt.datetime,
    notes: str,
    hours: Decimal | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    locked: bool,
) -> CheckIn:
    # Lock the case: a check-in racing an exit must see the case as it is after it.
    if not locked:
        supervisee = (
            Supervisee.objects.select_for_update(of=("self",))
            .select_related("justice_office")
            .get(pk=supervisee.pk)
        )
    _check_may_record(by=by, supervisee=supervisee, kind=kind)
    if supervisee.status != Status.UNDER_SUPERVISION:
        if supervisee.status == Status.PENDING_REPORT:
            raise StateConflict(
                _("The person has not been registered as reporting yet: record the intake first.")
            )
        raise StateConflict(
            _("Check-ins are recorded only for a case under supervision; this case is %(status)s.")
            % {"status": Status(supervisee.status).label}
        )
    errors = _errors(
        supervisee=supervisee, kind=kind, at=at, hours=hours, latitude=latitude, longitude=longitude
    )
    if errors:
        raise ValidationError(errors)
    # CCL 29: a location check made while an electronic positioning order is in force is what the order
    # yields, kept with it (supervision.positioning: the one rule of "in force").
    order = None
    if kind == CheckInKind.LOCATION_CHECK:
        order = (
            PositioningOrder.objects.filter(in_force_on(local_date(at)), supervisee=supervisee)
            .order_by("-start_date", "-id")
            .first()
        )
    checkin = CheckIn(
        supervisee=supervisee,
        recorded_by=by,
        kind=kind,
        occurred_at=at,
        notes=notes.strip(),
        hours=hours,
        latitude=latitude,
        longitude=longitude,
        positioning_order=order,
    )
    # Not the foreign keys' existence (the case is locked above, the author is signed in, the order was
    # just read: three SELECTs) nor the hours constraint (`_errors` checked it, with its message, and the
    # database enforces it on INSERT): Django checks a constraint with a query and two savepoints.
    checkin.full_clean(exclude=["supervisee", "recorded_by", "positioning_order"], validate_constraints=False)
    checkin.save()
    # Keep the caseload's "days since last contact" without aggregating check-ins on every page, and the
    # reporting clock (supervision.duties: the last report of the kinds the case's rule counts), in one
    # UPDATE of the locked row: each moves only forward (a check-in may be recorded after the fact).
    later_contact = Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=at)
    Supervisee.objects.filter(pk=supervisee.pk).update(
        last_contact_at=Case(
            When(later_contact, then=Value(at, output_field=DateTimeField())),
            default=F("last_contact_at"),
            output_field=DateTimeField(),
        ),
        **report_clock_after_checkin(kind=kind, at=at),
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=checkin,
        supervisee_id=supervisee.pk,
        changes={
            "kind": {"before": None, "after": kind},
            "occurred_at": {"before": None, "after": at.isoformat()},
            **({"hours": {"before": None, "after": str(hours)}} if hours is not None else {}),
            # Location is confidential (CCL 29): the trail records that one was taken, not where.
            **({"location": {"before": None, "after": "recorded"}} if latitude is not None else {}),
            **({"positioning_order": {"before": None, "after": order.pk}} if order else {}),
        },
    )
    from ..tasks import note_made_up_reports

    enqueue_on_commit(note_made_up_reports, supervisee.pk)
    return checkin


def location_read_record(*, user: User, checkins, ip_address: str | None = None) -> None:
    """A reader was shown the locations of these check-ins: one `view` row per case, naming the check-ins
    (never the coordinates). Nothing for a reader who is not shown locations, or when none was."""
    if not may_read_positioning(user):
        return
    shown: dict[int, list[int]] = {}
    for checkin in checkins:
        if checkin.latitude is not None:
            shown.setdefault(checkin.supervisee_id, []).append(checkin.pk)
    for supervisee_id, ids in shown.items():
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            target_type=LOCATION_TARGET,
            supervisee_id=supervisee_id,
            changes={"checkins": sorted(ids)},
            ip_address=ip_address,
        )
