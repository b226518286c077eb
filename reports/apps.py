from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Statistics and data exchange")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Agency
        from community.models import Activity, Participation
        from config.signals import records_loaded
        from corrections.models import Sentence, StatusChange, Supervisee, Transfer
        from supervision.models import Alert, Measure, ReportingRule

        from .figure_cache import record_bulk_change, record_change, watch

        # Every record a month's figures count (reports.statistics), and the offices a unit is made of:
        # a save or delete moves the figures' change stamp of the record's district (reports.figure_cache),
        # found through the record's foreign key (key, path from the key's model to the district's id);
        # None: every district's (a transfer moves two; an agency or a default rule, any). Signals, not a
        # call in each service, because the cache must follow every writer (services, the admin, the
        # ledger import) and lower apps may not import this one; it decides no rule. Bulk writes without
        # signals: the loaders send `records_loaded`; the sweep's alerts move the stamp by their new ids.
        through_case = ("supervisee", "justice_office__district_id")
        watched = {
            Supervisee: ("justice_office", "district_id"),
            Sentence: through_case,
            StatusChange: through_case,
            Transfer: None,
            Measure: through_case,
            ReportingRule: ("district", "pk"),
            Alert: through_case,
            Activity: ("agency", "district_id"),
            Participation: through_case,
            Agency: None,
        }
        for model, district in watched.items():
            watch(model, district)
            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"figures-{model._meta.label}-{name}"
                signal.connect(record_change, sender=model, dispatch_uid=uid)
        records_loaded.connect(record_bulk_change, dispatch_uid="figures-records-loaded")
