"""Referrals on a case's timeline (workspace.timeline merges them).

The timeline is shown to everyone who sees the case, and its sources are not told who is reading, so
only what every such reader may know is put here: a referral once sent (drafts stay with their sender),
its kind, the agencies, its state and dates; not the summary, the thread or the outcome, which the
referral's own page shows to the parties."""

from django.utils.translation import gettext as _

from corrections.timeline import TimelineEvent

from .models import Referral


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
