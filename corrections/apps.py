from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _district_audit_scope(district_id: int):
    """The audit events that are a district's because of the case they are about (accounts.selectors
    `audit_event_list`): about its cases, whoever wrote them; and about the cases it transferred to
    another district, written before the transfer was accepted (the sender keeps the case's history,
    corrections.transfers; what the receiver does with it after is the receiver's)."""
    from django.db.models import Exists, OuterRef, Q

    from .constants import TransferStatus
    from .models import Supervisee, Transfer

    transferred_after = Transfer.objects.filter(
        supervisee_id=OuterRef("supervisee_id"),
        status=TransferStatus.ACCEPTED,
        from_office__district_id=district_id,
        decided_at__gt=OuterRef("at"),
    )
    return Q(
        supervisee_id__in=Supervisee.objects.filter(justice_office__district_id=district_id).values("pk")
    ) | Q(Exists(transferred_after))


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

        register_audit_supervisee_scope(_district_audit_scope)
        register_audit_mask(mask_id_numbers_in)
