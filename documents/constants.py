from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """The official documents the software writes (API.md v1.1 "What each step writes")."""

    INTAKE_ANNOUNCEMENT = "intake_announcement", _("Intake announcement")
    RELEASE_CERTIFICATE = "release_certificate", _("Release certificate")
    ADMONITION_DECISION = "admonition_decision", _("Admonition decision")
    WARNING_DECISION = "warning_decision", _("Warning decision")
    LEAVE_APPROVAL = "leave_approval", _("Leave approval")
    REFERRAL_LETTER = "referral_letter", _("Referral letter")
    POSITIONING_DECISION = "positioning_decision", _("Electronic positioning decision")


class NoticeKind(models.TextChoices):
    """Notices from the correction agency to another agency, each with a receipt (回执)."""

    RELEASE = "release", _("Release")
    DEATH = "death", _("Death")
    PROPOSAL_COPY = "proposal_copy", _("Copy of a proposal")
    MEASURE = "measure", _("Disciplinary measure")
    LEAVE_CITY_LEVEL = "leave_city_level", _("Leave decided at city level")
    INTAKE_RECEIPT = "intake_receipt", _("Intake receipt")
    TRANSFER = "transfer", _("Transfer of the place of execution")
    # CCL 47 para. 2: the court decided an arrest; the police execute it.
    ARREST_EXECUTION = "arrest_execution", _("Arrest to execute")


class NoticeBox(models.TextChoices):
    INBOX = "inbox", _("Received")
    OUTBOX = "outbox", _("Sent")


# A notice's receiver sees the case it is about while the notice is unreceived, or for this many days
# after it was sent (API.md v1.1 "Notices between agencies").
NOTICE_VISIBLE_DAYS = 30

# The word of each kind in a document's number (文号: issuer, word, year, sequence), e.g.
# 临城司法所矫解〔2026〕3号 for the third release certificate the office issued in 2026.
NUMBER_WORDS = {
    DocumentKind.INTAKE_ANNOUNCEMENT: "矫宣",
    DocumentKind.RELEASE_CERTIFICATE: "矫解",
    DocumentKind.ADMONITION_DECISION: "矫训",
    DocumentKind.WARNING_DECISION: "矫警",
    DocumentKind.LEAVE_APPROVAL: "矫假",
    DocumentKind.REFERRAL_LETTER: "矫提",
    DocumentKind.POSITIONING_DECISION: "矫定",
}
