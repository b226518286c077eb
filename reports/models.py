"""The reports app's own records: an uploaded ledger awaiting confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImportStatus(models.TextChoices):
    PENDING = "pending", _("Uploaded, not yet checked")
    VALIDATED = "validated", _("Checked: ready to import")
    FAILED = "failed", _("Has errors: nothing was imported")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")


def ledger_upload_path(instance: "LedgerImport", filename: str) -> str:
    # The stored name carries no personal data: the clerk's file name is kept in `original_name`.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"ledger-imports/{instance.sha256[:16]}.{suffix}"


class LedgerImport(models.Model):
    """One uploaded ledger (台账) of supervisees. The confirm step imports exactly this stored file:
    its sha256 is checked again before anything is written."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=ledger_upload_path)
    original_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=12, choices=LedgerImportStatus.choices, default=LedgerImportStatus.PENDING
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # [{"row": 3, "column": "身份证号码", "field": "id_number", "message": "..."}], row as in the sheet.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # [{"row": 2, "case_number": ..., "name": ..., "category": ..., "justice_office": ...}]
    preview = models.JSONField(_("preview"), default=list, blank=True)
    # Headers of the file that name no column this system knows: ignored, and shown to the clerk.
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    progress = models.PositiveIntegerField(_("rows imported"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class MonthlySnapshot(models.Model):
    """The figures of an ended month as a justice supervisor signed them off, for the district (no
    office) or one justice office. Once signed, the reports page, the JSON and the workbook show these
    figures; the live count is still computed to show what has changed since (a back-dated edit)."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    justice_office = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("justice office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the whole district."),
    )
    figures = models.JSONField(_("figures"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signed monthly statistics")
        verbose_name_plural = _("signed monthly statistics")
        constraints = [
            # One sign-off per month and scope; the district's own (office NULL) counts as one scope.
            models.UniqueConstraint(
                fields=["district", "month", "justice_office"],
                name="reports_one_snapshot_per_month_and_scope",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class FigureChange(models.Model):
    """One row per write that can move a month's figures (reports.figure_cache): the cache of a unit's
    month is keyed by the latest row of the unit's districts and the latest row for every district, so a
    back-dated change (a late entry, a status change with an earlier date, a transfer) is counted on the
    next read, and a write in one district leaves the others' cached figures alone. Read only for the
    latest id per district; rows older than the cache's lifetime are pruned but each district's latest."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    # The district whose figures the write can move; null: any district's (a transfer, which moves two;
    # an agency or a default rule; a bulk load).
    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("district"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the index below, by district then id, serves it
    )

    class Meta:
        verbose_name = _("change to the statistics' records")
        verbose_name_plural = _("changes to the statistics' records")
        indexes = [models.Index(fields=["district", "id"], name="figure_change_district_id")]

    def __str__(self) -> str:
        return f"{self.pk} {self.at:%Y-%m-%d %H:%M:%S}"
