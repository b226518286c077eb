from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Statistics and data exchange")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import Agency
        from community.models import Activity, Participation
        from corrections.models import Sentence, StatusChange, Supervisee, Transfer
        from supervision.models import Alert, Measure, ReportingRule

        from .figure_cache import record_change

        # Every record a month's figures count (reports.statistics), and the offices a unit is made of:
        # a save or delete moves the figures' change stamp (reports.figure_cache). Signals, not a call in
        # each service, because the cache must follow every writer (services, the admin, the ledger
        # import) and lower apps may not import this one; it decides no rule. Bulk writes without
        # signals (the sweep's alerts, the loaders' cases) move the stamp by their new ids.
        for model in (
            Supervisee,
            Sentence,
            StatusChange,
            Transfer,
            Measure,
            ReportingRule,
            Alert,
            Activity,
            Participation,
            Agency,
        ):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                uid = f"figures-{model._meta.label}-{name}"
                signal.connect(record_change, sender=model, dispatch_uid=uid)
