"""Every write of social forces' records: an activity with its participants' hours and outcomes, and a
provider. Each validates, locks what it changes, writes and audits in one transaction: nothing is half
saved."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AuditAction, Role
from accounts.models import User
from accounts.permissions import RoleRule
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import office_today
from config.plausible import EARLIEST_DATE
from corrections import law
from corrections.constants import EXIT_STATUSES
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case, supervisees_visible_to

from .constants import (
    NEED_OFFERS,
    NEED_TRANSITIONS,
    NO_HOURS_OUTCOMES,
    ONE_PERSON_KINDS,
    OPEN_NEED_STATUSES,
    ActivityKind,
    NeedKind,
    NeedStatus,
    ParticipationOutcome,
    ProviderKind,
)
from .models import Activity, Need, Participation, Provider
from .selectors import recordable_cases

MAX_HOURS = Decimal(24)
# Officers for their office's cases, supervisors for the district's, social workers for their team's
# (docs/roles.md#the-roles); the procuratorate, the court and the police never record activities.
RECORD_ACTIVITIES = RoleRule(
    EDITING_ROLES | {Role.SOCIAL_WORKER}, gettext_lazy("Your role does not record education or assistance.")
)
# The district's register of providers: kept by the justice roles.
MANAGE_PROVIDERS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not keep the register of providers."))


@dataclass(frozen=True)
class Result:
    """One participant's part, when it differs from the activity's (its hours, completed)."""

    hours: Decimal | None = None
    outcome: str = ParticipationOutcome.COMPLETED
    note: str = ""


def _hours_error(hours) -> str | None:
    try:
        hours = Decimal(hours)
    except (InvalidOperation, TypeError, ValueError):
        return _("Give the hours as a number.")
    if not (Decimal(0) < hours <= MAX_HOURS):
        return _("Hours must be more than 0 and at most 24.")
    return None


def _lock_participants(*, by: User, ids: Sequence[int]) -> list[Supervisee]:
    """The participants, locked (a case racing an exit sees the case as it is after it), in id order.
    One the caller does not see is 404, as everywhere (out of scope)."""
    visible = set(supervisees_visible_to(by).filter(pk__in=ids).values_list("pk", flat=True))
    if visible != set(ids):
        raise Http404
    return list(
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .filter(pk__in=ids)
        .order_by("pk")
    )


@transaction.atomic
def activity_record(
    *,
    by: User,
    kind: str,
    date: dt.date,
    hours: Decimal,
    topic: str,
    participants: Sequence[int],
    provider: Provider | None = None,
    outcome: str = "",
    results: Mapping[int, Result] | None = None,
) -> Activity:
    """Record an activity and each participant's hours and outcome (CCL 35-43). A group never mixes
    minors and adults (CCL 52 para. 3); every participant is a case under supervision that the caller may
    record for (community.selectors.recordable_cases)."""
    RECORD_ACTIVITIES.check(by)
    results = dict(results or {})
    ids = list(dict.fromkeys(int(pk) for pk in participants))
    errors: dict[str, list[str]] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Choose the kind of activity.")]
    today = office_today()
    if date > today:
        errors["date"] = [_("An activity cannot be in the future.")]
    elif date < EARLIEST_DATE:
        errors["date"] = [_("The date is too early to be believed.")]
    hours_error = _hours_error(hours)
    if hours_error:
        errors["hours"] = [hours_error]
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = [_("Give the topic of the activity.")]
    if not ids:
        errors["participants"] = [_("Choose at least one participant.")]
    elif len(ids) != len(participants):
        errors["participants"] = [_("A participant is listed twice.")]
    elif kind in ONE_PERSON_KINDS and len(ids) > 1:
        errors["participants"] = [_("An individual talk has one participant.")]
    stray = sorted(set(results) - set(ids))
    if stray:
        errors["results"] = [_("A result is given for someone who is not a participant.")]
    people = _lock_participants(by=by, ids=ids) if ids else []
    if people:
        may_record = set(recordable_cases(by).filter(pk__in=ids).values_list("pk", flat=True))
        refused = [p for p in people if p.pk not in may_record]
        if refused:
            errors.setdefault("participants", []).append(
                _("You may not record for %(names)s: only cases under supervision that you work on.")
                % {"names": ", ".join(p.name for p in refused)}
            )
        if "date" not in errors:
            early = [p for p in people if p.intake_date and date < p.intake_date]
            if early:
                errors["date"] = [
                    _("The activity is before the intake of %(names)s.")
                    % {"names": ", ".join(p.name for p in early)}
                ]
        minors = {p.is_minor for p in people}
        if len(minors) > 1:
            # CCL 52 para. 3: community correction of minors is carried out apart from adults.
            errors.setdefault("participants", []).append(
                _(
                    "Minors and adults take part in separate activities (%(ref)s): choose only minors or "
                    "only adults."
                )
                % {"ref": law.MINORS_APART}
            )
    if provider is not None and not provider.active:
        errors["provider"] = [_("This provider is no longer active.")]
    result_errors = []
    for result in results.values():
        if result.outcome not in ParticipationOutcome.values:
            result_errors.append(_("Choose each participant's outcome."))
        elif result.hours is not None and result.outcome not in NO_HOURS_OUTCOMES:
            error = _hours_error(result.hours)
            if error:
                result_errors.append(error)
            elif hours_error is None and Decimal(result.hours) > Decimal(hours):
                result_errors.append(_("A participant's hours cannot exceed the activity's."))
    if result_errors:
        errors.setdefault("results", []).extend(dict.fromkeys(result_errors))
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        kind=kind,
        date=date,
        hours=Decimal(hours),
        topic=topic,
        provider=provider,
        outcome=(outcome or "").strip(),
        agency_id=by.agency_id,
        recorded_by=by,
    )
    rows = []
    for person in people:
        result = results.get(person.pk, Result())
        if result.outcome in NO_HOURS_OUTCOMES:
            part_hours = Decimal(0)
        else:
            part_hours = Decimal(result.hours) if result.hours is not None else Decimal(hours)
        rows.append(
            Participation(
                activity=activity,
                supervisee=person,
                hours=part_hours,
                outcome=result.outcome,
                note=(result.note or "").strip()[:500],
            )
        )
    Participation.objects.bulk_create(rows)
    for row in rows:
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=activity,
            supervisee_id=row.supervisee_id,
            changes={
                "kind": kind,
                "date": date.isoformat(),
                "topic": topic,
                "hours": str(row.hours),
                "outcome": row.outcome,
                "participants": len(rows),
            },
        )
    return activity


@transaction.atomic
def provider_create(
    *,
    by: User,
    name: str,
    kind: str,
    offers: Sequence[str],
    contact: str = "",
    active: bool = True,
) -> Provider:
    """Add a provider to the district's register (CCL 13, 38-41)."""
    MANAGE_PROVIDERS.check(by)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the provider's name.")]
    if kind not in ProviderKind.values:
        errors["kind"] = [_("Choose the kind of provider.")]
    offers = list(dict.fromkeys(offers or []))
    if not offers or any(offer not in ActivityKind.values for offer in offers):
        errors["offers"] = [_("Choose what the provider offers, among the kinds of activity.")]
    if errors:
        raise ValidationError(errors)
    provider = Provider(
        district_id=by.agency.district_id,
        name=name,
        kind=kind,
        offers=offers,
        contact=(contact or "").strip(),
        active=bool(active),
        created_by=by,
    )
    try:
        with transaction.atomic():
            provider.save()
    except IntegrityError as error:
        raise ValidationError({"name": [_("The district already has a provider of this name.")]}) from error
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=provider,
        changes={"name": name, "kind": kind, "offers": offers, "active": provider.active},
    )
    return provider


# --- needs: recorded on the case, matched to a provider's offer, followed to an outcome ----------------

# Officers for their office's cases and supervisors for the district's (can_edit_case).
FOLLOW_NEEDS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not record or follow a case's needs."))


def _check_may_follow(by: User, supervisee: Supervisee) -> None:
    FOLLOW_NEEDS.check(by)
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Your role may read this case but not follow its needs."))
    if supervisee.status in EXIT_STATUSES:
        raise StateConflict(_("The case is closed and read-only."))


@transaction.atomic
def need_record(*, supervisee: Supervisee, by: User, kind: str, note: str = "") -> Need:
    """Record a need of the case; one open need of a kind at a time."""
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("justice_office")
        .get(pk=supervisee.pk)
    )
    _check_may_follow(by, supervisee)
    if kind not in NeedKind.values:
        raise ValidationError({"kind": [_("Choose the kind of need.")]})
    if Need.objects.filter(supervisee=supervisee, kind=kind, status__in=sorted(OPEN_NEED_STATUSES)).exists():
        raise ValidationError({"kind": [_("This need is already open on the case.")]})
    need = Need.objects.create(
        supervisee=supervisee, kind=kind, note=(note or "").strip()[:500], recorded_by=by
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=need,
        supervisee_id=supervisee.pk,
        changes={"kind": kind, "note": need.note},
    )
    return need


def _lock_need(need: Need, by: User, to: str) -> Need:
    need = (
        Need.objects.select_for_update(of=("self",))
        .select_related("supervisee__justice_office")
        .get(pk=need.pk)
    )
    _check_may_follow(by, need.supervisee)
    if to not in NEED_TRANSITIONS[need.status]:
        raise StateConflict(
            _("This need is %(status)s and cannot be changed so.") % {"status": NeedStatus(need.status).label}
        )
    return need


@transaction.atomic
def need_match(*, need: Need, by: User, provider: Provider) -> Need:
    """Match the need to a provider of the district, active, that offers help for it
    (community.constants.NEED_OFFERS)."""
    need = _lock_need(need, by, NeedStatus.MATCHED)
    if not provider.active or provider.district_id != need.supervisee.justice_office.district_id:
        raise ValidationError({"provider": [_("Choose an active provider of the district.")]})
    if not set(provider.offers) & NEED_OFFERS[need.kind]:
        raise ValidationError({"provider": [_("This provider offers nothing for this need.")]})
    before = {"status": need.status, "provider": need.provider_id}
    need.status, need.provider, need.matched_on = NeedStatus.MATCHED, provider, office_today()
    need.save(update_fields=["status", "provider", "matched_on"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=need,
        supervisee_id=need.supervisee_id,
        changes={"status": [before["status"], need.status], "provider": [before["provider"], provider.pk]},
    )
    return need


@transaction.atomic
def need_close(*, need: Need, by: User, met: bool, outcome: str) -> Need:
    """Follow the need to its outcome: met (only once matched) or closed unmet, with what happened."""
    to = NeedStatus.MET if met else NeedStatus.UNMET
    need = _lock_need(need, by, to)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Say what came of it.")]})
    before = need.status
    need.status, need.outcome, need.closed_on = to, outcome[:500], office_today()
    need.save(update_fields=["status", "outcome", "closed_on"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=need,
        supervisee_id=need.supervisee_id,
        changes={"status": [before, to], "outcome": need.outcome},
    )
    return need
