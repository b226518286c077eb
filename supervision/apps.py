from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Daily supervision")

    def ready(self) -> None:
        # Register into corrections' registries (this app sits above it) and the sweep's built-in rules.
        from corrections.views import register_case_panel, register_report_interval_lookup

        from . import demo, sweep, timeline  # noqa: F401
        from .rules import report_intervals_for
        from .views import checkin_panel

        register_report_interval_lookup(report_intervals_for)
        register_case_panel("checkin", checkin_panel)
