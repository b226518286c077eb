"""A case's timeline: every event, newest first, from every app that records events about a case,
less what the reader may not know (electronic positioning and its decisions are read only by the case's
office, the bureau's supervisors and the procuratorate: CCL 29 para. 3)."""

from accounts.models import User
from community.timeline import activity_events, need_events
from coordination.timeline import arrest_events, referral_events
from corrections.models import Supervisee
from corrections.timeline import TimelineEvent, status_change_events, transfer_events
from documents.constants import DocumentKind
from documents.timeline import document_events, notice_events
from supervision.positioning import may_read_positioning
from supervision.timeline import (
    alert_events,
    checkin_events,
    leave_events,
    measure_events,
    medical_events,
    permit_events,
    positioning_events,
    violation_events,
)

SOURCES = (
    status_change_events,
    transfer_events,
    checkin_events,
    alert_events,
    leave_events,
    permit_events,
    measure_events,
    violation_events,
    positioning_events,
    medical_events,
    referral_events,
    arrest_events,
    activity_events,
    need_events,
    document_events,
    notice_events,
)


def _about_positioning(event: TimelineEvent) -> bool:
    return (
        event.type == "positioning"
        or (event.type == "document" and event.details.get("kind") == DocumentKind.POSITIONING_DECISION)
        or (event.type == "alert" and event.details.get("kind") == "positioning_ending")
    )


def timeline_for(
    supervisee: Supervisee, *, limit: int = 500, user: User | None = None
) -> list[TimelineEvent]:
    """The newest `limit` events of the case, merged from every source (each asked for at most `limit`),
    as `user` may read them (everything when no reader is named)."""
    events = [event for source in SOURCES for event in source(supervisee, limit)]
    if user is not None and not may_read_positioning(user):
        events = [event for event in events if not _about_positioning(event)]
    events.sort(key=lambda event: event.sort_key, reverse=True)
    return events[:limit]
