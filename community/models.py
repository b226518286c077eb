from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import District
from corrections.models import Supervisee

from .constants import (
    OPEN_NEED_STATUSES,
    ActivityKind,
    NeedKind,
    NeedStatus,
    ParticipationOutcome,
    ProviderKind,
)


class Provider(models.Model):
    """A social force that takes part in correction (CCL 13, 38-41): a volunteer, a social organisation,
    an employer or a school, with the kinds of activity it offers and whom to contact. Kept per
    district: the district's offices share them."""

    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(pgettext_lazy("organisation", "name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    offers = models.JSONField(_("offers"), default=list)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="provider_unique_name_in_district")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offer_labels(self) -> list[str]:
        return [str(ActivityKind(offer).label) for offer in self.offers if offer in ActivityKind.values]


class Activity(models.Model):
    """One education, help or service activity (CCL 35-43): a group session with many participants, or
    one person's talk, counselling, training, employment help, help with social assistance or community
    service. Each participant's hours and outcome are a Participation."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(24)],
    )
    topic = models.CharField(_("topic"), max_length=200)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # The office that held it (the recorder's agency): a social worker's is the office they serve.
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="activity_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date} · {self.topic}"


class Participation(models.Model):
    """One supervisee's part in an activity: the hours that count and the outcome."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participations"
    )
    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="participations"
    )
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=ParticipationOutcome.choices,
        default=ParticipationOutcome.COMPLETED,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["activity_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "supervisee"], name="participation_once_per_activity"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="participation_hours_range"
            ),
        ]
        indexes = [models.Index(fields=["supervisee", "activity"], name="participation_case")]

    def __str__(self) -> str:
        return f"{self.supervisee_id} · {self.activity_id}"


class Need(models.Model):
    """A need of the case (employment, housing, counselling, schooling, social assistance) recorded on
    it, matched to a provider that offers help for it, and followed to an outcome (CCL 37, 40, 41, 43)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="needs"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NeedKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    matched_on = models.DateField(_("matched on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee", "kind"],
                condition=Q(status__in=sorted(OPEN_NEED_STATUSES)),
                name="need_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisee_id} · {self.get_kind_display()}"
