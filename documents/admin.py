"""Admin: document templates are data an administrator keeps (a new version with its effective date;
a version documents were written from cannot be edited, DocumentTemplate.clean; each edit audited).
Documents and notices are read-only here: they are written only by the steps that issue them, and a
document is never changed (the database refuses it on PostgreSQL)."""

from django.contrib import admin

from accounts.admin import AuditedAdminMixin

from .models import Document, DocumentTemplate, Notice


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "effective_from", "title")
    list_filter = ("kind",)
    ordering = ("kind", "-effective_from")

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.documents.exists()


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(_ReadOnly):
    # No contents and no PDF here: opening a document is an audited read through the case page.
    list_display = ("number", "kind", "supervisee", "issuing_agency", "created_at")
    list_filter = ("kind",)
    list_select_related = ("supervisee", "issuing_agency")
    fields = (
        "number",
        "kind",
        "title",
        "supervisee",
        "issuing_agency",
        "template",
        "replaces",
        "sha256",
        "size",
    )
    raw_id_fields = ("supervisee",)


@admin.register(Notice)
class NoticeAdmin(_ReadOnly):
    list_display = ("id", "kind", "supervisee", "from_agency", "to_agency", "sent_at", "received_at")
    list_filter = ("kind",)
    list_select_related = ("supervisee", "from_agency", "to_agency")
    raw_id_fields = ("supervisee",)
