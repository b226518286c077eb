"""Admin for the office's administrator: agencies and users are managed there; case files are shown
read-only (with search and filters), because every change to a case goes through the services, where
the legal rules and the audit trail apply. Opening a case here is audited like anywhere else."""

from django.contrib import admin

from accounts.admin import AuditedAdminMixin
from accounts.receivers import client_ip

from .constants import IntakeItem
from .models import IntakeRecord, Prohibition, Sentence, StatusChange, Supervisee, Transfer, TransferRule


class ProhibitionInline(admin.TabularInline):
    model = Prohibition
    extra = 0


@admin.register(Sentence)
class SentenceAdmin(admin.ModelAdmin):
    list_display = ["supervisee", "category", "penalty", "start_date", "end_date", "deciding_agency"]
    list_filter = ["category", "penalty", "deciding_agency"]
    search_fields = ["supervisee__name", "supervisee__case_number", "document_number"]
    list_select_related = ["supervisee", "deciding_agency"]
    readonly_fields = ["supervisee", "start_date", "end_date", "period_rule"]
    inlines = [ProhibitionInline]

    def has_add_permission(self, request):
        return False  # a sentence is registered with its case, through the service

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fk_name = "supervisee"
    extra = 0
    can_delete = False
    readonly_fields = [
        "from_status",
        "to_status",
        "date",
        "exit_reason",
        "custody_ground",
        "note",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class IntakeRecordInline(admin.StackedInline):
    """The intake's checklist (CCL 22), as recorded by supervisee_intake; read-only like the rest."""

    model = IntakeRecord
    extra = 0
    can_delete = False
    readonly_fields = ["date", *IntakeItem.values, "recorded_by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supervisee)
class SuperviseeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "case_number",
        "status",
        "management_level",
        "justice_office",
        "officer",
        "intake_date",
        "exit_date",
        "is_minor",
    ]
    list_filter = [
        "status",
        "management_level",
        "sentence__category",
        "justice_office",
        "gender",
        "is_minor",
        "crime_chapter",
    ]
    search_fields = ["name", "case_number", "=id_number"]
    list_select_related = ["justice_office", "officer"]
    readonly_fields = [
        "status",
        "birth_date",
        "is_minor",
        "intake_date",
        "exit_date",
        "exit_reason",
        "last_contact_at",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["officer", "justice_office"]
    inlines = [StatusChangeInline, IntakeRecordInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from .services import supervisee_open

        supervisee = self.get_object(request, object_id)
        if supervisee is not None:
            supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(TransferRule)
class TransferRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The receiving bureau's days to answer a transfer: *local* data with an effective date (each edit
    audited)."""

    list_display = ("district", "reply_days", "effective_from", "basis")
    list_filter = ("district",)
    ordering = ("district", "-effective_from")


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    """Read-only: a transfer changes only through corrections.transfers (and the audit)."""

    list_display = ("id", "supervisee", "from_office", "to_office", "status", "reply_due", "transfer_date")
    list_filter = ("status",)
    list_select_related = ("supervisee", "from_office", "to_office")
    raw_id_fields = ("supervisee",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
