"""Admin: the answer deadlines are *local* data an administrator keeps (with an effective date; each
edit audited by `AuditedAdminMixin`); referrals are read-only here, because every change to one goes
through the services (and the audit)."""

from django.contrib import admin

from accounts.admin import AuditedAdminMixin

from .models import Referral, ReferralAttachment, ReferralDeadline, ReferralMessage


@admin.register(ReferralDeadline)
class ReferralDeadlineAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("kind", "district", "days", "effective_from", "basis")
    list_filter = ("kind", "district")
    ordering = ("kind", "-effective_from")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReferralMessageInline(_ReadOnlyInline):
    model = ReferralMessage
    fields = ("at", "author", "agency", "body")
    readonly_fields = fields


class ReferralAttachmentInline(_ReadOnlyInline):
    model = ReferralAttachment
    fields = ("uploaded_at", "original_name", "content_type", "size", "sha256", "uploaded_by")
    readonly_fields = fields


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "supervisee", "from_agency", "to_agency", "due_date", "sent_at")
    list_filter = ("status", "kind")
    list_select_related = ("supervisee", "from_agency", "to_agency")
    raw_id_fields = ("supervisee",)
    inlines = [ReferralMessageInline, ReferralAttachmentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
