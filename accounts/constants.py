from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
    JUSTICE_OFFICE = "justice_office", _("Justice office")
    POLICE = "police", _("Police")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")
    PRISON = "prison", _("Prison")


class Role(models.TextChoices):
    JUSTICE_OFFICER = "justice_officer", _("Correction officer")
    JUSTICE_SUPERVISOR = "justice_supervisor", _("Bureau supervisor")
    POLICE = "police", _("Police liaison")
    PROCURATORATE = "procuratorate", _("Procuratorate reviewer")
    COURT = "court", _("Court liaison")
    SOCIAL_WORKER = "social_worker", _("Social worker or volunteer")


# Which kind of agency each role works for: a user's role and agency must agree.
ROLE_AGENCY_KIND = {
    Role.JUSTICE_OFFICER: AgencyKind.JUSTICE_OFFICE,
    Role.JUSTICE_SUPERVISOR: AgencyKind.JUSTICE_BUREAU,
    Role.POLICE: AgencyKind.POLICE,
    Role.PROCURATORATE: AgencyKind.PROCURATORATE,
    Role.COURT: AgencyKind.COURT,
    Role.SOCIAL_WORKER: AgencyKind.JUSTICE_OFFICE,
}


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    # A list read (API.md "Need to know": list reads are audited as well, with the filters).
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Changed status")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
