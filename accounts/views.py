"""The audit trail page (API.md "Audit event"; PRODUCT.md "Privacy"): who read or changed what, when,
for a bureau supervisor and the procuratorate, scoped to their district like the API
(`audit_event_list`). Reading it is itself audited, as one `search` event with the filters.

Cases are named by case number, never by name (a list across the district must not name minors: CCL
54, 58). Which case a number means is corrections' knowledge, and accounts sits below corrections
(STYLE.md): corrections registers the lookup here (`register_case_directory`)."""

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .constants import AuditAction
from .models import AuditEvent, User
from .receivers import client_ip
from .selectors import AUDIT_READERS, audit_event_list
from .services import audit_record

EVENTS_ON_PAGE = 50

# --- the case directory corrections registers --------------------------------------------------------
FindCase = Callable[[User, str], int | None]
CaseNumbers = Callable[[User, Iterable[int]], dict[int, str]]
_find_case: FindCase | None = None
_case_numbers: CaseNumbers | None = None


def register_case_directory(*, find: FindCase, numbers: CaseNumbers) -> None:
    """`find(user, case_number)` is the id of that case among those the user sees, or None;
    `numbers(user, ids)` maps the ids the user sees to their case numbers, in one query."""
    global _find_case, _case_numbers
    _find_case, _case_numbers = find, numbers


class AuditSearchForm(forms.Form):
    """The search of the trail. Kept beside its only view (accounts has no page forms otherwise)."""

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
        found = _find_case(self.user, text) if _find_case else None
        if found is None and text.isdigit():
            found = int(text)
        if found is None:
            raise forms.ValidationError(_("No case with this number in your district."))
        return found

    def filters(self) -> dict:
        """The selector's filters (the API's names); a date means local midnight, Asia/Shanghai."""
        data = self.cleaned_data
        filters: dict = {}
        if data.get("supervisee") is not None:
            filters["supervisee"] = data["supervisee"]
        if data.get("actor"):
            filters["actor"] = data["actor"].strip()
        if data.get("action"):
            filters["action"] = data["action"]
        if data.get("since"):
            zone = ZoneInfo(settings.OFFICE_TIME_ZONE)
            filters["since"] = dt.datetime.combine(data["since"], dt.time.min, tzinfo=zone)
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
    numbers = (
        _case_numbers(user, {event.supervisee_id for event in rows if event.supervisee_id})
        if _case_numbers
        else {}
    )
    for event in rows:
        event.case_number = numbers.get(event.supervisee_id)
        event.target_label = _target_label(event.target_type)
        event.change_rows = _changes(event.changes)
    # Reading the trail is itself audited (PRODUCT.md "Privacy"), after the page is read so that it shows
    # the trail as it was; the same event as the API's.
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
