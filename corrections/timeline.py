"""The shape of an event on a case's timeline, and this app's events (status changes). Each app writes
its own events' source; workspace.timeline merges them, newest first."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .constants import CustodyGround, ExitReason, Status, TransferStatus
from .models import Supervisee, Transfer


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


def transfer_events(supervisee: Supervisee, limit: int) -> list[TimelineEvent]:
    """Transfers of the place of execution (CCL 27 para. 2): proposed, then answered or withdrawn, each
    as the event of its latest step."""
    transfers = (
        Transfer.objects.filter(supervisee=supervisee)
        .select_related("from_office", "to_office", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")[:limit]
    )
    events = []
    for transfer in transfers:
        summary = _("Transfer of the place of execution: %(from)s → %(to)s (%(status)s)") % {
            "from": transfer.from_office.name,
            "to": transfer.to_office.name,
            "status": TransferStatus(transfer.status).label,
        }
        answered = transfer.status in (TransferStatus.ACCEPTED, TransferStatus.REFUSED)
        events.append(
            TimelineEvent(
                at=transfer.decided_at if answered and transfer.decided_at else transfer.proposed_at,
                type="transfer",
                id=transfer.pk,
                summary=summary,
                by=(
                    transfer.decided_by if answered and transfer.decided_by else transfer.proposed_by
                ).username,
                details={
                    "status": transfer.status,
                    "from_office": transfer.from_office_id,
                    "to_office": transfer.to_office_id,
                    "reason": transfer.reason,
                    "reply_due": transfer.reply_due.isoformat(),
                    "transfer_date": transfer.transfer_date.isoformat() if transfer.transfer_date else None,
                    "refusal_reason": transfer.refusal_reason,
                },
            )
        )
    return events
