"""Every read of coordination. A referral is seen by the agencies on it (the receiver only once it is
sent), and by the district's supervisors and procuratorate (read-only for the latter), always within
the case scoping of corrections (`supervisees_visible_to`) unless the caller's agency is a party.
Out of scope is 404."""

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.constants import Role
from accounts.models import User
from corrections.scoping import in_home_area, supervisees_visible_to

from .constants import VISIBLE_TO_RECEIVER
from .models import Referral, ReferralAttachment, ReferralMessage
from .services import ACTING_ROLES

BOXES = ("inbox", "outbox")
# Roles that see every referral of their district (docs/roles.md#the-roles).
DISTRICT_ROLES = frozenset({Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})


def _visible(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active or user.role not in ACTING_ROLES or not user.agency_id:
        return None
    # The parties: the sender always, the receiver once it is sent.
    visible = Q(from_agency_id=user.agency_id) | Q(
        to_agency_id=user.agency_id, status__in=sorted(VISIBLE_TO_RECEIVER)
    )
    if user.role in DISTRICT_ROLES:
        visible |= in_home_area(user, "supervisee__justice_office") & Q(
            supervisee__in=supervisees_visible_to(user).values("pk"),
        )
    return visible


def referral_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Referral]:
    """The referrals the caller may read, newest first; a fixed number of queries for a page. Filters
    arrive read (config.params, in the views): `box` one of BOXES, codes among the choices, an id."""
    filters = filters or {}
    visible = _visible(user)
    if visible is None:
        return Referral.objects.none()
    referrals = Referral.objects.filter(visible)
    box = filters.get("box")
    if box == "inbox":
        referrals = referrals.filter(to_agency_id=user.agency_id)
    elif box == "outbox":
        referrals = referrals.filter(from_agency_id=user.agency_id)
    for name in ("status", "kind"):
        if filters.get(name):
            referrals = referrals.filter(**{name: filters[name]})
    if filters.get("supervisee"):
        referrals = referrals.filter(supervisee_id=filters["supervisee"])
    return (
        referrals.select_related(
            "from_agency", "to_agency", "arrest_request__requested_by", "arrest_request__decided_by"
        )
        .prefetch_related(
            Prefetch(
                "messages", queryset=ReferralMessage.objects.select_related("author").order_by("at", "id")
            ),
            Prefetch("attachments", queryset=ReferralAttachment.objects.order_by("uploaded_at", "id")),
        )
        .order_by("-created_at", "-id")
    )


def referral_get(*, user: User, pk: Any) -> Referral:
    try:
        return referral_list(user=user).get(pk=int(pk))
    except (Referral.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def referral_attachment_get(*, user: User, referral_pk: Any, pk: Any) -> ReferralAttachment:
    referral = referral_get(user=user, pk=referral_pk)
    try:
        attachment = referral.attachments.get(pk=int(pk))
    except (ReferralAttachment.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
    attachment.referral = referral
    return attachment
