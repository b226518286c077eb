from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.local_rules import LocalRule, local_rule_unique
from accounts.models import District
from corrections.constants import ManagementLevel
from corrections.models import Prohibition, Supervisee

from .constants import (
    AlertKind,
    AlertStatus,
    ApprovalLevel,
    CheckInKind,
    Duty,
    LeaveStatus,
    MeasureKind,
    MeasureStatus,
    MedicalConclusion,
    MedicalReportKind,
    PermitStatus,
    PositioningGround,
    PositioningStatus,
)


class ReportingRule(LocalRule):
    """What a management level must do and how often (*local* data with an effective date,
    docs/rules.md#reporting-duties).

    `every_days` for a report or a home visit; `hours_per_month` for education and community service.
    `qualifying_kinds` lists the check-in kinds that satisfy the duty. A null district is the default
    for every district; a district's own row overrides it from its effective date."""

    management_level = models.CharField(_("management level"), max_length=10, choices=ManagementLevel.choices)
    duty = models.CharField(_("duty"), max_length=20, choices=Duty.choices)
    every_days = models.PositiveSmallIntegerField(
        _("every (days)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    hours_per_month = models.DecimalField(
        _("hours per month"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    qualifying_kinds = models.JSONField(_("kinds that count"), default=list)
    rule_key = ("management_level", "duty")

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["management_level", "duty", "-effective_from"]
        constraints = [
            local_rule_unique("management_level", "duty", name="reporting_rule_unique"),
            models.CheckConstraint(
                condition=Q(every_days__isnull=False) | Q(hours_per_month__isnull=False),
                name="reporting_rule_has_a_measure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_management_level_display()} · {self.get_duty_display()} ({self.effective_from})"


class CheckIn(models.Model):
    """One contact: a report, a visit, a talk, study or community-service hours."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="checkins"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CheckInKind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    notes = models.TextField(_("notes"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # A location check made while an electronic positioning order was in force is linked to it (CCL 29):
    # what the order yielded, confidential like every location (docs/rules.md#audit-and-privacy).
    positioning_order = models.ForeignKey(
        "PositioningOrder",
        verbose_name=_("electronic positioning order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="location_checks",
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The sweep's "last qualifying check-in" and the timeline read this index.
            models.Index(fields=["supervisee", "kind", "occurred_at"], name="checkin_supervisee_kind_at"),
            # The last check-in of any of several kinds (the reporting duty's, per case): read backwards
            # until a kind matches, the kind in the index (PostgreSQL INCLUDE), so the table is not visited
            # (issue 14: the dashboard's bitmap scan and sort per case took 3.5 s for an office of 6,000).
            models.Index(
                fields=["supervisee", "-occurred_at"], include=["kind"], name="checkin_supervisee_at_kind"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0, hours__lte=24), name="checkin_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """Something that needs an officer: raised by the sweep, acknowledged, resolved with a note."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AlertKind.choices)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Which sweep run raised it: lets a run count exactly what it inserted, even beside another run.
    sweep_run = models.UUIDField(_("sweep run"), null=True, blank=True, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("what was done"), blank=True)
    # missed_report: when the person did report after the due date (set after each check-in and by the
    # sweep). The alert stays open: an officer still records what was done about the lateness.
    made_up_at = models.DateTimeField(_("reported late at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-due_date", "-id"]
        constraints = [
            # docs/rules.md#reporting-duties: at most one alert for the same supervisee, kind and due date,
            # however often the sweep runs, even two sweeps at once.
            models.UniqueConstraint(
                fields=["supervisee", "kind", "due_date"], name="alert_once_per_due_date"
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.RESOLVED) | ~Q(resolution_note=""),
                name="alert_resolved_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "kind"], name="alert_status_kind"),
            models.Index(fields=["sweep_run"], name="alert_sweep_run"),
            # The sweep's mark_made_up_reports: the open missed_report alerts not yet noted as made up, a
            # few among every alert ever raised (a sequential scan of the whole ledger without it).
            models.Index(
                fields=["supervisee", "due_date"],
                condition=Q(kind=AlertKind.MISSED_REPORT, made_up_at__isnull=True)
                & ~Q(status=AlertStatus.RESOLVED),
                name="alert_missed_not_made_up",
            ),
            # The dashboards' count of the alerts needing action (supervision.views.NEEDING_ACTION) among
            # the cases in scope: the few of each case, out of every alert ever raised, read from the
            # index alone (probed case by case, or scanned whole to be joined with a district's cases).
            models.Index(
                fields=["supervisee"],
                condition=Q(status__in=[AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED]),
                name="alert_needing_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date} ({self.get_status_display()})"


class LeaveTier(LocalRule):
    """Who approves leave of a given length (*local*: Measures' defaults 7 / 30 days)."""

    max_days = models.PositiveSmallIntegerField(_("up to (days)"), null=True, blank=True)
    approval_level = models.CharField(_("approved at"), max_length=20, choices=ApprovalLevel.choices)
    notify_procuratorate = models.BooleanField(_("notify the procuratorate"), default=False)
    # The tiers are the bands of one scale: a district that sets any follows its own scale alone.
    rule_key = ("approval_level",)
    own_set_replaces_defaults = True

    class Meta:
        verbose_name = _("leave tier")
        verbose_name_plural = _("leave tiers")
        ordering = ["effective_from", "max_days"]
        constraints = [
            local_rule_unique("approval_level", name="leave_tier_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_approval_level_display()} ≤ {self.max_days or '∞'}"


# A county-level division code (GB/T 2260, as District.code): six digits, the last two not "00" (that
# would name a whole city or province, not the county the person goes to).
division_code_validator = RegexValidator(
    r"^[1-9][0-9]{3}(?!00)[0-9]{2}$",
    _("Enter the destination's six-digit county-level division code (GB/T 2260), e.g. 370102."),
)


class LeaveReason(LocalRule):
    """A proper reason for leave (CCL 27 para. 1: "有正当理由的，应当批准"): the office's list, *local*
    data with an effective date. The defaults (migration 0004) follow the usual list (medical treatment,
    study, litigation, important family or work matters); a district adds its own reasons, or withdraws
    one from a date with a row of the same code that is not `active`."""

    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    active = models.BooleanField(_("on the list"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    rule_key = ("code",)

    class Meta:
        verbose_name = _("proper reason for leave")
        verbose_name_plural = _("proper reasons for leave")
        ordering = ["position", "code", "-effective_from"]
        constraints = [local_rule_unique("code", name="leave_reason_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_zh if (get_language() or "").lower().startswith("zh") else self.name_en


class LeaveRule(LocalRule):
    """How far ahead leave is asked for (*local* data: the usual 3 days come from the implementation
    rules, which the project cannot check, so they are a number an administrator sets)."""

    notice_days = models.PositiveSmallIntegerField(
        _("days ahead a request is made"), default=3, validators=[MaxValueValidator(60)]
    )

    class Meta:
        verbose_name = _("leave rule")
        verbose_name_plural = _("leave rules")
        ordering = ["-effective_from"]
        constraints = [local_rule_unique(name="leave_rule_unique")]

    def __str__(self) -> str:
        return f"{self.effective_from}"


class LeavePermit(models.Model):
    """A standing cross-city permit (CCL 27 para. 1: for frequent travel across cities or counties for
    work or daily life, approval may be simplified): proposed by an officer, approved by a bureau
    supervisor who is not the proposer, for a period and a list of places. Leave inside its period and
    places is approved on recording, naming the permit (services.leave)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="leave_permits"
    )
    reason_code = models.SlugField(_("reason"), max_length=40)
    details = models.TextField(_("details"))
    # County-level division codes (GB/T 2260).
    places = models.JSONField(_("places"), default=list)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=PermitStatus.choices, default=PermitStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("standing cross-city permit")
        verbose_name_plural = _("standing cross-city permits")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_permit_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{','.join(self.places)} {self.start_date}–{self.end_date}"

    def covers(self, *, destination_code: str, start_date, end_date) -> bool:
        return (
            self.status == PermitStatus.APPROVED
            and destination_code in self.places
            and self.start_date <= start_date
            and end_date <= self.end_date
        )


class LeaveRequest(models.Model):
    """Leave to go out (外出请假): request, tiered approval, return."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="leave_requests"
    )
    destination = models.CharField(_("destination"), max_length=200)
    # Where to, as a county-level division code compared with the county of residence (CCL 27). Blank
    # only on leave recorded before the code was asked for.
    destination_code = models.CharField(
        _("destination division code"), max_length=6, blank=True, validators=[division_code_validator]
    )
    # One of the office's proper reasons (LeaveReason.code); `reason` says more. Blank only on old rows.
    reason_code = models.SlugField(_("proper reason"), max_length=40, blank=True)
    reason = models.TextField(_("reason"))
    urgent = models.BooleanField(_("urgent"), default=False)
    urgent_reason = models.TextField(_("why it is urgent"), blank=True)
    permit = models.ForeignKey(
        LeavePermit,
        verbose_name=_("standing cross-city permit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leave_requests",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    approval_level = models.CharField(_("approved at"), max_length=20, choices=ApprovalLevel.choices)
    notify_procuratorate = models.BooleanField(_("procuratorate notified"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["status", "end_date"], name="leave_status_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="leave_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.destination} {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def late_days(self) -> int:
        """Days back after the last day of leave (0: on time, or not back yet)."""
        return max(0, (self.returned_on - self.end_date).days) if self.returned_on else 0


class Measure(models.Model):
    """A disciplinary measure: admonition (训诫) or warning (警告), proposed then decided."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"), blank=True)
    occurred_on = models.DateField(_("breach on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["supervisee", "kind", "status"], name="measure_supervisee_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class DisciplineRule(LocalRule):
    """The *local* thresholds of measures and proposals (docs/rules.md#local-rules-in-force), with an
    effective date: a warning after so many admonitions; a revocation proposal suggested after so many
    warnings or so many days out of contact (CL 77, 86; CCL 46). The software suggests; a person decides."""

    admonitions_before_warning = models.PositiveSmallIntegerField(
        _("admonitions before a warning"), default=2
    )
    warnings_before_revocation = models.PositiveSmallIntegerField(
        _("warnings before a revocation proposal"), default=2
    )
    lost_contact_days_before_revocation = models.PositiveSmallIntegerField(
        _("days out of contact before a revocation proposal"), default=30
    )
    late_days_for_admonition = models.PositiveSmallIntegerField(
        _("days late that call for an admonition"), default=10
    )

    class Meta:
        verbose_name = _("discipline rule")
        verbose_name_plural = _("discipline rules")
        ordering = ["-effective_from"]
        constraints = [
            local_rule_unique(name="discipline_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from}"


class SweepRun(models.Model):
    """One run of the alert sweep: as of which day, when, and how many alerts each rule raised."""

    id = models.UUIDField(primary_key=True, editable=False)
    as_of = models.DateField(_("as of"))
    # The district this run swept (supervision.sweep.sweep_district); null: every case at once (runs from
    # before the sweep was split by district, or a database with no district).
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    raised = models.JSONField(_("alerts raised"), default=dict)

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["-as_of"], name="sweep_run_as_of"),
            models.Index(fields=["district", "-as_of"], name="sweep_run_district_as_of"),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.raised}"


class ProhibitionViolation(models.Model):
    """A breach of a court's prohibition order (禁止令, CL 38 para. 2, 72 para. 2) recorded against that
    order: what happened and when, and the measure proposed for it, if any. A recorded violation is what
    makes the first ground of electronic positioning available for the case (CCL 29 para. 1(1))."""

    supervisee = models.ForeignKey(
        Supervisee,
        verbose_name=_("supervisee"),
        on_delete=models.PROTECT,
        related_name="prohibition_violations",
    )
    prohibition = models.ForeignKey(
        Prohibition, verbose_name=_("prohibition order"), on_delete=models.PROTECT, related_name="violations"
    )
    occurred_on = models.DateField(_("breach on"))
    description = models.TextField(_("what happened"))
    measure = models.ForeignKey(
        Measure,
        verbose_name=_("measure proposed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prohibition_violations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("prohibition order violation")
        verbose_name_plural = _("prohibition order violations")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["supervisee", "-occurred_on"], name="violation_supervisee_on")]

    def __str__(self) -> str:
        return f"{self.prohibition} {self.occurred_on}"


class PositioningOrder(models.Model):
    """An electronic positioning order (使用电子定位装置, CCL 29): on one of the five grounds, for at most
    three months, proposed by the case's office or a supervisor and approved by a bureau supervisor who
    did not propose it. An extension is an order of its own that `extends` the one before it, from the
    day after its last day, at most three months again. `ended_on` is the day an order no longer needed
    was ended (its last day in force)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="positioning_orders"
    )
    ground = models.CharField(_("ground"), max_length=30, choices=PositioningGround.choices)
    # Ground 1 names the violation it rests on (CCL 29 para. 1(1)).
    violation = models.ForeignKey(
        ProhibitionViolation,
        verbose_name=_("violation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="positioning_orders",
    )
    reason = models.TextField(_("facts and assessment"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=20, choices=PositioningStatus.choices, default=PositioningStatus.PROPOSED
    )
    extends = models.ForeignKey(
        "self",
        verbose_name=_("extends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField(_("why it was ended"), blank=True)

    class Meta:
        verbose_name = _("electronic positioning order")
        verbose_name_plural = _("electronic positioning orders")
        ordering = ["-start_date", "-id"]
        indexes = [
            # The sweep's positioning_ending and the register of orders in force.
            models.Index(fields=["status", "end_date"], name="positioning_status_end"),
            models.Index(fields=["supervisee", "status"], name="positioning_supervisee_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="positioning_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(ground=PositioningGround.PROHIBITION_VIOLATED) | Q(violation__isnull=False),
                name="positioning_ground_one_names_violation",
            ),
            models.CheckConstraint(
                condition=Q(status=PositioningStatus.ENDED, ended_on__isnull=False)
                | ~Q(status=PositioningStatus.ENDED) & Q(ended_on__isnull=True),
                name="positioning_ended_has_day",
            ),
            # One extension of an order at a time (a rejected proposal does not count).
            models.UniqueConstraint(
                fields=["extends"],
                condition=Q(extends__isnull=False) & ~Q(status=PositioningStatus.REJECTED),
                name="positioning_extended_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_ground_display()} {self.start_date}–{self.end_date}"

    @property
    def last_day(self):
        """The last day in force: the end date, or the day it was ended if earlier."""
        return min(self.end_date, self.ended_on) if self.ended_on else self.end_date

    def in_force_on(self, day) -> bool:
        return (
            self.status in (PositioningStatus.APPROVED, PositioningStatus.ENDED)
            and self.start_date <= day <= self.last_day
        )


class MedicalReport(models.Model):
    """Temporary execution outside prison (CPL 265): a monthly report on the person's health, or a
    re-examination at a designated hospital (CPL 265 para. 4), with its conclusion and, optionally, the
    hospital's document (its type read from its first bytes, its SHA-256 kept, like a referral's
    attachment). A `ground_ended` conclusion makes the suggestions propose recommitment (CPL 268
    para. 1(3))."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="medical_reports"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MedicalReportKind.choices)
    date = models.DateField(_("date"))
    hospital = models.CharField(_("hospital"), max_length=200, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=MedicalConclusion.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The hospital's document (optional): stored under a random name, never the uploader's.
    file = models.FileField(_("file"), upload_to="medical/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("medical report")
        verbose_name_plural = _("medical reports")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["supervisee", "kind", "date"], name="medical_report_case_kind_date")]
        constraints = [
            # A re-examination is made at a hospital: it names it.
            models.CheckConstraint(
                condition=~Q(kind=MedicalReportKind.REEXAMINATION) | ~Q(hospital=""),
                name="medical_reexamination_names_hospital",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"
