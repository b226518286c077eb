"""Every read of documents and notices, within the case scoping of corrections (out of scope is 404).

Who reads a case's documents (need to know, docs/roles.md): the district's officers, supervisors and
procuratorate read every document of the cases they see; the police and the courts only the documents
sent to their agency with a notice, and whatever a higher app registers (coordination: the letter of a
referral addressed to them); social workers none (documents carry the ID number)."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.constants import Role
from accounts.models import User
from corrections.models import Supervisee
from corrections.scoping import in_home_area, supervisees_visible_to

from .constants import NoticeBox
from .models import Document, Notice
from .services import RECEIVING_ROLES

# Roles that read every document of a case of their district.
DISTRICT_READERS = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})

# A rule takes the user and returns a Q over Document: more documents that user may read.
DocumentReadRule = Callable[[User], Q]
_read_rules: list[DocumentReadRule] = []


def register_document_read_rule(rule: DocumentReadRule) -> None:
    if rule not in _read_rules:
        _read_rules.append(rule)


def _readable(user: User) -> Q | None:
    if not user.is_authenticated or user.role not in RECEIVING_ROLES or not user.agency_id:
        return None
    condition = Q(notices__to_agency_id=user.agency_id)
    if user.role in DISTRICT_READERS:
        condition |= in_home_area(user, "supervisee__justice_office")
    for rule in _read_rules:
        condition |= rule(user)
    return condition


def document_list(*, user: User, supervisee: Supervisee) -> QuerySet[Document]:
    """The case's documents the caller may read, newest first, without their PDFs (one query)."""
    condition = _readable(user)
    if condition is None:
        return Document.objects.none()
    return (
        Document.objects.filter(condition, supervisee=supervisee)
        .select_related("issuing_agency", "replaces", "replaced_by")
        .distinct()
        .order_by("-created_at", "-id")
    )


def document_get(*, user: User, pk: int) -> Document:
    condition = _readable(user)
    document = (
        Document.objects.filter(condition, supervisee__in=supervisees_visible_to(user).values("pk"), pk=pk)
        .select_related("supervisee")
        .distinct()
        .first()
        if condition is not None
        else None
    )
    if document is None:
        raise Http404
    return document


def document_pdf(*, document: Document) -> bytes:
    return bytes(document.file.pdf)


# --- notices -------------------------------------------------------------------------------------------


def _notice_visible(user: User) -> Q | None:
    if not user.is_authenticated or user.role not in RECEIVING_ROLES or not user.agency_id:
        return None
    visible = Q(to_agency_id=user.agency_id) | Q(from_agency_id=user.agency_id)
    if user.role == Role.JUSTICE_SUPERVISOR:
        # The bureau follows what its district's offices sent.
        visible |= in_home_area(user, "from_agency") & Q(from_agency__kind="justice_office")
    return visible


def notice_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Notice]:
    """The notices the caller's agency received (`box=inbox`) or sent (`outbox`; a supervisor: the
    district's offices' too), or both; unreceived first in the inbox, newest first otherwise."""
    filters = filters or {}
    visible = _notice_visible(user)
    if visible is None:
        return Notice.objects.none()
    notices = Notice.objects.filter(visible)
    box = filters.get("box")
    if box == NoticeBox.INBOX:
        notices = notices.filter(to_agency_id=user.agency_id)
    elif box == NoticeBox.OUTBOX:
        notices = notices.exclude(to_agency_id=user.agency_id)
    if filters.get("kind"):
        notices = notices.filter(kind=filters["kind"])
    if filters.get("supervisee"):
        notices = notices.filter(supervisee_id=filters["supervisee"])
    if filters.get("received") is not None:
        notices = notices.filter(received_at__isnull=not filters["received"])
    order = ("received_at", "-sent_at", "-id") if box == NoticeBox.INBOX else ("-sent_at", "-id")
    return notices.select_related(
        "supervisee", "from_agency", "to_agency", "document", "sent_by", "received_by"
    ).order_by(*order)


def notice_get(*, user: User, pk: int) -> Notice:
    visible = _notice_visible(user)
    notice = (
        Notice.objects.filter(visible, pk=pk).select_related("supervisee").first()
        if visible is not None
        else None
    )
    if notice is None:
        raise Http404
    return notice


def unreceived_count(*, user: User) -> int:
    if user.role not in RECEIVING_ROLES or not user.agency_id:
        return 0
    return Notice.objects.filter(to_agency_id=user.agency_id, received_at__isnull=True).count()


def written_for(record) -> tuple[list[Document], list[Notice]]:
    """The documents and notices a step wrote (its source record: a status change, a measure, a leave
    request, a referral), for the message that tells the user."""
    source_type, source_id = record._meta.label_lower, str(record.pk)
    documents = list(Document.objects.filter(source_type=source_type, source_id=source_id).order_by("id"))
    notices = list(
        Notice.objects.filter(source_type=source_type, source_id=source_id)
        .select_related("to_agency")
        .order_by("id")
    )
    return documents, notices
