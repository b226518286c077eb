"""Admin of the organisation tree and the users, and `AuditedAdminMixin`, which every app's admin of
editable data uses: in /admin/ the models' forms write instead of the services, so the mixin writes
the audit row the service would have (before and after of each changed field, additions and
deletions too), in the admin's own transaction."""

import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters
from knox.models import AuthToken

from .models import Agency, AuditEvent, City, District, User
from .receivers import client_ip
from .services import admin_edit_record, snapshot


class AuditedAdminMixin:
    """Put before `admin.ModelAdmin` in the bases. Covers the change form, the changelist's editable
    columns, the delete page and the "delete selected" action; inlines are not audited (no audited
    admin has one)."""

    # Compared but never copied into the trail; "password" holds the hash on any user model.
    audit_hidden_fields: tuple[str, ...] = ("password",)

    def audit_values(self, obj: models.Model) -> dict[str, Any]:
        """Every field but the id, foreign keys as ids, many-to-many as sorted lists of ids."""
        values = snapshot(obj, [f.name for f in obj._meta.concrete_fields if not f.primary_key])
        for name, value in values.items():
            if isinstance(value, dt.datetime) and timezone.is_aware(value):
                # In UTC and to the second, as the admin's date and time inputs edit it: a time read
                # back from the form in the office's time zone without its microseconds is no change.
                values[name] = value.astimezone(dt.UTC).replace(microsecond=0)
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
        return values

    def audit_edit(self, request, obj: models.Model, *, before, after) -> None:
        admin_edit_record(
            actor=request.user,
            target=obj,
            before=before,
            after=after,
            hidden=self.audit_hidden_fields,
            ip_address=client_ip(request),
        )

    def save_model(self, request, obj, form, change):
        # The row as stored, before the form's values are saved over it (locked until the admin's
        # transaction ends); kept on the form, which lives for this one object in this one request.
        form.audit_before = (
            self.audit_values(type(obj)._default_manager.select_for_update().get(pk=obj.pk))
            if change
            else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # many-to-many are saved here
        self.audit_edit(
            request, form.instance, before=form.audit_before, after=self.audit_values(form.instance)
        )

    def delete_model(self, request, obj):
        self.audit_edit(request, obj, before=self.audit_values(obj), after=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action does not open a transaction of its own.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self.audit_edit(request, obj, before=self.audit_values(obj), after=None)
            super().delete_queryset(request, queryset)


@admin.register(City)
class CityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(District)
class DistrictAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "city"]
    list_filter = ["city"]
    search_fields = ["name", "code"]
    list_select_related = ["city"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    # A district's agency has its district; a city's justice bureau its city (never both).
    list_display = ["name", "kind", "district", "city", "parent"]
    list_filter = ["kind", "city", "district"]
    search_fields = ["name"]
    list_select_related = ["district", "city", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
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

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        # Django's password page saves through its own form, not `save_model`: the row is read before
        # and after, in one transaction with the save. Only the fact of the change is recorded.
        with transaction.atomic(using=self.model._default_manager.db):
            user = self.get_object(request, unquote(id))
            before = self.audit_values(user) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and before is not None:
                user.refresh_from_db()
                self.audit_edit(request, user, before=before, after=self.audit_values(user))
        return response


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
