from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Coordination between agencies")

    def ready(self) -> None:
        # Register into the lower apps' registries (this app sits above them, README.md#where-things-are):
        # case visibility for police and courts, the referral_overdue alert rule, the demo.
        from . import demo, rules

        rules.register()
        demo.register()
