"""The *local* rules are edited here by the office's administrator, each row with its effective date,
and every edit is audited (`AuditedAdminMixin`); the records of daily supervision are shown read-only
(they change only through the services, which check the law and write the audit trail)."""

from django.contrib import admin

from accounts.admin import AuditedAdminMixin

from .models import (
    Alert,
    CheckIn,
    DisciplineRule,
    LeavePermit,
    LeaveReason,
    LeaveRequest,
    LeaveRule,
    LeaveTier,
    Measure,
    ProhibitionViolation,
    ReportingRule,
    SweepRun,
)


@admin.register(ReportingRule)
class ReportingRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "management_level",
        "duty",
        "every_days",
        "hours_per_month",
        "qualifying_kinds",
        "district",
        "effective_from",
    ]
    list_filter = ["management_level", "duty", "district"]
    date_hierarchy = "effective_from"


@admin.register(LeaveTier)
class LeaveTierAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["approval_level", "max_days", "notify_procuratorate", "district", "effective_from"]
    list_filter = ["approval_level", "district"]


@admin.register(LeaveReason)
class LeaveReasonAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The office's proper reasons for leave (CCL 27): add one, or withdraw one from a date with a row of
    the same code that is not on the list."""

    list_display = ["code", "name_zh", "name_en", "active", "position", "district", "effective_from"]
    list_filter = ["active", "district"]


@admin.register(LeaveRule)
class LeaveRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["effective_from", "district", "notice_days"]
    list_filter = ["district"]


@admin.register(DisciplineRule)
class DisciplineRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "effective_from",
        "district",
        "admonitions_before_warning",
        "warnings_before_revocation",
        "lost_contact_days_before_revocation",
        "late_days_for_admonition",
    ]
    list_filter = ["district"]


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["supervisee", "kind", "occurred_at", "recorded_by", "hours"]
    list_filter = ["kind"]
    search_fields = ["supervisee__name", "supervisee__case_number"]
    list_select_related = ["supervisee", "recorded_by"]
    # Location is confidential (CCL 29 para. 3): not shown in lists nor on the record's page, and neither is
    # the electronic positioning order it was taken under (orders are not in the admin at all: who is
    # under positioning is read only by the case's office, the bureau and the procuratorate).
    exclude = ["latitude", "longitude", "positioning_order"]
    date_hierarchy = "occurred_at"


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["supervisee", "kind", "due_date", "status", "created_at", "made_up_at"]
    list_filter = ["kind", "status"]
    search_fields = ["supervisee__name", "supervisee__case_number"]
    list_select_related = ["supervisee"]
    date_hierarchy = "due_date"


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "supervisee",
        "destination",
        "destination_code",
        "reason_code",
        "start_date",
        "end_date",
        "status",
        "approval_level",
        "permit",
    ]
    list_filter = ["status", "approval_level"]
    search_fields = ["supervisee__name", "supervisee__case_number", "destination"]
    list_select_related = ["supervisee"]


@admin.register(LeavePermit)
class LeavePermitAdmin(ReadOnlyAdmin):
    list_display = ["supervisee", "places", "start_date", "end_date", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["supervisee__name", "supervisee__case_number"]
    list_select_related = ["supervisee", "decided_by"]


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin):
    list_display = ["supervisee", "kind", "occurred_on", "status", "decided_on"]
    list_filter = ["kind", "status"]
    search_fields = ["supervisee__name", "supervisee__case_number"]
    list_select_related = ["supervisee"]


@admin.register(ProhibitionViolation)
class ProhibitionViolationAdmin(ReadOnlyAdmin):
    list_display = ["supervisee", "prohibition", "occurred_on", "measure", "recorded_by"]
    search_fields = ["supervisee__name", "supervisee__case_number"]
    list_select_related = ["supervisee", "prohibition", "measure", "recorded_by"]


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["as_of", "started_at", "finished_at", "raised"]
