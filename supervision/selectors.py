"""Every read of daily supervision, and the suggestions drawn from it. Each goes through the case scoping
of corrections (`supervisees_visible_to`); out of scope is 404. Filters arrive read (config.params, in
the views): ids as numbers, codes among the choices."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from config.office_time import office_today
from corrections.constants import EXIT_STATUSES, Category, Status
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to

from .constants import MeasureKind, MeasureStatus
from .models import Alert, CheckIn, LeaveRequest, Measure
from .rules import discipline_rule_for


def checkin_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[CheckIn]:
    filters = filters or {}
    checkins = CheckIn.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        checkins = checkins.filter(supervisee_id=filters["supervisee"])
    if filters.get("kind"):
        checkins = checkins.filter(kind=filters["kind"])
    if filters.get("since"):
        checkins = checkins.filter(occurred_at__gte=filters["since"])
    if filters.get("until"):
        checkins = checkins.filter(occurred_at__lt=filters["until"])
    return checkins.select_related("recorded_by").order_by("-occurred_at", "-id")


def alert_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Alert]:
    filters = filters or {}
    alerts = Alert.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    for name in ("status", "kind"):
        if filters.get(name):
            alerts = alerts.filter(**{name: filters[name]})
    if filters.get("supervisee"):
        alerts = alerts.filter(supervisee_id=filters["supervisee"])
    return alerts.select_related("supervisee", "resolved_by", "acknowledged_by").order_by("-due_date", "-id")


def alert_get(*, user: User, pk: Any) -> Alert:
    try:
        return alert_list(user=user).get(pk=int(pk))
    except (Alert.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def leave_request_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[LeaveRequest]:
    """The leave of the cases the caller sees; one query for a page whatever its size."""
    filters = filters or {}
    leave = LeaveRequest.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        leave = leave.filter(supervisee_id=filters["supervisee"])
    if filters.get("status"):
        leave = leave.filter(status=filters["status"])
    return leave.select_related("requested_by", "decided_by").order_by("-start_date", "-id")


def leave_request_get(*, user: User, pk: Any) -> LeaveRequest:
    try:
        return leave_request_list(user=user).get(pk=int(pk))
    except (LeaveRequest.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def measure_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Measure]:
    """The measures of the cases the caller sees; one query for a page whatever its size."""
    filters = filters or {}
    measures = Measure.objects.filter(supervisee__in=supervisees_visible_to(user).values("pk"))
    if filters.get("supervisee"):
        measures = measures.filter(supervisee_id=filters["supervisee"])
    for name in ("kind", "status"):
        if filters.get(name):
            measures = measures.filter(**{name: filters[name]})
    return measures.select_related("proposed_by", "decided_by").order_by("-occurred_on", "-id")


def measure_get(*, user: User, pk: Any) -> Measure:
    try:
        return measure_list(user=user).get(pk=int(pk))
    except (Measure.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


# Suggestions: the software suggests, a person decides (PRODUCT.md "Measures and proposals").
REVOCATION_PROPOSAL = "revocation_proposal"
RECOMMITMENT_PROPOSAL = "recommitment_proposal"
WARNING_PROPOSAL = "warning"


def _proposal_for(category: str) -> tuple[str, str, str] | None:
    """(proposal, what to consider, law) for a ground of revocation, by category. Control (管制) has no
    revocation or recommitment: nothing of that kind is suggested for it."""
    if category == Category.PROBATION:
        # CL 77(2); CCL 46; Implementation Measures 46: revoke probation.
        return (
            REVOCATION_PROPOSAL,
            _("consider proposing that the court revoke probation"),
            _("Criminal Law art. 77; Community Correction Law art. 46; Implementation Measures art. 46"),
        )
    if category == Category.PAROLE:
        # CL 86(3); CCL 46; Implementation Measures 47: revoke parole.
        return (
            REVOCATION_PROPOSAL,
            _("consider proposing that the court revoke parole"),
            _("Criminal Law art. 86; Community Correction Law art. 46; Implementation Measures art. 47"),
        )
    if category == Category.TEMPORARY_EXECUTION:
        # CCL 49; Criminal Procedure Law 268; Implementation Measures 49: recommit to prison.
        return (
            RECOMMITMENT_PROPOSAL,
            _("consider proposing recommitment to prison"),
            _(
                "Community Correction Law art. 49; Criminal Procedure Law art. 268; "
                "Implementation Measures art. 49"
            ),
        )
    return None


def _absconded_since(supervisee: Supervisee) -> dt.date | None:
    """The day of the latest move to `absconded` (the dated lifecycle, corrections.StatusChange)."""
    return (
        supervisee.status_changes.filter(to_status=Status.ABSCONDED)
        .order_by("-date", "-id")
        .values_list("date", flat=True)
        .first()
    )


def revocation_suggestions(*, supervisee: Supervisee, on: dt.date | None = None) -> list[dict[str, str]]:
    """What the case's record suggests proposing, as of `on` (default the office's today): each item
    `{"code", "proposal", "message", "basis"}`. Thresholds are the *local* discipline rule in force
    (rules.discipline_rule_for). Grounds held by higher apps (an administrative penalty without reform,
    a proposal already sent) are not seen here."""
    on = on or office_today()
    if supervisee.status in EXIT_STATUSES:
        return []
    rule = discipline_rule_for(district_id=supervisee.justice_office.district_id, on=on)
    proposal = _proposal_for(supervisee.sentence.category)
    measures = list(
        Measure.objects.filter(supervisee=supervisee)
        .exclude(status=MeasureStatus.REJECTED)
        .values_list("kind", "status", "decided_on", "id")
    )
    approved = [
        (kind, decided_on, pk)
        for kind, status, decided_on, pk in measures
        if status == MeasureStatus.APPROVED and decided_on is not None and decided_on <= on
    ]
    warnings = sorted((decided_on, pk) for kind, decided_on, pk in approved if kind == MeasureKind.WARNING)
    suggestions: list[dict[str, str]] = []

    # CL 77, 86; CCL 46, 49: two warnings (a *local* number) and still no reform.
    # A threshold of 0 would suggest on every case; it is read as "no such suggestion".
    if proposal and 0 < rule.warnings_before_revocation <= len(warnings):
        code, action, basis = proposal
        suggestions.append(
            {
                "code": "repeated_warnings",
                "proposal": code,
                "message": _("%(count)s warnings approved (the threshold is %(threshold)s): %(action)s.")
                % {"count": len(warnings), "threshold": rule.warnings_before_revocation, "action": action},
                "basis": basis,
            }
        )

    # Implementation Measures 46(2), 47(2): out of supervision for more than one month (a *local* number).
    absconded_on = _absconded_since(supervisee) if supervisee.status == Status.ABSCONDED else None
    if proposal and absconded_on is not None:
        days = (on - absconded_on).days
        if days > rule.lost_contact_days_before_revocation:
            code, action, basis = proposal
            suggestions.append(
                {
                    "code": "lost_contact",
                    "proposal": code,
                    "message": _(
                        "Out of contact for %(days)s days since %(date)s "
                        "(more than %(threshold)s): %(action)s."
                    )
                    % {
                        "days": days,
                        "date": absconded_on.isoformat(),
                        "threshold": rule.lost_contact_days_before_revocation,
                        "action": action,
                    },
                    "basis": basis,
                }
            )

    # CCL 28; Implementation Measures 36(5): a warning after two admonitions (a *local* number). Only the
    # admonitions decided after the last warning count: a warning answers the ones before it. Nothing is
    # suggested while a warning proposal already awaits its decision.
    last_warning = warnings[-1] if warnings else None
    admonitions_since = [
        (decided_on, pk)
        for kind, decided_on, pk in approved
        if kind == MeasureKind.ADMONITION and (last_warning is None or (decided_on, pk) > last_warning)
    ]
    warning_pending = any(
        kind == MeasureKind.WARNING and status == MeasureStatus.PROPOSED for kind, status, _d, _pk in measures
    )
    if 0 < rule.admonitions_before_warning <= len(admonitions_since) and not warning_pending:
        suggestions.append(
            {
                "code": "warning_suggested",
                "proposal": WARNING_PROPOSAL,
                "message": _(
                    "%(count)s admonitions approved with no warning since (the threshold is %(threshold)s): "
                    "consider proposing a warning."
                )
                % {"count": len(admonitions_since), "threshold": rule.admonitions_before_warning},
                "basis": _("Community Correction Law art. 28; Implementation Measures art. 36"),
            }
        )
    return suggestions
