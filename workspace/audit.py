"""The audit trail page (docs/rules.md#audit-and-privacy; docs/rules.md#audit-and-privacy): who read or
changed what, when, for a bureau supervisor and the procuratorate, scoped to their district like the API
(`audit_event_list`). Reading it is itself audited, as one `search` event with the filters.

Cases are named by case number, never by name (a list across the district must not name minors: CCL
54, 58), looked up among the cases the reader sees (corrections.scoping)."""

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.constants import AuditAction
from accounts.models import AuditEvent, User
from accounts.receivers import client_ip
from accounts.selectors import AUDIT_READERS, audit_event_list
from accounts.services import audit_record
from config.office_time import start_of_day
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


def _target_label(target_type: str) -> str:
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def _changes(changes) -> list[tuple[str, object, object, bool]]:
    """(field, before, after, is_a_change) for each entry: a change shows before → after, anything else
    (a search's filters, a note) its value."""
    if not isinstance(changes, dict):
        return [("", None, changes, False)] if changes else []
    rows = []
    for name, value in changes.items():
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            rows.append((name, value["before"], value["after"], True))
        else:
            rows.append((name, None, value, False))
    return rows


@login_required
def audit_trail(request):
    user = request.user
    if user.role not in AUDIT_READERS:
        raise PermissionDenied(_("Only a bureau supervisor or the procuratorate reads the audit trail."))
    searched = any(request.GET.get(name) for name in ("supervisee", "actor", "action", "since"))
    form = AuditSearchForm(request.GET if searched else None, user=user)
    if searched and not form.is_valid():
        return render(request, "accounts/audit_trail.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if searched else {}
    events = audit_event_list(user=user, filters=filters).select_related("agency")
    page = Paginator(events, EVENTS_ON_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    numbers = _case_numbers(user, {event.supervisee_id for event in rows if event.supervisee_id})
    for event in rows:
        event.case_number = numbers.get(event.supervisee_id)
        event.target_label = _target_label(event.target_type)
        event.change_rows = _changes(event.changes)
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
