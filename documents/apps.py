from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents and notices")

    def ready(self) -> None:
        # Into the lower apps' registries (README.md#where-things-are): what the case's own steps write
        # (intake, release, death: API.md v1.1 "What each step writes"), who sees a case because a
        # notice about it was sent to them, and the tables the application may only read and add to.
        from accounts.db_roles import register_append_only_table

        from . import checks, demo, effects, rules  # noqa: F401
        from .models import Document, DocumentFile

        for model in (Document, DocumentFile):
            register_append_only_table(model._meta.db_table)
