"""Every read of the accounts app."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q, QuerySet

from .constants import Role
from .models import Agency, AuditEvent, District, User


def agency_list(*, user: User) -> QuerySet[Agency]:
    """Every agency in the caller's district (docs/api.md#resources): nothing for a user without an agency.
    For a city-level user, the city's own bureau and every agency of the city's districts."""
    if not user.agency_id:
        return Agency.objects.none()
    if user.agency.district_id is None:
        city_id = user.agency.city_id
        return Agency.objects.filter(Q(city_id=city_id) | Q(district__city_id=city_id)).order_by(
            "kind", "name", "id"
        )
    return Agency.objects.filter(district_id=user.agency.district_id).order_by("kind", "name", "id")


def city_district_list(*, user: User) -> QuerySet[District]:
    """The districts whose figures a city-level user reads (its city's); none for anyone else."""
    if not user.agency_id or user.agency.city_id is None:
        return District.objects.none()
    return District.objects.filter(city_id=user.agency.city_id).order_by("code", "id")


# Who reads the audit trail (docs/roles.md#the-roles): the bureau's supervisors and the procuratorate.
AUDIT_READERS = frozenset({Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})


def may_read_audit_trail(user: User) -> bool:
    """A district's trail is read in the district: a city bureau's supervisor reads cases and figures, not
    who did what in each district (least privilege, docs/roles.md#the-city-level)."""
    return getattr(user, "role", None) in AUDIT_READERS and not getattr(user, "is_city_level", False)


# Which supervisees are a district's is corrections' knowledge, and accounts sits below corrections
# (README.md#where-things-are), so corrections registers it (corrections.apps).
SuperviseeScope = Callable[[int], Q]
_district_supervisee_scopes: list[SuperviseeScope] = []


def register_audit_supervisee_scope(scope: SuperviseeScope) -> None:
    """`scope(district_id)` returns a Q over AuditEvent: the events about that district's supervisees,
    which are the district's whoever wrote them (a police liaison reading a referred case), and about the
    cases it transferred to another district, up to the transfer."""
    if scope not in _district_supervisee_scopes:
        _district_supervisee_scopes.append(scope)


def audit_event_list(*, user: User, filters: Mapping[str, Any]) -> QuerySet[AuditEvent]:
    """The district's part of the trail: events written by someone of an agency in the district, or
    about a supervisee of the district (`register_audit_supervisee_scope`). Events with neither (failed
    sign-ins of unknown names, the demo seeding) are read in the admin, not here."""
    district_id = user.district_id
    if district_id is None or user.role not in AUDIT_READERS:
        return AuditEvent.objects.none()
    in_district = Q(agency__district_id=district_id)
    for scope in _district_supervisee_scopes:
        in_district |= scope(district_id)
    events = AuditEvent.objects.filter(in_district)
    if filters.get("supervisee"):
        events = events.filter(supervisee_id=filters["supervisee"])
    if filters.get("actor"):
        events = events.filter(actor_username=filters["actor"])
    if filters.get("since"):
        events = events.filter(at__gte=filters["since"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    return events.order_by("-at", "-id")
