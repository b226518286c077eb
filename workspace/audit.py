"""The audit trail page (docs/rules.md#audit-and-privacy; docs/rules.md#audit-and-privacy): who read or
changed what, when, for a bureau supervisor and the procuratorate, scoped to their district like the API
(`audit_event_list`). Reading it is itself audited, as one `search` event with the filters.

Cases are named by case number, never by name (a list across the district must not name minors: CCL
54, 58), looked up among the cases the reader sees (corrections.scoping)."""

import datetime as dt
import re
from collections.abc import Iterable

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.constants import AuditAction
from accounts.models import AuditEvent, User
from accounts.receivers import client_ip
from accounts.selectors import audit_event_list, may_read_audit_trail
from accounts.services import audit_record
from config.office_time import start_of_day
from corrections.constants import CustodyGround
from corrections.scoping import supervisees_visible_to

EVENTS_ON_PAGE = 50


def _case_by_number(user: User, case_number: str) -> int | None:
    return supervisees_visible_to(user).filter(case_number=case_number).values_list("pk", flat=True).first()


def _case_numbers(user: User, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(supervisees_visible_to(user).filter(pk__in=ids).values_list("pk", "case_number"))


class AuditSearchForm(forms.Form):
    """The search of the trail, kept beside its only view."""

    supervisee = forms.CharField(
        label=gettext_lazy("Case"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Case number or id")}),
    )
    actor = forms.CharField(label=gettext_lazy("By (username)"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=pgettext_lazy("audit", "Action"),
        required=False,
        choices=[("", gettext_lazy("Any action")), *AuditAction.choices],
    )
    since = forms.DateField(
        label=gettext_lazy("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_supervisee(self) -> int | None:
        text = self.cleaned_data["supervisee"].strip()
        if not text:
            return None
        found = _case_by_number(self.user, text)
        if found is None and text.isdigit():
            found = int(text)
        if found is None:
            raise forms.ValidationError(_("No case with this number in your district."))
        return found

    def filters(self) -> dict:
        """The selector's filters (the API's names); a date means the office's local midnight."""
        data = self.cleaned_data
        filters: dict = {}
        if data.get("supervisee") is not None:
            filters["supervisee"] = data["supervisee"]
        if data.get("actor"):
            filters["actor"] = data["actor"].strip()
        if data.get("action"):
            filters["action"] = data["action"]
        if data.get("since"):
            filters["since"] = start_of_day(data["since"])
        return filters


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _target_label(target_type: str) -> str:
    model = _model(target_type)
    return str(model._meta.verbose_name) if model else target_type


# Entries of `changes` that are no field of the record: what they are, in words.
EXTRA_LABELS = {
    "via": gettext_lazy("Signed in through"),
    "note": gettext_lazy("Note"),
    "q": gettext_lazy("Search"),
    "username": gettext_lazy("Username"),
    "filters": gettext_lazy("Filters"),
    "page": gettext_lazy("Page"),
    "box": gettext_lazy("Box"),
    # A move into custody records its ground (CCL 32) beside the case's own fields.
    "custody_ground": gettext_lazy("ground of custody"),
}
EXTRA_VALUES = {
    "via": {"session": gettext_lazy("the sign-in page"), "token": gettext_lazy("the API")},
    "custody_ground": dict(CustodyGround.choices),
}
# Foreign keys the page names instead of numbering: agencies and people.
NAMED_MODELS = ("accounts.agency", "accounts.user")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _field(model, name: str):
    """The model field behind a `changes` key ("sentence.end_date" is the sentence's), or None."""
    if model is None:
        return None
    if "." in name:
        head, rest = name.split(".", 1)
        try:
            related = model._meta.get_field(head).related_model
        except FieldDoesNotExist:
            return None
        return _field(related, rest)
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class _Describer:
    """Turns one page's `changes` into words: field labels, choice labels, local times, the names of
    agencies and people (looked up once for the page, not per row)."""

    def __init__(self, events):
        self.wanted: dict[str, set[int]] = {label: set() for label in NAMED_MODELS}
        self.rows = [(event, _model(event.target_type)) for event in events]
        for event, model in self.rows:
            for name, value in self._entries(event.changes):
                field = _field(model, name)
                related = getattr(field, "related_model", None)
                if related is not None and related._meta.label_lower in self.wanted:
                    for item in value if isinstance(value, list | tuple) else [value]:
                        if isinstance(item, int):
                            self.wanted[related._meta.label_lower].add(item)
        self.names = {label: self._names(label, ids) for label, ids in self.wanted.items() if ids}

    @staticmethod
    def _entries(changes):
        if not isinstance(changes, dict):
            return []
        out = []
        for name, value in changes.items():
            if isinstance(value, dict) and set(value) == {"before", "after"}:
                out += [(name, value["before"]), (name, value["after"])]
            else:
                out.append((name, value))
        return out

    @staticmethod
    def _names(label: str, ids: set[int]) -> dict[int, str]:
        model = apps.get_model(label)
        if label == "accounts.user":
            return {
                user.pk: user.get_full_name() or user.username
                for user in model.objects.filter(pk__in=ids).only("first_name", "last_name", "username")
            }
        return dict(model.objects.filter(pk__in=ids).values_list("pk", "name"))

    def label(self, model, name: str) -> str:
        field = _field(model, name)
        if field is not None:
            return str(field.verbose_name)
        return str(EXTRA_LABELS.get(name, name))

    def value(self, model, name: str, value):
        if value is None or value == "":
            return None
        if isinstance(value, list | tuple):
            return "、".join(str(self.value(model, name, item)) for item in value) or None
        field = _field(model, name)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        related = getattr(field, "related_model", None)
        if related is not None and isinstance(value, int):
            return self.names.get(related._meta.label_lower, {}).get(value, f"#{value}")
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if name in EXTRA_VALUES:
            return str(EXTRA_VALUES[name].get(value, value))
        if isinstance(value, str) and ISO_MOMENT.match(value):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            if moment.tzinfo is not None:
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
        return value

    def describe(self, event, model) -> list[tuple[str, object, object, bool]]:
        """(label, before, after, is_a_change) for each entry: a change shows before → after, anything
        else (a search's filters, a note) its value."""
        changes = event.changes
        if not isinstance(changes, dict):
            return [("", None, changes, False)] if changes else []
        rows = []
        for name, value in changes.items():
            label = self.label(model, name)
            if isinstance(value, dict) and set(value) == {"before", "after"}:
                rows.append(
                    (
                        label,
                        self.value(model, name, value["before"]),
                        self.value(model, name, value["after"]),
                        True,
                    )
                )
            else:
                rows.append((label, None, self.value(model, name, value), False))
        return rows


@login_required
def audit_trail(request):
    user = request.user
    if not may_read_audit_trail(user):
        raise PermissionDenied(_("Only a bureau supervisor or the procuratorate reads the audit trail."))
    searched = any(request.GET.get(name) for name in ("supervisee", "actor", "action", "since"))
    form = AuditSearchForm(request.GET if searched else None, user=user)
    if searched and not form.is_valid():
        return render(request, "accounts/audit_trail.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if searched else {}
    events = audit_event_list(user=user, filters=filters).select_related("agency", "actor")
    page = Paginator(events, EVENTS_ON_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    numbers = _case_numbers(user, {event.supervisee_id for event in rows if event.supervisee_id})
    describer = _Describer(rows)
    for event, model in describer.rows:
        event.case_number = numbers.get(event.supervisee_id)
        event.target_label = _target_label(event.target_type)
        event.change_rows = describer.describe(event, model)
    # Reading the trail is itself audited (docs/rules.md#audit-and-privacy), after the page is read so that it
    # shows the trail as it was; the same event as the API's.
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        target_type=AuditEvent._meta.label_lower,
        changes={
            name: (value.isoformat() if isinstance(value, dt.datetime) else value)
            for name, value in filters.items()
        },
        ip_address=client_ip(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_trail.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
