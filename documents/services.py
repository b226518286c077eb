"""Every write of documents and notices: issuing a document (numbered, rendered, stored with its
SHA-256, audited), correcting one by a new document, sending notices and recording their receipt.

The steps that write them (API.md v1.1 "What each step writes") call `document_issue` and `notice_send`
inside their own transaction, so a document and its notices exist exactly when the step does; calling
either twice for the same step returns what the first call wrote."""

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import Agency, User
from accounts.permissions import RoleRule
from accounts.services import audit_record
from config.api import StateConflict
from config.office_time import office_today
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES, can_edit_case

from .constants import NUMBER_WORDS, DocumentKind, NoticeKind
from .contents import CASE_KEYS, case_contents, chinese_date, law_contents
from .models import Document, DocumentCounter, DocumentFile, DocumentTemplate, Notice
from .rendering import render_pdf, render_title

# Who acts for an agency on a notice it received (a social worker works for an office but never acts
# for it, as on referrals).
RECEIVING_ROLES = frozenset(
    {Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.POLICE, Role.PROCURATORATE, Role.COURT}
)
# The roles that may take each action at all, before anything else (accounts.permissions).
RECEIVE_NOTICES = RoleRule(RECEIVING_ROLES, gettext_lazy("Your role does not receive notices."))
CORRECT_DOCUMENTS = RoleRule(EDITING_ROLES, gettext_lazy("Your role does not correct documents."))


def source_of(record: models.Model | None) -> tuple[str, str]:
    """("app.model", "pk") of the record a step wrote, to find what was written for it."""
    if record is None:
        return "", ""
    return record._meta.label_lower, str(record.pk)


def template_in_force(*, kind: str, on: dt.date) -> DocumentTemplate:
    """The version of `kind` in force on `on`: the latest that took effect by then."""
    template = (
        DocumentTemplate.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()
    )
    if template is None:
        raise StateConflict(
            _("No template of the %(kind)s is in force on %(date)s: an administrator adds one in /admin/.")
            % {"kind": DocumentKind(kind).label, "date": on.isoformat()}
        )
    return template


def _next_sequence(*, kind: str, agency: Agency, year: int) -> int:
    """The next number of `kind` for the agency in the year. The counter row is locked until the
    issuing transaction ends, so two documents never share a number."""
    DocumentCounter.objects.get_or_create(kind=kind, agency=agency, year=year)
    counter = DocumentCounter.objects.select_for_update().get(kind=kind, agency=agency, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_number(*, kind: str, agency: Agency, year: int, sequence: int) -> str:
    """文号: the issuer, the kind's word, the year in 〔〕 and the sequence: 临城司法所矫解〔2026〕3号."""
    return f"{agency.name}{NUMBER_WORDS[kind]}〔{year}〕{sequence}号"


def _issue(
    *,
    kind: str,
    supervisee: Supervisee,
    by: User,
    contents: dict,
    source: tuple[str, str],
    replaces: Document | None = None,
    correction_reason: str = "",
) -> Document:
    today = office_today()
    template = template_in_force(kind=kind, on=today)
    agency = by.agency
    sequence = _next_sequence(kind=kind, agency=agency, year=today.year)
    number = document_number(kind=kind, agency=agency, year=today.year, sequence=sequence)
    contents = {
        **contents,
        "number": number,
        "issuer": agency.name,
        "issued_on": chinese_date(today),
        "law": law_contents(),
    }
    contents["title"] = render_title(template, contents)
    if replaces is not None:
        contents.update(replaces_number=replaces.number, correction_reason=correction_reason)
    pdf = render_pdf(template, contents)
    document = Document.objects.create(
        supervisee=supervisee,
        kind=kind,
        issuing_agency=agency,
        year=today.year,
        sequence=sequence,
        number=number,
        title=contents["title"],
        template=template,
        context=contents,
        replaces=replaces,
        correction_reason=correction_reason,
        source_type=source[0],
        source_id=source[1],
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        created_by=by,
    )
    DocumentFile.objects.create(document=document, pdf=pdf)
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=document,
        supervisee_id=supervisee.pk,
        changes={
            "kind": kind,
            "number": number,
            "template": template.pk,
            "sha256": document.sha256,
            **({"replaces": replaces.pk} if replaces else {}),
        },
    )
    return document


@transaction.atomic
def document_issue(
    *, kind: str, supervisee: Supervisee, by: User, source: models.Model | None = None, **values: str
) -> Document:
    """Write the document of a step: numbered for the signed-in user's agency, from the template version
    in force today, filled with the case and the step's `values`. Once per step (`source`)."""
    source_key = source_of(source)
    if source_key[0]:
        existing = Document.objects.filter(
            kind=kind, source_type=source_key[0], source_id=source_key[1], replaces__isnull=True
        ).first()
        if existing is not None:
            return existing
    supervisee = Supervisee.objects.select_related("sentence__deciding_agency", "justice_office").get(
        pk=supervisee.pk
    )
    return _issue(
        kind=kind,
        supervisee=supervisee,
        by=by,
        contents={**case_contents(supervisee), **values},
        source=source_key,
    )


@transaction.atomic
def document_correct(*, document: Document, by: User, reason: str) -> Document:
    """A correction: a new document of the same kind, with the case as it now stands and the step's own
    values as they were, naming the one it replaces (which stays as issued). API.md v1.1."""
    reason = (reason or "").strip()
    # The case's row is locked, not the document's: the application's database role may not lock a
    # document (it has no UPDATE on it, accounts/db_roles.py). Two corrections of one document wait in turn.
    supervisee = (
        Supervisee.objects.select_for_update(of=("self",))
        .select_related("sentence__deciding_agency", "justice_office__district")
        .get(pk=document.supervisee_id)
    )
    document = Document.objects.get(pk=document.pk)
    if not can_edit_case(by, supervisee):
        raise PermissionDenied(_("Only the correction agency in charge of the case corrects its documents."))
    if not reason:
        raise ValidationError({"reason": [_("Say what the correction corrects.")]})
    if Document.objects.filter(replaces=document).exists():
        raise StateConflict(
            _("This document was already corrected by %(number)s: correct that one instead.")
            % {"number": document.replaced_by.number}
        )
    step = {k: v for k, v in document.context.items() if k not in CASE_KEYS}
    for key in ("title", "number", "issuer", "issued_on", "law", "replaces_number", "correction_reason"):
        step.pop(key, None)
    return _issue(
        kind=document.kind,
        supervisee=supervisee,
        by=by,
        contents={**case_contents(supervisee), **step},
        source=(document.source_type, document.source_id),
        replaces=document,
        correction_reason=reason,
    )


def document_read_record(*, user: User, document: Document, ip_address: str | None = None) -> None:
    """Opening a document is a read of the case's personal data: audited."""
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        target=document,
        supervisee_id=document.supervisee_id,
        ip_address=ip_address,
    )


# --- notices -------------------------------------------------------------------------------------------


def district_agency(*, district_id: int, kind: str) -> Agency | None:
    """The district's own agency of `kind` (its procuratorate, its police bureau): the top of that kind
    in the district's tree, not one of its stations."""
    return (
        Agency.objects.filter(district_id=district_id, kind=kind)
        # A station under the district's own bureau; a district bureau under its city's bureau is the top.
        .exclude(parent__kind=kind, parent__district_id=district_id)
        .order_by("id")
        .first()
    )


def case_authorities(supervisee: Supervisee) -> list[Agency]:
    """The deciding agency, and the procuratorate and the police of the place of execution: whom a
    release or a death is notified to (CCL 44, 51)."""
    district_id = supervisee.justice_office.district_id
    return [
        agency
        for agency in (
            supervisee.sentence.deciding_agency,
            district_agency(district_id=district_id, kind=AgencyKind.PROCURATORATE),
            district_agency(district_id=district_id, kind=AgencyKind.POLICE),
        )
        if agency is not None
    ]


@transaction.atomic
def notice_send(
    *,
    kind: str,
    supervisee: Supervisee,
    by: User,
    to: Iterable[Agency | None],
    source: models.Model,
    document: Document | None = None,
    from_agency: Agency | None = None,
) -> list[Notice]:
    """Send a notice of `kind` about the case from the signed-in user's agency (or `from_agency`, where
    the step is taken by another agency's user for it: a transfer the receiving bureau accepted is
    notified by the sending office, CCL 27 para. 2) to each agency in `to` (none to itself, one per
    addressee and step). Returns the notices of this step."""
    if kind not in NoticeKind.values:
        raise ValueError(kind)
    sender_id = from_agency.pk if from_agency is not None else by.agency_id
    source_type, source_id = source_of(source)
    notices = []
    seen: set[int] = set()
    for agency in to:
        if agency is None or agency.pk == sender_id or agency.pk in seen:
            continue
        seen.add(agency.pk)
        notice, created = Notice.objects.get_or_create(
            kind=kind,
            to_agency=agency,
            source_type=source_type,
            source_id=source_id,
            defaults={
                "supervisee": supervisee,
                "from_agency_id": sender_id,
                "document": document,
                "sent_by": by,
            },
        )
        if created:
            audit_record(
                actor=by,
                action=AuditAction.CREATE,
                target=notice,
                supervisee_id=supervisee.pk,
                changes={
                    "kind": kind,
                    "to_agency": agency.pk,
                    **({"document": document.pk} if document else {}),
                },
            )
        notices.append(notice)
    return notices


@transaction.atomic
def notice_receive(*, notice: Notice, by: User) -> Notice:
    """The receiving agency records that the notice arrived (回执): once (409 after)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if by.role not in RECEIVING_ROLES or by.agency_id != notice.to_agency_id:
        raise PermissionDenied(_("Only the agency the notice is addressed to records its receipt."))
    if notice.received_at is not None:
        raise StateConflict(
            _("This notice was already received on %(date)s.")
            % {"date": timezone.localtime(notice.received_at).strftime("%Y-%m-%d %H:%M")}
        )
    notice.received_at, notice.received_by = timezone.now(), by
    notice.save(update_fields=["received_at", "received_by"])
    audit_record(
        actor=by,
        action=AuditAction.TRANSITION,
        target=notice,
        supervisee_id=notice.supervisee_id,
        changes={"received_at": {"before": None, "after": notice.received_at.isoformat()}},
    )
    return notice
