"""Official documents (文书) and notices between agencies (通知, with a receipt 回执).

A document is written once, as a PDF, and never changed (API.md v1.1 "Documents"): its bytes are kept
with their SHA-256, and a correction is a new document naming the one it replaces. Templates are
versioned by the day they take effect, so each document names the version it was written from, and
the stored bytes are the document as issued. On PostgreSQL the database refuses to change or delete a
document or its bytes (migration 0002) and the application's role may only read and add them
(accounts/db_roles.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from corrections.models import Supervisee

from .constants import DocumentKind, NoticeKind


class DocumentTemplate(models.Model):
    """One version of a kind of document: a Django template of the document's body, in Chinese, in
    force from `effective_from` until the next version of the same kind. A version that has been used
    is never edited: add a new version instead."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(
        _("body"),
        help_text=_("A Django template; the values it may use are listed in documents/contents.py."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "effective_from"], name="document_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective_from})"

    def clean(self) -> None:
        if self.pk and self.documents.exists():
            stored = DocumentTemplate.objects.get(pk=self.pk)
            if (stored.kind, stored.effective_from, stored.title, stored.body) != (
                self.kind,
                self.effective_from,
                self.title,
                self.body,
            ):
                raise ValidationError(
                    _("Documents were written from this version: add a new version instead of changing it.")
                )


class DocumentCounter(models.Model):
    """The last sequence number given to a kind of document by one agency in one year."""

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "agency", "year"], name="document_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency_id} {self.year}: {self.last}"


class Document(models.Model):
    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    issuing_agency = models.ForeignKey(
        Agency, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="documents_issued"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=100)
    title = models.CharField(_("title"), max_length=100)
    template = models.ForeignKey(
        DocumentTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="documents"
    )
    # The values the template was filled with, as written: the document can be read back, checked and
    # compared without its PDF.
    context = models.JSONField(_("contents"), default=dict)
    # A correction is a new document that names the one it replaces; the replaced one stays.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    # What wrote it: "corrections.statuschange:12", "supervision.measure:7", ...
    source_type = models.CharField(_("source"), max_length=50, blank=True)
    source_id = models.CharField(_("source id"), max_length=40, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["supervisee", "-created_at"], name="document_supervisee")]
        constraints = [
            # API.md v1.1: the number is unique per kind, issuing office and year.
            models.UniqueConstraint(
                fields=["kind", "issuing_agency", "year", "sequence"], name="document_number_unique"
            ),
            # One document per step: writing it again (a retried task, a second click) finds the first.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=~Q(source_type="") & Q(replaces__isnull=True),
                name="document_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"


class DocumentFile(models.Model):
    """The PDF as issued, kept apart from the document's row so that lists never load it."""

    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="file"
    )
    pdf = models.BinaryField(_("PDF"))

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return f"PDF of document {self.document_id}"


class Notice(models.Model):
    """A notice from the correction agency to another agency about one case (API.md v1.1), which the
    receiving agency marks received (回执)."""

    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="notices"
    )
    from_agency = models.ForeignKey(
        Agency, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="notices_sent"
    )
    to_agency = models.ForeignKey(
        Agency, verbose_name=_("addressee"), on_delete=models.PROTECT, related_name="notices_received"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # The step that sent it, as on Document: a notice is sent once per step and addressee.
    source_type = models.CharField(_("source"), max_length=50)
    source_id = models.CharField(_("source id"), max_length=40)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "received_at"], name="notice_inbox"),
            models.Index(fields=["from_agency", "-sent_at"], name="notice_outbox"),
            models.Index(fields=["supervisee", "to_agency"], name="notice_case_addressee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "to_agency", "source_type", "source_id"], name="notice_once_per_step"
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")), name="notice_between_agencies"
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True, received_by__isnull=True)
                | Q(received_at__isnull=False, received_by__isnull=False),
                name="notice_received_at_and_by_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
