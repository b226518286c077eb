"""Documents and notices on a case's timeline (workspace.timeline merges them).

Shown to everyone who sees the case, so only what every such reader may know: that a document of a
kind was issued with its number, that a notice went to an agency and whether it was received; the
document itself opens only for those who may read it (documents.selectors)."""

from django.utils.translation import gettext as _

from corrections.timeline import TimelineEvent

from .models import Document, Notice


def document_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = (
        Document.objects.filter(supervisee=supervisee)
        .select_related("issuing_agency", "created_by")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        TimelineEvent(
            at=document.created_at,
            type="document",
            id=document.pk,
            summary=_("%(kind)s issued: %(number)s")
            % {"kind": document.get_kind_display(), "number": document.number},
            by=document.created_by.username,
            details={"kind": document.kind, "number": document.number, "replaces": document.replaces_id},
        )
        for document in rows
    ]


def notice_events(supervisee, limit: int) -> list[TimelineEvent]:
    rows = (
        Notice.objects.filter(supervisee=supervisee)
        .select_related("from_agency", "to_agency", "sent_by")
        .order_by("-sent_at", "-id")[:limit]
    )
    return [
        TimelineEvent(
            at=notice.sent_at,
            type="notice",
            id=notice.pk,
            summary=(
                _("Notice (%(kind)s) to %(to)s, received")
                if notice.received_at
                else _("Notice (%(kind)s) to %(to)s")
            )
            % {"kind": notice.get_kind_display(), "to": notice.to_agency.name},
            by=notice.sent_by.username,
            details={
                "kind": notice.kind,
                "to_agency": notice.to_agency_id,
                "received_at": notice.received_at.isoformat() if notice.received_at else None,
            },
        )
        for notice in rows
    ]
