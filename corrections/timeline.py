"""The shape of an event on a case's timeline, and this app's events (status changes). Each app writes
its own events' source; workspace.timeline merges them, newest first."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .constants import CustodyGround, ExitReason, Status
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


def status_change_events(supervisee: Supervisee, limit: int) -> list[TimelineEvent]:
    changes = supervisee.status_changes.select_related("recorded_by").order_by("-date", "-id")[:limit]
    return [
        TimelineEvent(
            at=change.date,
            type="status_change",
            id=change.pk,
            summary=_("%(from)s → %(to)s")
            % {"from": Status(change.from_status).label, "to": Status(change.to_status).label}
            + (f" ({ExitReason(change.exit_reason).label})" if change.exit_reason else "")
            # CCL 32: the ground of custody, where it was given.
            + (f" ({CustodyGround(change.custody_ground).label})" if change.custody_ground else ""),
            by=change.recorded_by.username if change.recorded_by else None,
            details={
                "from": change.from_status,
                "to": change.to_status,
                "exit_reason": change.exit_reason or None,
                "custody_ground": change.custody_ground or None,
                "note": change.note,
            },
        )
        for change in changes
    ]
