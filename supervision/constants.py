from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckInKind(models.TextChoices):
    IN_PERSON = "in_person", _("In-person report")
    PHONE = "phone", _("Phone report")
    VIDEO = "video", _("Video roll call")
    HOME_VISIT = "home_visit", _("Home visit")
    SELF_REPORT = "self_report", _("Self-report (app or kiosk)")
    WRITTEN_REPORT = "written_report", _("Written report")
    TALK = "talk", _("Individual talk")
    LOCATION_CHECK = "location_check", _("Location check")
    EDUCATION = "education", _("Education")
    COMMUNITY_SERVICE = "community_service", _("Community service")


# Kinds that count hours; the others carry none.
HOURS_KINDS = frozenset({CheckInKind.EDUCATION, CheckInKind.COMMUNITY_SERVICE})


class Duty(models.TextChoices):
    """What a reporting rule requires of a management level."""

    REPORT = "report", _("Report")
    HOME_VISIT = "home_visit", _("Home visit")
    EDUCATION = "education", _("Education hours")
    COMMUNITY_SERVICE = "community_service", _("Community-service hours")


class AlertKind(models.TextChoices):
    MISSED_REPORT = "missed_report", _("Missed report")
    INTAKE_OVERDUE = "intake_overdue", _("Intake overdue")
    LEAVE_OVERDUE = "leave_overdue", _("Not back from leave")
    TERM_ENDING = "term_ending", _("Period ending")
    REFERRAL_OVERDUE = "referral_overdue", _("Referral overdue")
    POSITIONING_ENDING = "positioning_ending", _("Electronic positioning ending")
    # CCL 47 para. 2: the court has not decided an arrest request within 48 hours.
    ARREST_OVERDUE = "arrest_overdue", _("Arrest decision overdue")
    # CCL 47 para. 2: custody after an arrest has passed 30 days with the revocation still undecided.
    CUSTODY_OVER_LIMIT = "custody_over_limit", _("Custody past its limit")
    MEDICAL_REPORT_MISSING = "medical_report_missing", _("Monthly health report missing")
    REEXAMINATION_OVERDUE = "reexamination_overdue", _("Medical re-examination overdue")
    # A month's study or community-service hours fell short of the reporting rule's duty (raised by the
    # rule community.duties registers into the sweep).
    HOURS_SHORT = "hours_short", _("Hours short")
    # CCL 27 para. 2: a transfer of the place of execution still unanswered by the receiving district after
    # its answer was due (corrections.transfers).
    TRANSFER_OVERDUE = "transfer_overdue", _("Transfer answer overdue")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.OPEN: frozenset({AlertStatus.ACKNOWLEDGED, AlertStatus.RESOLVED}),
    AlertStatus.ACKNOWLEDGED: frozenset({AlertStatus.RESOLVED}),
    AlertStatus.RESOLVED: frozenset(),
}


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


LEAVE_TRANSITIONS: dict[str, frozenset[str]] = {
    LeaveStatus.PENDING: frozenset({LeaveStatus.APPROVED, LeaveStatus.REJECTED, LeaveStatus.CANCELLED}),
    LeaveStatus.APPROVED: frozenset({LeaveStatus.RETURNED}),
    LeaveStatus.REJECTED: frozenset(),
    LeaveStatus.RETURNED: frozenset(),
    LeaveStatus.CANCELLED: frozenset(),
}


class ApprovalLevel(models.TextChoices):
    """Who approves leave (Measures; the tiers are data: LeaveTier)."""

    JUSTICE_OFFICE = "justice_office", _("Justice office")
    DISTRICT = "district", _("District institution")
    CITY = "city", _("City level")


class MeasureKind(models.TextChoices):
    ADMONITION = "admonition", _("Admonition")
    WARNING = "warning", _("Warning")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


MEASURE_TRANSITIONS: dict[str, frozenset[str]] = {
    MeasureStatus.PROPOSED: frozenset({MeasureStatus.APPROVED, MeasureStatus.REJECTED}),
    MeasureStatus.APPROVED: frozenset(),
    MeasureStatus.REJECTED: frozenset(),
}


class PositioningGround(models.TextChoices):
    """The five grounds of electronic positioning (CCL 29 para. 1, items 1 to 5, in that order)."""

    PROHIBITION_VIOLATED = "prohibition_violated", _("Violated a court's prohibition order")
    LEFT_WITHOUT_APPROVAL = "left_without_approval", _("Left the city or county without approval")
    WARNED_FOR_NOT_REPORTING = "warned_for_not_reporting", _("Warned for refusing to report")
    PUBLIC_SECURITY_PENALTY = "public_security_penalty", _("Given a public-security penalty for a breach")
    REVOCATION_PENDING = "revocation_pending", _("To be proposed for revocation or recommitment")


class PermitStatus(models.TextChoices):
    """A standing cross-city permit (CCL 27 para. 1: frequent travel for work or daily life)."""

    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


PERMIT_TRANSITIONS: dict[str, frozenset[str]] = {
    PermitStatus.PROPOSED: frozenset({PermitStatus.APPROVED, PermitStatus.REJECTED}),
    PermitStatus.APPROVED: frozenset(),
    PermitStatus.REJECTED: frozenset(),
}


class PositioningStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ENDED = "ended", _("Ended early")


POSITIONING_TRANSITIONS: dict[str, frozenset[str]] = {
    PositioningStatus.PROPOSED: frozenset({PositioningStatus.APPROVED, PositioningStatus.REJECTED}),
    PositioningStatus.APPROVED: frozenset({PositioningStatus.ENDED}),
    PositioningStatus.REJECTED: frozenset(),
    PositioningStatus.ENDED: frozenset(),
}

# CCL 29 para. 2: an order, and each extension, at most three months (counted as every term here:
# corrections.periods.term_end).
POSITIONING_MAX_MONTHS = 3
# positioning_ending: raised this many days before the order's last day.
POSITIONING_ENDING_DAYS = 7


class MedicalReportKind(models.TextChoices):
    """Temporary execution outside prison (CPL 265): the person's monthly report on their health, and
    the re-examination at a designated hospital (CPL 265 para. 4)."""

    MONTHLY_REPORT = "monthly_report", _("Monthly health report")
    REEXAMINATION = "reexamination", _("Re-examination at a designated hospital")


class MedicalConclusion(models.TextChoices):
    GROUND_PERSISTS = "ground_persists", _("The ground for temporary execution persists")
    # CPL 268 para. 1(3): the circumstances ended with the term unserved: recommitment.
    GROUND_ENDED = "ground_ended", _("The ground for temporary execution has ended")


# The monthly report and the re-examination every three months are the contract's numbers (API.md
# "Special supervision"), which follow the 2020 Implementation Measures; those are not among the checked
# texts (corrections.law), so no article of them is cited. A report counts for the calendar month of its
# date, from the month after intake; a re-examination is due on the same day three months after intake
# or after the last one (corrections.periods.add_months).
REEXAMINATION_EVERY_MONTHS = 3
# SPC 516(5) names the re-examination of the illness during medical parole (保外就医), i.e. the ground
# of serious illness; pregnancy, nursing and inability to care for oneself report monthly only.
REEXAMINATION_GROUNDS = frozenset({"illness"})
