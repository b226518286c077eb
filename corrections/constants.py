from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR_SECONDARY = "junior_secondary", _("Junior secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("Senior secondary school")
    VOCATIONAL = "vocational", _("Vocational school")
    COLLEGE = "college", _("College")
    BACHELOR_OR_ABOVE = "bachelor_or_above", _("Bachelor's degree or above")


class HouseholdType(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")
    OTHER = "other", _("Other")


class CrimeChapter(models.TextChoices):
    """Chapters of the special part of the Criminal Law."""

    NATIONAL_SECURITY = "national_security", _("Endangering national security")
    PUBLIC_SAFETY = "public_safety", _("Endangering public safety")
    MARKET_ECONOMY = "market_economy", _("Undermining the socialist market economy")
    PERSONAL_RIGHTS = "personal_rights", _("Infringing personal and democratic rights")
    PROPERTY = "property", _("Property crimes")
    SOCIAL_ADMINISTRATION = "social_administration", _("Obstructing social administration")
    NATIONAL_DEFENCE = "national_defence", _("Endangering national defence")
    CORRUPTION_BRIBERY = "corruption_bribery", _("Corruption and bribery")
    DERELICTION = "dereliction", _("Dereliction of duty")
    MILITARY = "military", _("Servicemen's transgression of duty")


class Category(models.TextChoices):
    PROBATION = "probation", _("Probation")
    PAROLE = "parole", _("Parole")
    CONTROL = "control", _("Public surveillance")
    TEMPORARY_EXECUTION = "temporary_execution", _("Temporary execution outside prison")


class Penalty(models.TextChoices):
    """The principal penalty of the judgment."""

    CONTROL = "control", _("Public surveillance")
    CRIMINAL_DETENTION = "criminal_detention", _("Criminal detention")
    FIXED_TERM_IMPRISONMENT = "fixed_term_imprisonment", _("Fixed-term imprisonment")
    LIFE_IMPRISONMENT = "life_imprisonment", _("Life imprisonment")


class TemporaryExecutionGround(models.TextChoices):
    # Criminal Procedure Law 265.
    ILLNESS = "illness", _("Serious illness")
    PREGNANCY_NURSING = "pregnancy_nursing", _("Pregnant or nursing her own infant")
    UNABLE_SELF_CARE = "unable_self_care", _("Unable to care for oneself")


class ProhibitionKind(models.TextChoices):
    """What a court's prohibition order (禁止令) forbids: CL 38 para. 2 (control) and CL 72 para. 2
    (probation) name the three kinds."""

    ACTIVITIES = "activities", _("Engaging in specified activities")
    PLACES = "places", _("Entering specified areas or places")
    PERSONS = "persons", _("Contacting specified persons")


# CL 38 para. 2, 72 para. 2: a court orders them with control or probation, never with parole or
# temporary execution.
PROHIBITION_CATEGORIES = frozenset({Category.CONTROL, Category.PROBATION})


class ManagementLevel(models.TextChoices):
    STRICT = "strict", _("Strict")
    NORMAL = "normal", _("Normal")
    LENIENT = "lenient", _("Lenient")


class Status(models.TextChoices):
    PENDING_REPORT = "pending_report", _("Awaiting report")
    UNDER_SUPERVISION = "under_supervision", _("Under supervision")
    ABSCONDED = "absconded", _("Absconded / lost contact")
    IN_CUSTODY = "in_custody", _("In custody")
    TERMINATED = "terminated", _("Correction ended")
    RECOMMITTED = "recommitted", _("Recommitted to prison")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


class ExitReason(models.TextChoices):
    EXPIRED = "expired", _("Period expired")
    PARDONED = "pardoned", _("Pardoned")
    PROBATION_REVOKED = "probation_revoked", _("Probation revoked")
    PAROLE_REVOKED = "parole_revoked", _("Parole revoked")
    RECOMMITTED = "recommitted", _("Recommitted to prison")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")


# CCL 44: release, at the end of the period or on a pardon (as against the other ways a case ends).
RELEASE_REASONS = frozenset({ExitReason.EXPIRED, ExitReason.PARDONED})
# CCL 45: termination on revocation (the court's ruling on probation or parole).
REVOCATION_REASONS = frozenset({ExitReason.PROBATION_REVOKED, ExitReason.PAROLE_REVOKED})
# The exits that fit one category only (CL 77, 86: probation and parole are revoked; CPL 268, CCL 49:
# temporary execution is ended by recommitment). The other exits fit every category.
EXIT_REASON_CATEGORIES: dict[str, frozenset[str]] = {
    ExitReason.PROBATION_REVOKED: frozenset({Category.PROBATION}),
    ExitReason.PAROLE_REVOKED: frozenset({Category.PAROLE}),
    ExitReason.RECOMMITTED: frozenset({Category.TEMPORARY_EXECUTION}),
}


class CustodyGround(models.TextChoices):
    """Why a person under correction is held (CCL 32: the agency that decides it notifies the
    institution): administrative detention, compulsory isolation for drug rehabilitation, or a criminal
    coercive measure (detention, arrest...)."""

    DETENTION = "detention", _("Detention (administrative or judicial)")
    DRUG_REHABILITATION = "drug_rehabilitation", _("Compulsory isolation for drug rehabilitation")
    CRIMINAL_COERCIVE_MEASURE = "criminal_coercive_measure", _("Criminal coercive measure")


class IntakeItem(models.TextChoices):
    """The intake checklist, done when the person reports (corrections.intake.INTAKE_CHECKLIST says
    where each item comes from: CCL 22, 25 and 23, and one office practice)."""

    DOCUMENTS_CHECKED = "documents_checked", _("Legal documents checked against the person")
    IDENTITY_VERIFIED = "identity_verified", _("Identity verified")
    REGISTERED = "registered", _("Registered and the file opened")
    ANNOUNCED = "announced", _("Announced: the crime, the correction period and the rules to obey")
    TEAM_SET_UP = "team_set_up", _("Correction team set up")
    RULES_EXPLAINED = "rules_explained", _("Rules explained: reporting, visitors, leave, moving house")
    EXIT_BAN_REQUESTED = "exit_ban_requested", _("Exit ban requested from the police")


# The case lifecycle: which status may follow which. Everything not listed is refused (409).
# Intake (CCL 21) is pending_report -> under_supervision; exits are final: a closed case is read-only.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING_REPORT: frozenset(
        {
            Status.UNDER_SUPERVISION,
            Status.ABSCONDED,
            Status.IN_CUSTODY,
            Status.RECOMMITTED,
            Status.TERMINATED,
            Status.DECEASED,
            Status.TRANSFERRED_OUT,
        }
    ),
    Status.UNDER_SUPERVISION: frozenset(
        {
            Status.ABSCONDED,
            Status.IN_CUSTODY,
            Status.TERMINATED,
            Status.RECOMMITTED,
            Status.DECEASED,
            Status.TRANSFERRED_OUT,
        }
    ),
    Status.ABSCONDED: frozenset(
        {Status.UNDER_SUPERVISION, Status.IN_CUSTODY, Status.TERMINATED, Status.RECOMMITTED, Status.DECEASED}
    ),
    Status.IN_CUSTODY: frozenset(
        {Status.UNDER_SUPERVISION, Status.TERMINATED, Status.RECOMMITTED, Status.DECEASED}
    ),
    Status.TERMINATED: frozenset(),
    Status.RECOMMITTED: frozenset(),
    Status.DECEASED: frozenset(),
    Status.TRANSFERRED_OUT: frozenset(),
}

# A case in one of these statuses has left correction: `exit_date` and `exit_reason` are set.
EXIT_STATUSES = frozenset({Status.TERMINATED, Status.RECOMMITTED, Status.DECEASED, Status.TRANSFERRED_OUT})
OPEN_STATUSES = frozenset(set(Status.values) - EXIT_STATUSES)

# The exit reasons each exit status allows; `terminated` needs the reason to be named.
EXIT_REASONS_BY_STATUS: dict[str, frozenset[str]] = {
    Status.TERMINATED: frozenset(
        {ExitReason.EXPIRED, ExitReason.PARDONED, ExitReason.PROBATION_REVOKED, ExitReason.PAROLE_REVOKED}
    ),
    Status.RECOMMITTED: frozenset({ExitReason.RECOMMITTED}),
    Status.DECEASED: frozenset({ExitReason.DECEASED}),
    Status.TRANSFERRED_OUT: frozenset({ExitReason.TRANSFERRED_OUT}),
}

# Under 18 on the first day of the period makes the case a minor's for good: CCL 58 keeps a minor who
# turns 18 under the minors' rules (the age of 18 itself is the Minors Protection Law's, not checked).
MINOR_AGE = 18


class TransferStatus(models.TextChoices):
    """A transfer of the place of execution (CCL 27 para. 2) between two districts on this system:
    proposed by the sending office, accepted (the case moves on the transfer date) or refused by the
    receiving district's bureau, or withdrawn by the sender before that."""

    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Which transfer status may follow which; everything else is refused (409).
TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    TransferStatus.PROPOSED: frozenset(
        {TransferStatus.ACCEPTED, TransferStatus.REFUSED, TransferStatus.WITHDRAWN}
    ),
    TransferStatus.ACCEPTED: frozenset(),
    TransferStatus.REFUSED: frozenset(),
    TransferStatus.WITHDRAWN: frozenset(),
}
# A case may be proposed for transfer only while under supervision (not pending, absconded or held).
TRANSFERABLE_STATUSES = frozenset({Status.UNDER_SUPERVISION})
