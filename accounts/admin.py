from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from .models import Agency, AuditEvent, District, User


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "parent"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
    list_select_related = ["district", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "agency", "is_active", "last_login"]
    list_filter = ["role", "agency__kind", "agency__district", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "agency__name"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and agency"), {"fields": ("role", "agency")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role and agency"), {"fields": ("role", "agency")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, in the admin as everywhere."""

    list_display = ["at", "actor_username", "agency", "action", "target_type", "target_id", "supervisee_id"]
    list_filter = ["action", "target_type", "agency"]
    search_fields = ["actor_username", "target_id", "=supervisee_id"]
    date_hierarchy = "at"
    list_select_related = ["agency"]
    show_full_result_count = False  # counting millions of rows on every page is slow

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# API tokens (django-rest-knox). Its own admin lists each token's digest and lets the administrator mint a
# token for any user (shown once in a message): replaced by a list that names whose token it is and
# when it expires, and lets the administrator end it. Nothing here can be used to sign in.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created", "expiry"]
    list_filter = ["expiry"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = ["user", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
