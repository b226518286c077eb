from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.local_rules import LocalRule, local_rule_unique
from accounts.models import Agency

from .constants import (
    EXIT_STATUSES,
    Category,
    CrimeChapter,
    CustodyGround,
    Education,
    ExitReason,
    Gender,
    HouseholdType,
    IntakeItem,
    ManagementLevel,
    Penalty,
    ProhibitionKind,
    Status,
    TemporaryExecutionGround,
    TransferStatus,
)
from .idnumber import mask_id_number, validate_id_number
from .periods import SentenceTerms, compute_period


class Supervisee(models.Model):
    """A person under community correction (社区矫正对象): one case file."""

    case_number = models.CharField(_("case number"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)  # 姓名, not 名称
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    id_number = models.CharField(_("ID number"), max_length=18, validators=[validate_id_number])
    # Derived from the ID number by the service that writes it; never edited on its own.
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    employment = models.CharField(_("employment"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    residence_address = models.CharField(_("residence address"), max_length=200)
    household_address = models.CharField(_("household registration address"), max_length=200, blank=True)
    household_type = models.CharField(_("household type"), max_length=10, choices=HouseholdType.choices)
    crime = models.CharField(_("crime"), max_length=200)
    crime_chapter = models.CharField(_("crime chapter"), max_length=30, choices=CrimeChapter.choices)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_REPORT
    )
    management_level = models.CharField(
        _("management level"), max_length=10, choices=ManagementLevel.choices, default=ManagementLevel.STRICT
    )
    justice_office = models.ForeignKey(
        Agency, verbose_name=_("justice office"), on_delete=models.PROTECT, related_name="supervisees"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
    )
    # CCL 54, 58: a minor when correction began keeps that protection for the whole case.
    is_minor = models.BooleanField(_("minor"), default=False, editable=False)
    intake_date = models.DateField(_("intake date"), null=True, blank=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=20, choices=ExitReason.choices, blank=True)
    # The last time the supervisee was in contact (any check-in). Kept by the check-in service so that a
    # caseload page does not aggregate millions of check-ins to show "days since last report".
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    # The reporting clock (supervision.duties, which alone reads and writes it): the time of the last
    # check-in of the kinds in `last_report_kinds` (",in_person,phone,": the kinds the case's reporting
    # rule counted when the clock was set), so that the dashboards and the caseload read the reporting
    # duty from the row instead of probing millions of check-ins case by case. No kinds (null): not kept;
    # kinds other than those of the rule now in force: not used (the duty reads the check-ins). Null
    # rather than "" so that the bulk loaders' COPY, which lists its columns, needs no database default.
    last_report_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_report_kinds = models.CharField(max_length=200, null=True, blank=True, editable=False)  # noqa: DJ001

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervisee")
        verbose_name_plural = _("supervisees")
        ordering = ["name", "id"]
        indexes = [
            # Holding what the sweep reads of a district's cases (issue 14), so that each rule's statement
            # reads the district's cases from the index alone (an index-only scan), not 24,000 rows of the
            # table four times a district.
            models.Index(
                fields=["justice_office", "status"],
                include=["id", "management_level", "intake_date"],
                name="supervisee_office_status",
            ),
            models.Index(fields=["officer", "status"], name="supervisee_officer_status"),
            models.Index(fields=["status", "management_level"], name="supervisee_status_level"),
            models.Index(fields=["id_number"], name="supervisee_id_number"),
            models.Index(fields=["name"], name="supervisee_name"),
            models.Index(fields=["intake_date"], name="supervisee_intake"),
            models.Index(fields=["exit_date"], name="supervisee_exit"),
        ]
        constraints = [
            # One open case per person; a person may have a closed earlier case.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(status__in=sorted(EXIT_STATUSES)),
                name="supervisee_one_open_case_per_person",
                violation_error_message=_("This person already has an open correction case."),
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True, exit_reason="")
                | Q(exit_date__isnull=False) & ~Q(exit_reason=""),
                name="supervisee_exit_date_and_reason_together",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.UNDER_SUPERVISION) | Q(intake_date__isnull=False),
                name="supervisee_under_supervision_has_intake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.case_number})"

    @property
    def is_open(self) -> bool:
        return self.status not in EXIT_STATUSES

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Sentence(models.Model):
    """The decision the correction executes: category, deciding agency, and the correction period."""

    supervisee = models.OneToOneField(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.CASCADE, related_name="sentence"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    penalty = models.CharField(_("principal penalty"), max_length=30, choices=Penalty.choices)
    deciding_agency = models.ForeignKey(
        Agency, verbose_name=_("deciding agency"), on_delete=models.PROTECT, related_name="decided_sentences"
    )
    document_number = models.CharField(_("document number"), max_length=100)
    judgment_date = models.DateField(_("judgment date"))
    effective_date = models.DateField(_("effective date"))
    original_term_months = models.PositiveSmallIntegerField(
        _("original term (months)"), null=True, blank=True
    )
    probation_term_months = models.PositiveSmallIntegerField(
        _("probation term (months)"), null=True, blank=True
    )
    combined_crimes = models.BooleanField(_("combined punishment for several crimes"), default=False)
    prior_custody_days = models.PositiveIntegerField(_("days in custody before judgment"), default=0)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    original_term_end = models.DateField(_("end of the original term"), null=True, blank=True)
    temporary_execution_ground = models.CharField(
        _("ground for temporary execution"),
        max_length=20,
        choices=TemporaryExecutionGround.choices,
        blank=True,
    )
    # Computed by corrections.periods from the fields above; stored so the sweep and the caseload can
    # filter on them. `period_rule` names the rule that computed them.
    start_date = models.DateField(_("start of correction"))
    end_date = models.DateField(_("end of correction"), null=True, blank=True)
    period_rule = models.CharField(_("period rule"), max_length=40)
    # CCL 20: the deciding agency notifies the institution within 5 days of the decision taking effect
    # and delivers the legal documents within 10. The days they arrived (empty: not yet, or not
    # recorded); the clocks are corrections.commission's.
    notice_received_date = models.DateField(_("notice received on"), null=True, blank=True)
    documents_received_date = models.DateField(_("legal documents received on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        indexes = [
            models.Index(fields=["category"], name="sentence_category"),
            # With the supervisee: the sweep's term_ending reads the window of end dates from the index
            # alone (issue 14).
            models.Index(fields=["end_date"], include=["supervisee"], name="sentence_end"),
            models.Index(fields=["deciding_agency"], name="sentence_deciding_agency"),
            # The supervisor's dashboard lists the cases in scope whose notice or documents are overdue
            # (corrections.commission): each case's sentence is looked up here, in the few still awaiting
            # one (about 6% at national scale), without reading the table.
            models.Index(
                fields=["supervisee"],
                include=["effective_date", "notice_received_date", "documents_received_date"],
                condition=Q(notice_received_date__isnull=True) | Q(documents_received_date__isnull=True),
                name="sentence_commission_awaited",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="sentence_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(effective_date__gte=models.F("judgment_date")),
                name="sentence_effective_not_before_judgment",
            ),
            models.CheckConstraint(
                condition=Q(notice_received_date__isnull=True)
                | Q(notice_received_date__gte=models.F("effective_date")),
                name="sentence_notice_not_before_effective",
                violation_error_message=_("The notice cannot arrive before the decision took effect."),
            ),
            models.CheckConstraint(
                condition=Q(documents_received_date__isnull=True)
                | Q(documents_received_date__gte=models.F("effective_date")),
                name="sentence_documents_not_before_effective",
                violation_error_message=_("The documents cannot arrive before the decision took effect."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.document_number}"

    def terms(self, gender: str = "") -> SentenceTerms:
        """The inputs of the period rules (corrections.periods)."""
        return SentenceTerms(
            category=self.category,
            penalty=self.penalty,
            effective_date=self.effective_date,
            original_term_months=self.original_term_months,
            probation_term_months=self.probation_term_months,
            combined_crimes=self.combined_crimes,
            prior_custody_days=self.prior_custody_days or 0,
            release_date=self.release_date,
            original_term_end=self.original_term_end,
            temporary_execution_ground=self.temporary_execution_ground or "",
            gender=gender or "",
        )

    @property
    def period_explanation(self) -> str:
        """How start and end were computed, in the reader's language, with the law named."""
        try:
            return str(compute_period(self.terms(self.supervisee.gender)).explanation)
        except ValidationError:
            return ""


class Prohibition(models.Model):
    """A court prohibition order (禁止令, CL 38 para. 2, 72 para. 2): what it forbids (`content`), of
    which kind, from and until when inside the correction period. A blank date means the period's own
    first or last day; a blank kind, an order written as a line of text (the sentence's `prohibitions`)
    whose kind nobody stated yet."""

    sentence = models.ForeignKey(
        Sentence, verbose_name=_("sentence"), on_delete=models.CASCADE, related_name="prohibition_orders"
    )
    content = models.CharField(_("content"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ProhibitionKind.choices, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("prohibition order")
        verbose_name_plural = _("prohibition orders")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="prohibition_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.content

    def first_day(self):
        """The first day the order binds: its own, or the period's."""
        return self.start_date or self.sentence.start_date

    def last_day(self):
        """The last day the order binds: its own, or the period's (None: the period has no fixed end)."""
        return self.end_date or self.sentence.end_date

    def binds_on(self, day) -> bool:
        last = self.last_day()
        return self.first_day() <= day and (last is None or day <= last)


class StatusChange(models.Model):
    """One move in a case's lifecycle, dated: the history the timeline and the statistics read."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    date = models.DateField(_("date"))
    exit_reason = models.CharField(_("exit reason"), max_length=20, choices=ExitReason.choices, blank=True)
    # CCL 32: why the person is held, on a move into custody (empty on other moves, and where an API v1
    # caller did not say).
    custody_ground = models.CharField(
        _("ground of custody"), max_length=30, choices=CustodyGround.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-date", "-id"]
        indexes = [
            # A case's changes, latest first, with the statuses in the index (PostgreSQL INCLUDE): the
            # reporting duty's "last return from custody" per case and the statistics' "latest change by
            # then" read it without visiting the table (issue 14: the dashboard spent 0.4 ms a case).
            models.Index(
                fields=["supervisee", "-date", "-id"],
                include=["from_status", "to_status"],
                name="status_change_latest",
            ),
            models.Index(fields=["to_status", "date"], name="status_change_to_date"),
            # The reporting duty's "last return from custody" (supervision.duties.reporting_from), probed
            # once per case by the sweep: a small index holding only those rows, in the subquery's order.
            # Without it PostgreSQL right after a bulk load ANDed two bitmaps per case (9.6 of 11 s of
            # missed_report at 20,000 cases, issue 14).
            models.Index(
                fields=["supervisee", "-date", "-id"],
                condition=Q(from_status=Status.IN_CUSTODY, to_status=Status.UNDER_SUPERVISION),
                name="status_change_custody_return",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(custody_ground="") | Q(to_status=Status.IN_CUSTODY),
                name="status_change_custody_ground_only_into_custody",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisee_id}: {self.from_status} -> {self.to_status} on {self.date}"


class IntakeRecord(models.Model):
    """The checklist of a case's intake (CCL 22), one per case: what was done when the person reported,
    and who recorded it. Written by corrections.services.supervisee_intake before the move to
    `under_supervision`, in the same transaction, so what the move writes (the intake announcement,
    documents registered as transition effects) can read it. An intake made through API v1 without a
    checklist has none."""

    supervisee = models.OneToOneField(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.CASCADE, related_name="intake_record"
    )
    date = models.DateField(_("intake date"))
    # One field per item of IntakeItem (corrections.intake.INTAKE_CHECKLIST says where each comes from).
    documents_checked = models.BooleanField(IntakeItem.DOCUMENTS_CHECKED.label, default=False)
    identity_verified = models.BooleanField(IntakeItem.IDENTITY_VERIFIED.label, default=False)
    registered = models.BooleanField(IntakeItem.REGISTERED.label, default=False)
    announced = models.BooleanField(IntakeItem.ANNOUNCED.label, default=False)
    team_set_up = models.BooleanField(IntakeItem.TEAM_SET_UP.label, default=False)
    rules_explained = models.BooleanField(IntakeItem.RULES_EXPLAINED.label, default=False)
    exit_ban_requested = models.BooleanField(IntakeItem.EXIT_BAN_REQUESTED.label, default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake records")

    def __str__(self) -> str:
        return f"{self.supervisee_id}: intake on {self.date}"

    @property
    def items(self) -> dict[str, bool]:
        """Each item of the checklist, in its order: done or not."""
        return {code: getattr(self, code) for code in IntakeItem.values}


class SuperviseeUserObjectPermission(UserObjectPermissionBase):
    """A grant on one case to one user (a social worker on its correction team). A direct foreign key, not
    guardian's generic table, which gets slow on large tables
    (README.md#the-rules-the-code-carries-and-where). Granted and revoked only by services."""

    content_object = models.ForeignKey(Supervisee, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case grant to a user")
        verbose_name_plural = _("case grants to users")


class SuperviseeGroupObjectPermission(GroupObjectPermissionBase):
    """A grant on one case to an agency's group (the police bureau or court a referral is addressed
    to). Granted and revoked only by services."""

    content_object = models.ForeignKey(Supervisee, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case grant to an agency")
        verbose_name_plural = _("case grants to agencies")


class TeamRole(models.TextChoices):
    OFFICER = "officer", _("Correction officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    VOLUNTEER = "volunteer", _("Volunteer")
    FAMILY = "family", _("Family member")
    VILLAGE_COMMITTEE = "village_committee", _("Village or residents' committee")
    EMPLOYER = "employer", _("Employer")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class CorrectionTeamMember(models.Model):
    """A member of the case's correction team (矫正小组, CCL 25). Members with an account (officers,
    social workers, volunteers) see the case through an object grant given by the service."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.CASCADE, related_name="team"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)  # 姓名, not 名称
    role = models.CharField(_("role in the team"), max_length=20, choices=TeamRole.choices)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # CCL 52 para. 2: a minor's team includes someone versed in minors' physical and mental traits.
    versed_in_minors = models.BooleanField(_("versed in minors"), default=False)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction team member")
        verbose_name_plural = _("correction team members")
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee", "user"],
                condition=Q(user__isnull=False, left_on__isnull=True),
                name="team_member_once_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class TransferRule(LocalRule):
    """How many days the receiving district's bureau has to answer a proposed transfer of the place of
    execution (*local* data with an effective date, read for the receiving district). The 2020
    Implementation Measures are said to give 5 days; their text was not available to check, so the
    number is data an administrator sets, with its basis as text, not a cited article."""

    reply_days = models.PositiveSmallIntegerField(_("days to answer"), default=5)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    rule_key = ()

    class Meta:
        verbose_name = _("transfer deadline")
        verbose_name_plural = _("transfer deadlines")
        ordering = ["district", "-effective_from"]
        constraints = [local_rule_unique(name="transfer_rule_unique")]

    def __str__(self) -> str:
        return f"{self.reply_days}"


class Transfer(models.Model):
    """A transfer of the place of execution (变更执行地, CCL 27 para. 2) to a justice office of another
    district on this system. The same case file moves: on acceptance its office becomes `to_office` from
    `transfer_date`, and the sending office keeps a read-only view of it (corrections.transfers)."""

    supervisee = models.ForeignKey(
        Supervisee, verbose_name=_("supervisee"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_office = models.ForeignKey(
        Agency, verbose_name=_("sending office"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_office = models.ForeignKey(
        Agency, verbose_name=_("receiving office"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PROPOSED
    )
    reason = models.TextField(_("reason for the transfer"))
    new_residence = models.CharField(_("new residence"), max_length=200)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    # The office's day of the proposal plus the receiving district's reply days (TransferRule).
    reply_due = models.DateField(_("answer due"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # The day the case belongs to the receiving office (set on acceptance): the statistics count the
    # transfer out and in on this day.
    transfer_date = models.DateField(_("transfer date"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer of the place of execution")
        verbose_name_plural = _("transfers of the place of execution")
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["supervisee", "status", "transfer_date"], name="transfer_case_date"),
            models.Index(fields=["to_office", "status"], name="transfer_inbox"),
            models.Index(fields=["from_office", "status"], name="transfer_outbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisee"],
                condition=Q(status=TransferStatus.PROPOSED),
                name="transfer_one_open_per_case",
                violation_error_message=_("This case already has a transfer awaiting an answer."),
            ),
            models.CheckConstraint(
                condition=~Q(from_office=models.F("to_office")), name="transfer_between_offices"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("proposed_by")),
                name="transfer_not_decided_by_proposer",
            ),
            models.CheckConstraint(
                condition=~Q(status=TransferStatus.ACCEPTED) | Q(transfer_date__isnull=False),
                name="transfer_accepted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisee_id}: {self.from_office_id} -> {self.to_office_id} ({self.status})"
