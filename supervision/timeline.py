"""Supervision's events on a case's timeline (workspace.timeline merges them)."""

from django.utils.translation import gettext as _

from corrections.timeline import TimelineEvent

from .constants import AlertKind, AlertStatus, CheckInKind
from .models import Alert


def checkin_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = supervisee.checkins.select_related("recorded_by").order_by("-occurred_at", "-id")[:limit]
    return [
        TimelineEvent(
            at=c.occurred_at,
            type="checkin",
            id=c.pk,
            summary=str(CheckInKind(c.kind).label)
            + (" · " + _("%(hours)s hours") % {"hours": c.hours} if c.hours else ""),
            by=c.recorded_by.username,
            details={
                "kind": c.kind,
                "notes": c.notes,
                "hours": str(c.hours) if c.hours is not None else None,
            },
        )
        for c in rows
    ]


def alert_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = (
        Alert.objects.filter(supervisee=supervisee)
        .select_related("resolved_by")
        .order_by("-created_at")[:limit]
    )
    return [
        TimelineEvent(
            at=a.created_at,
            type="alert",
            id=a.pk,
            summary=_("%(kind)s, due %(date)s (%(status)s)")
            % {
                "kind": AlertKind(a.kind).label,
                "date": a.due_date.isoformat(),
                "status": AlertStatus(a.status).label,
            },
            by=a.resolved_by.username if a.resolved_by else None,
            details={
                "kind": a.kind,
                "due_date": a.due_date.isoformat(),
                "status": a.status,
                "resolution_note": a.resolution_note,
            },
        )
        for a in rows
    ]


def leave_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = supervisee.leave_requests.select_related("requested_by", "decided_by").order_by(
        "-requested_at", "-id"
    )[:limit]
    return [
        TimelineEvent(
            at=leave.requested_at,
            type="leave",
            id=leave.pk,
            summary=_("Leave to %(destination)s, %(start)s to %(end)s (%(status)s)")
            % {
                "destination": leave.destination,
                "start": leave.start_date.isoformat(),
                "end": leave.end_date.isoformat(),
                "status": leave.get_status_display(),
            },
            by=leave.requested_by.username,
            details={
                "start_date": leave.start_date.isoformat(),
                "end_date": leave.end_date.isoformat(),
                "days": leave.days,
                "status": leave.status,
                "approval_level": leave.approval_level,
                "decided_by": leave.decided_by.username if leave.decided_by else None,
                "decision_note": leave.decision_note,
                "returned_on": leave.returned_on.isoformat() if leave.returned_on else None,
            },
        )
        for leave in rows
    ]


def measure_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = supervisee.measures.select_related("proposed_by", "decided_by").order_by("-proposed_at", "-id")[
        :limit
    ]
    return [
        TimelineEvent(
            at=measure.proposed_at,
            type="measure",
            id=measure.pk,
            summary=_("%(kind)s for a breach on %(date)s (%(status)s)")
            % {
                "kind": measure.get_kind_display(),
                "date": measure.occurred_on.isoformat(),
                "status": measure.get_status_display(),
            },
            by=measure.proposed_by.username,
            details={
                "kind": measure.kind,
                "occurred_on": measure.occurred_on.isoformat(),
                "status": measure.status,
                "reason": measure.reason,
                "decided_by": measure.decided_by.username if measure.decided_by else None,
                "decided_on": measure.decided_on.isoformat() if measure.decided_on else None,
                "decision_note": measure.decision_note,
            },
        )
        for measure in rows
    ]


def violation_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = supervisee.prohibition_violations.select_related("prohibition", "recorded_by").order_by(
        "-recorded_at", "-id"
    )[:limit]
    return [
        TimelineEvent(
            at=v.recorded_at,
            type="violation",
            id=v.pk,
            summary=_("Prohibition order violated on %(date)s: %(content)s")
            % {"date": v.occurred_on.isoformat(), "content": v.prohibition.content},
            by=v.recorded_by.username,
            details={
                "prohibition": v.prohibition_id,
                "occurred_on": v.occurred_on.isoformat(),
                "note": v.description,
                "measure": v.measure_id,
            },
        )
        for v in rows
    ]


def positioning_events(supervisee, limit: int) -> list[TimelineEvent]:
    """Electronic positioning orders, shown only to those who read them (workspace.timeline filters by
    reader, CCL 29 para. 3)."""
    rows = supervisee.positioning_orders.select_related("proposed_by", "decided_by").order_by(
        "-proposed_at", "-id"
    )[:limit]
    return [
        TimelineEvent(
            at=order.proposed_at,
            type="positioning",
            id=order.pk,
            summary=_("Electronic positioning (%(ground)s), %(start)s to %(end)s (%(status)s)")
            % {
                "ground": order.get_ground_display(),
                "start": order.start_date.isoformat(),
                "end": order.end_date.isoformat(),
                "status": order.get_status_display(),
            },
            by=order.proposed_by.username,
            details={
                "ground": order.ground,
                "start_date": order.start_date.isoformat(),
                "end_date": order.end_date.isoformat(),
                "status": order.status,
                "extends": order.extends_id,
                "decided_by": order.decided_by.username if order.decided_by else None,
                "decided_on": order.decided_on.isoformat() if order.decided_on else None,
                "ended_on": order.ended_on.isoformat() if order.ended_on else None,
                "note": order.end_reason or order.decision_note,
            },
        )
        for order in rows
    ]
