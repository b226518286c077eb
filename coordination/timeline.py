"""Referrals on a case's timeline (workspace.timeline merges them).

The timeline is shown to everyone who sees the case, and its sources are not told who is reading, so
only what every such reader may know is put here: a referral once sent (drafts stay with their sender),
its kind, the agencies, its state and dates; not the summary, the thread or the outcome, which the
referral's own page shows to the parties."""

from django.utils.translation import gettext as _

from corrections.timeline import TimelineEvent

from .constants import ArrestStatus
from .models import ArrestRequest, Referral


def referral_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = (
        Referral.objects.filter(supervisee=supervisee, sent_at__isnull=False)
        .select_related("from_agency", "to_agency", "created_by")
        .order_by("-sent_at", "-id")[:limit]
    )
    return [
        TimelineEvent(
            at=referral.sent_at,
            type="referral",
            id=referral.pk,
            summary=_("%(kind)s from %(from)s to %(to)s (%(status)s)")
            % {
                "kind": referral.get_kind_display(),
                "from": referral.from_agency.name,
                "to": referral.to_agency.name,
                "status": referral.get_status_display(),
            },
            by=referral.created_by.username,
            details={
                "kind": referral.kind,
                "status": referral.status,
                "from_agency": referral.from_agency_id,
                "to_agency": referral.to_agency_id,
                "due_date": referral.due_date.isoformat() if referral.due_date else None,
                "adopted": referral.adopted,
            },
        )
        for referral in rows
    ]


def arrest_events(supervisee, limit: int) -> list[TimelineEvent]:
    """An arrest request once it went to the court with its proposal (CCL 47 para. 1), and the court's
    decision (para. 2): the court, the dates and the outcome, not the reasons (the referral's page shows
    them to the parties)."""
    rows = (
        ArrestRequest.objects.filter(referral__supervisee=supervisee, requested_at__isnull=False)
        .select_related("referral__to_agency", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")[:limit]
    )
    events = []
    for arrest in rows:
        court = arrest.referral.to_agency.name
        details = {"referral": arrest.referral_id, "status": arrest.status, "ground": arrest.ground}
        events.append(
            TimelineEvent(
                at=arrest.requested_at,
                type="arrest_request",
                id=arrest.pk,
                summary=_("Arrest request sent to %(court)s with the revocation proposal") % {"court": court},
                by=arrest.requested_by.username,
                details={**details, "decision_due_at": arrest.decision_due_at.isoformat()},
            )
        )
        if arrest.decided_at and arrest.status in (ArrestStatus.GRANTED, ArrestStatus.REFUSED):
            events.append(
                TimelineEvent(
                    at=arrest.decided_at,
                    type="arrest_decision",
                    id=arrest.pk,
                    summary=_("%(court)s: %(decision)s")
                    % {"court": court, "decision": arrest.get_status_display()},
                    by=arrest.decided_by.username if arrest.decided_by else None,
                    details=details,
                )
            )
    return events
