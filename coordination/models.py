from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.local_rules import LocalRule, local_rule_unique
from accounts.models import Agency
from corrections.models import Supervisee

from .constants import ArrestGround, ArrestStatus, ReferralKind, ReferralStatus


class ReferralDeadline(LocalRule):
    """How many days the receiving agency has to answer a kind of referral (*local* data with an
    effective date; e.g. the court rules on a revocation proposal within 30 days, CCL 48 para. 1)."""

    kind = models.CharField(_("kind"), max_length=30, choices=ReferralKind.choices)
    days = models.PositiveSmallIntegerField(_("days to answer"))
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    rule_key = ("kind",)

    class Meta:
        verbose_name = _("referral deadline")
        verbose_name_plural = _("referral deadlines")
        ordering = ["kind", "-effective_from"]
        constraints = [
            local_rule_unique("kind", name="referral_deadline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"


class Referral(models.Model):
    """A matter sent from one agency to another about one case, with its thread and outcome."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="referrals"
    )
    from_agency = models.ForeignKey(
        Agency, verbose_name=_("from"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_agency = models.ForeignKey(
        Agency, verbose_name=_("to"), on_delete=models.PROTECT, related_name="referrals_received"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReferralKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    summary = models.TextField(_("summary"))
    # Set when sent, from the deadline in force for the kind.
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    # Procuratorial notices (CCL 62): answered in writing, saying whether the notice was adopted, with
    # reasons where it was not. Null for other kinds.
    adopted = models.BooleanField(_("adopted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("accepted or rejected at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["to_agency", "status"], name="referral_inbox"),
            models.Index(fields=["from_agency", "status"], name="referral_outbox"),
            models.Index(fields=["status", "due_date"], name="referral_status_due"),
            models.Index(fields=["supervisee", "kind", "status"], name="referral_case_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_agency=models.F("to_agency")), name="referral_between_agencies"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ReferralMessage(models.Model):
    """One message of a referral's thread (a request for information, an answer, a written reply)."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral message")
        verbose_name_plural = _("referral messages")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.referral_id} {self.at:%Y-%m-%d %H:%M}"


class ReferralAttachment(models.Model):
    """A document attached to a referral: stored with its SHA-256 and size, its type checked."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="referrals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ArrestRequest(models.Model):
    """A request that the people's court decide to arrest a person whose probation or parole the
    correction agency proposes to revoke (提请逮捕, CCL 47). It exists only with a revocation proposal,
    goes to the same court when the proposal is sent, and the court decides within 48 hours; an arrest
    decided is executed by the police (a notice to them), and custody after it may not exceed 30 days."""

    referral = models.OneToOneField(
        Referral,
        verbose_name=_("revocation proposal"),
        on_delete=models.PROTECT,
        related_name="arrest_request",
    )
    ground = models.CharField(_("ground"), max_length=20, choices=ArrestGround.choices)
    reasons = models.TextField(_("reasons"))
    status = models.CharField(
        _("status"), max_length=20, choices=ArrestStatus.choices, default=ArrestStatus.DRAFT
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set when the proposal is sent: the court received the request then, and decides by `decision_due_at`.
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("arrest request")
        verbose_name_plural = _("arrest requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "decision_due_at"], name="arrest_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="arrest_not_decided_by_requester",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} #{self.pk}"
