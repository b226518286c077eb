from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Daily supervision")

    def ready(self) -> None:
        # Register into corrections' demo registry and the sweep's built-in rules, and the effect of a
        # case's exit on its electronic positioning orders (corrections' transition effects).
        from . import demo, sweep  # noqa: F401
        from .services import positioning  # noqa: F401
