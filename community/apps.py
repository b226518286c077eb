from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Social forces: education and assistance")

    def ready(self) -> None:
        # Register into the lower apps' registries (this app sits above supervision and coordination,
        # README.md#where-things-are): the hours_short alert rule (the sweep) and the demo step.
        from . import demo, duties

        duties.register()
        demo.register()
