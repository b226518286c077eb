"""Documents' part of `seed_demo`: the release certificates and notices of the demo's most recent
releases, and the notices of its most recent deaths, written through the services (real PDFs), so the
police, the court and the procuratorate find notices in their inbox and one already received.

Registered into corrections' demo registry. Idempotent: a step writes each document and notice once
(documents.services finds what it wrote for the same status change), so a second run writes nothing."""

import datetime as dt

from django.utils.translation import gettext as _

from corrections.constants import RELEASE_REASONS, Status
from corrections.demo import CASE_NUMBER_PREFIX, DemoContext, register_demo_step
from corrections.models import StatusChange

from .effects import on_transition
from .models import Document, Notice
from .services import notice_receive

# Enough to show every kind of inbox row; each is a real PDF, rendered in a fraction of a second.
RECENT_DAYS = 30
AT_MOST = 6


def seed_documents(context: DemoContext) -> str:
    by = context.users["supervisor"]
    changes = (
        StatusChange.objects.filter(
            supervisee__in=context.supervisees.filter(case_number__startswith=CASE_NUMBER_PREFIX),
            date__gte=context.today - dt.timedelta(days=RECENT_DAYS),
            date__lte=context.today,
        )
        .filter(
            to_status__in=[Status.TERMINATED, Status.DECEASED],
        )
        .select_related("supervisee__sentence__deciding_agency", "supervisee__justice_office")
        .order_by("-date", "-id")
    )
    chosen = [c for c in changes if c.to_status == Status.DECEASED or c.exit_reason in RELEASE_REASONS][
        :AT_MOST
    ]
    documents_before, notices_before = Document.objects.count(), Notice.objects.count()
    for change in chosen:
        on_transition(change.supervisee, change, by)
    # The police have received the oldest of these; the rest wait for their receipt.
    police = context.users["police"]
    first = (
        Notice.objects.filter(to_agency_id=police.agency_id, received_at__isnull=True).order_by("id").first()
    )
    received = 0
    if (
        first is not None
        and not Notice.objects.filter(to_agency_id=police.agency_id, received_at__isnull=False).exists()
    ):
        notice_receive(notice=first, by=police)
        received = 1
    documents = Document.objects.count() - documents_before
    notices = Notice.objects.count() - notices_before
    context.created.update(documents=documents, notices=notices)
    return _("%(documents)d documents, %(notices)d notices (%(received)d received)") % {
        "documents": documents,
        "notices": notices,
        "received": received,
    }


register_demo_step("documents", seed_documents)
