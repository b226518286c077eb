"""Every read of social forces' records, scoped once: an activity is visible when one of its
participants is a case the reader sees (corrections.scoping), and the reader sees only those
participants; providers are the district's."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from accounts.constants import Role
from accounts.models import User
from corrections.constants import Status
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to

from .constants import NEED_OFFERS, OPEN_NEED_STATUSES
from .models import Activity, Need, Participation, Provider


def recordable_cases(user: User) -> QuerySet[Supervisee]:
    """The cases `user` may record an activity for: under supervision, and the officer's office's, the
    supervisor's district's, or the social worker's team's (corrections.teams: the cases they see).
    The same rule as corrections.scoping.can_edit_case, as one queryset."""
    cases = supervisees_visible_to(user).filter(status=Status.UNDER_SUPERVISION)
    match user.role:
        case Role.JUSTICE_OFFICER:
            return cases.filter(justice_office_id=user.agency_id)
        case Role.JUSTICE_SUPERVISOR:
            return cases.filter(justice_office__district_id=user.agency.district_id)
        case Role.SOCIAL_WORKER:
            return cases
        case _:
            return cases.none()


def activity_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Activity]:
    filters = filters or {}
    visible = supervisees_visible_to(user).values("pk")
    seen = Participation.objects.filter(activity=OuterRef("pk"), supervisee__in=visible)
    if filters.get("supervisee"):
        seen = seen.filter(supervisee_id=filters["supervisee"])
    activities = Activity.objects.filter(Exists(seen))
    if filters.get("kind"):
        activities = activities.filter(kind=filters["kind"])
    if filters.get("provider"):
        activities = activities.filter(provider_id=filters["provider"])
    if filters.get("since"):
        activities = activities.filter(date__gte=filters["since"])
    if filters.get("until"):
        activities = activities.filter(date__lte=filters["until"])
    return (
        activities.select_related("provider", "recorded_by")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(supervisee__in=visible)
                .select_related("supervisee")
                .order_by("id"),
                to_attr="visible_participations",
            )
        )
        .order_by("-date", "-id")
    )


def activity_get(*, user: User, pk) -> Activity:
    try:
        return activity_list(user=user).get(pk=int(pk))
    except (Activity.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def case_participations(*, supervisee: Supervisee, limit: int = 100) -> list[Participation]:
    """The case's part in activities, newest first. The caller already sees the case."""
    return list(
        Participation.objects.filter(supervisee=supervisee)
        .select_related("activity", "activity__provider", "activity__recorded_by")
        .order_by("-activity__date", "-activity_id")[:limit]
    )


def provider_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Provider]:
    """The providers of the reader's district (every role of the district sees the register: it holds no
    supervisee's data)."""
    filters = filters or {}
    district_id = user.agency.district_id if user.is_authenticated and user.agency_id else None
    if district_id is None:
        return Provider.objects.none()
    providers = Provider.objects.filter(district_id=district_id)
    if filters.get("kind"):
        providers = providers.filter(kind=filters["kind"])
    if filters.get("active") is not None:
        providers = providers.filter(active=filters["active"])
    return providers.order_by("name", "id")


def provider_get(*, user: User, pk) -> Provider:
    try:
        return provider_list(user=user).get(pk=int(pk))
    except (Provider.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def case_needs(*, supervisee: Supervisee) -> list[Need]:
    """The case's needs, open ones first, newest first. The caller already sees the case."""
    needs = Need.objects.filter(supervisee=supervisee).select_related("provider", "recorded_by")
    return sorted(needs, key=lambda need: (need.status not in OPEN_NEED_STATUSES, -need.pk))


def need_get(*, supervisee: Supervisee, pk) -> Need:
    """A need of this case (the caller sees the case); any other id is 404."""
    try:
        return Need.objects.select_related("provider").get(supervisee=supervisee, pk=int(pk))
    except (Need.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def providers_for_need(providers, kind: str) -> list[Provider]:
    """Of `providers` (already the reader's district's), the active ones that offer help for `kind`."""
    return [p for p in providers if p.active and set(p.offers) & NEED_OFFERS[kind]]
