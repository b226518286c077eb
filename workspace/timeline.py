"""A case's timeline: every event, newest first, from every app that records events about a case."""

from coordination.timeline import referral_events
from corrections.models import Supervisee
from corrections.timeline import TimelineEvent, status_change_events
from documents.timeline import document_events, notice_events
from supervision.timeline import alert_events, checkin_events, leave_events, measure_events

SOURCES = (
    status_change_events,
    checkin_events,
    alert_events,
    leave_events,
    measure_events,
    referral_events,
    document_events,
    notice_events,
)


def timeline_for(supervisee: Supervisee, *, limit: int = 500) -> list[TimelineEvent]:
    """The newest `limit` events of the case, merged from every source (each asked for at most `limit`)."""
    events = [event for source in SOURCES for event in source(supervisee, limit)]
    events.sort(key=lambda event: event.sort_key, reverse=True)
    return events[:limit]
