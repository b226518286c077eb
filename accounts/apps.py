from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Agencies, users and audit")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import receivers  # noqa: F401  (sign-in auditing)
        from .db_roles import grant_after_migrate

        # Once per migrate (sender: this app), when every app's tables exist: the application role's grants.
        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="accounts.db_roles")
