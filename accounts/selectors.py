"""Every read of the accounts app."""

from django.db.models import QuerySet

from .models import Agency, AuditEvent, User


def agency_list(*, user: User) -> QuerySet[Agency]:
    """Every agency in the caller's district (API.md): nothing for a user without an agency."""
    if not user.agency_id:
        return Agency.objects.none()
    return Agency.objects.filter(district_id=user.agency.district_id).order_by("kind", "name", "id")


def audit_event_list(*, filters: dict | None = None) -> QuerySet[AuditEvent]:
    filters = filters or {}
    events = AuditEvent.objects.all()
    if filters.get("supervisee"):
        events = events.filter(supervisee_id=filters["supervisee"])
    if filters.get("actor"):
        events = events.filter(actor_username=filters["actor"])
    if filters.get("since"):
        events = events.filter(at__gte=filters["since"])
    return events
