"""A case's timeline: every event, newest first, from every app that records events about a case.

This app contributes status changes; higher apps register their own sources (check-ins, alerts, leave,
measures, referrals) with `register_timeline_source`, so this lower app never imports them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .constants import ExitReason, Status
from .models import Supervisee


@dataclass(frozen=True)
class TimelineEvent:
    at: dt.datetime | dt.date
    type: str
    id: int
    summary: str
    by: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple:
        # Dated events (a status change "on" a day) sort as the end of that day.
        moment = self.at if isinstance(self.at, dt.datetime) else dt.datetime.combine(self.at, dt.time.max)
        return (
            moment.replace(tzinfo=None)
            if moment.tzinfo is None
            else moment.astimezone(dt.UTC).replace(tzinfo=None),
            self.id,
        )


TimelineSource = Callable[[Supervisee, int], list[TimelineEvent]]
_sources: list[TimelineSource] = []


def register_timeline_source(source: TimelineSource) -> None:
    if source not in _sources:
        _sources.append(source)


def _status_changes(supervisee: Supervisee, limit: int) -> list[TimelineEvent]:
    changes = supervisee.status_changes.select_related("recorded_by").order_by("-date", "-id")[:limit]
    return [
        TimelineEvent(
            at=change.date,
            type="status_change",
            id=change.pk,
            summary=_("%(from)s → %(to)s")
            % {"from": Status(change.from_status).label, "to": Status(change.to_status).label}
            + (f" ({ExitReason(change.exit_reason).label})" if change.exit_reason else ""),
            by=change.recorded_by.username if change.recorded_by else None,
            details={
                "from": change.from_status,
                "to": change.to_status,
                "exit_reason": change.exit_reason or None,
                "note": change.note,
            },
        )
        for change in changes
    ]


register_timeline_source(_status_changes)


def timeline_for(supervisee: Supervisee, *, limit: int = 500) -> list[TimelineEvent]:
    """The newest `limit` events of the case, merged from every source (each asked for at most `limit`)."""
    events = [event for source in _sources for event in source(supervisee, limit)]
    events.sort(key=lambda event: event.sort_key, reverse=True)
    return events[:limit]
