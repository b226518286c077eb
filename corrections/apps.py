from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _district_supervisee_ids(district_id: int):
    """The ids of a district's supervisees, for the audit trail's district scope (accounts.api)."""
    from .models import Supervisee

    return Supervisee.objects.filter(justice_office__district_id=district_id).values("pk")


class CorrectionsConfig(AppConfig):
    name = "corrections"
    verbose_name = _("Supervisees and sentences")

    def ready(self) -> None:
        # teams registers the social workers' visibility rule (scoping.register_visibility_rule), transfers
        # the sending and receiving sides' rules;
        # demo_teams registers its seed_demo step. accounts sits below corrections, so corrections tells
        # it which audit events are the district's, and how an ID number is masked in every audit row,
        # through its registries.
        from accounts.selectors import register_audit_supervisee_scope
        from accounts.services import register_audit_mask

        from . import demo_teams, teams, transfers  # noqa: F401
        from .idnumber import mask_id_numbers_in

        register_audit_supervisee_scope(_district_supervisee_ids)
        register_audit_mask(mask_id_numbers_in)
