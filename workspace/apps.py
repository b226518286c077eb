from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The pages and API resources that show every app's data at once (the dashboard, the caseload,
    the case page with its forms and timeline, the supervisee resource, the audit trail page). At the
    top of the import chain, so they import what they show instead of offering registries."""

    name = "workspace"
    verbose_name = _("Workspace")
