"""Pages of daily supervision. Views translate: parse, call one service, render or redirect."""

from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.constants import Role
from accounts.permissions import role_required
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from config.api import StateConflict
from config.forms import run_service
from config.office_time import office_today
from config.paging import PageFirstPaginator
from corrections.scoping import EDITING_ROLES
from corrections.selectors import caseload_filter_choices
from documents.messages import written_message

from .constants import (
    AlertKind,
    AlertStatus,
    ApprovalLevel,
    LeaveStatus,
    MeasureStatus,
    PermitStatus,
    PositioningStatus,
)
from .rules import leave_reasons_for
from .selectors import (
    alert_get,
    alert_list,
    alerts_by_urgency,
    alerts_listed,
    leave_permit_get,
    leave_permit_list,
    leave_request_get,
    leave_request_list,
    measure_get,
    measure_list,
    positioning_decisions,
    positioning_order_get,
    positioning_order_list,
    positioning_register,
)
from .services.alerts import ACT_ON_ALERTS, alert_acknowledge, alert_acknowledge_many, alert_resolve
from .services.leave import (
    DECIDE_LEAVE,
    DECIDE_PERMIT,
    leave_permit_approve,
    leave_permit_reject,
    leave_request_approve,
    leave_request_reject,
)
from .services.measures import DECIDE_MEASURES, measure_approve, measure_reject
from .services.positioning import DECIDE_POSITIONING, positioning_order_approve, positioning_order_reject

# --- the alert ledger, the approval queue and the dashboard panel ---------------------------------------
# Views translate: parse, call one selector or service, render. A refusal re-renders the page with what
# was typed and the message by its field (400, or 409 for a state that forbids it). A role that may never
# take the action gets 403 before anything else (`role_required`, docs/roles.md principle 2); then a record
# out of scope is 404 from the selector, and a visible one the role may not act on is 403 from the service.

ALERTS_ON_PAGE = 50
# Queues are short (a district decides daily); past this the page says so rather than paginating.
QUEUE_ON_PAGE = 100
NEEDING_ACTION = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)
ALL_ALERTS = "all"


class NoteForm(forms.Form):
    """The note of a decision or a resolution. Not required here: the service says when one is needed,
    in its own words, and the page shows that message by the field."""

    # Kept beside the views rather than in forms.py: these forms exist only for these pages' buttons.
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _back(request, default: str) -> str:
    """Where to go after an action: the page it came from (its filters and page kept), if local."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# The ledger's filters (config.params: a bad one is a 400 page naming it).
ALERT_PAGE_FILTERS = {
    "status": params.choice([*AlertStatus.values, ALL_ALERTS]),
    "kind": params.choice(AlertKind.values),
    "justice_office": params.ID,
    "officer": params.text(150),
}


def _ledger_url(request) -> str:
    """The ledger as the user last saw it (its filters and page). A refused action re-renders the ledger
    at the action's URL, which answers only POST: the forms, the filters and the pager of that page must
    point back at this, never at the URL they were rendered on (a resubmission there was a 405)."""
    if request.method == "POST":
        return _back(request, reverse("alert-list"))
    return request.get_full_path()


def _alert_filters(ledger_url: str) -> dict:
    query = QueryDict(urlsplit(ledger_url).query)
    return {name: value or "" for name, value in params.parse(query, ALERT_PAGE_FILTERS).items()}


def _render_alerts(
    request,
    *,
    failed: tuple[int, NoteForm] | None = None,
    bulk_errors: list[str] | None = None,
    status: int = 200,
):
    ledger_url = _ledger_url(request)
    filters = _alert_filters(ledger_url)
    alerts = alert_list(
        user=request.user,
        filters={
            **filters,
            "status": filters["status"] if filters["status"] != ALL_ALERTS else "",
        },
    )
    if not filters["status"]:
        alerts = alerts.filter(status__in=NEEDING_ACTION)
    # Triage: overdue first, the most days overdue at the top (issue 13). The page's fifty alerts alone
    # are read with their cases, offices and people (config.paging).
    full_rows = alerts_listed().select_related("supervisee__justice_office", "supervisee__officer")
    page = PageFirstPaginator(
        alerts_by_urgency(alerts), ALERTS_ON_PAGE, rows=alerts_by_urgency(full_rows)
    ).get_page(QueryDict(urlsplit(ledger_url).query).get("page"))
    today = office_today()
    failed_pk, failed_form = failed or (None, None)
    rows = []
    for alert in page.object_list:
        rows.append(
            {
                "alert": alert,
                "days_overdue": max((today - alert.due_date).days, 0),
                "urgency": alert_urgency(alert, today=today),
                "form": failed_form if alert.pk == failed_pk else NoteForm(prefix=f"alert-{alert.pk}"),
            }
        )
    query = QueryDict(urlsplit(ledger_url).query, mutable=True)
    query.pop("page", None)
    return render(
        request,
        "supervision/alert_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "ledger_url": ledger_url,
            "pager_path": reverse("alert-list"),
            "statuses": AlertStatus.choices,
            "kinds": AlertKind.choices,
            # The rows' codes in words (the `choice_label` filter), each dict built once for the page.
            "labels": {"kind": dict(AlertKind.choices), "status": dict(AlertStatus.choices)},
            "all_alerts": ALL_ALERTS,
            **caseload_filter_choices(user=request.user),
            "bulk_errors": bulk_errors or [],
            # Who may act on what they see: officers on their office's cases, supervisors on the
            # district's (scoping makes visible and editable the same for these roles); the service
            # still decides, and refuses with 403.
            "can_act": request.user.role in EDITING_ROLES,
        },
        status=status,
    )


def alert_urgency(alert, *, today) -> dict[str, str]:
    """How urgent an alert is, in words and with an icon as well as a colour (WCAG 1.4.1): `overdue`
    (its day has passed and it still needs action), `due` (today), `upcoming`, or `done` (resolved)."""
    if alert.status == AlertStatus.RESOLVED:
        return {"class": "done", "icon": "✓", "words": _("Resolved")}
    days = (today - alert.due_date).days
    if days > 0:
        return {
            "class": "overdue",
            "icon": "⚠",
            "words": ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", days) % {"n": days},
        }
    if days == 0:
        return {"class": "due", "icon": "●", "words": _("Due today")}
    return {
        "class": "upcoming",
        "icon": "○",
        "words": ngettext("Due in %(n)d day", "Due in %(n)d days", -days) % {"n": -days},
    }


@login_required
def alert_ledger(request):
    return _render_alerts(request)


@login_required
@require_POST
@role_required(ACT_ON_ALERTS)
def alert_acknowledge_view(request, pk: int):
    alert = alert_get(user=request.user, pk=pk)
    form = NoteForm(request.POST, prefix=f"alert-{alert.pk}")
    done, status = run_service(form, lambda _data: alert_acknowledge(alert=alert, by=request.user))
    if done is None:
        return _render_alerts(request, failed=(alert.pk, form), status=status)
    messages.success(
        request,
        _("Acknowledged: %(kind)s of %(name)s.")
        % {"kind": done.get_kind_display(), "name": alert.supervisee.name},
    )
    return redirect(_back(request, reverse("alert-list")))


@login_required
@require_POST
@role_required(ACT_ON_ALERTS)
def alert_acknowledge_bulk_view(request):
    """Acknowledge the ticked alerts at once (all or nothing, each audited: alert_acknowledge_many)."""
    try:
        ids = [params.ID(value) for value in request.POST.getlist("alert")]
    except ValidationError as error:
        return _render_alerts(request, bulk_errors=error.messages, status=400)
    alerts = list(alert_list(user=request.user).filter(pk__in=ids))
    if len(alerts) != len(set(ids)):
        # One ticked alert is not in the caller's scope (or no longer exists): nothing is done.
        raise Http404
    try:
        done = alert_acknowledge_many(alerts=alerts, by=request.user)
    except ValidationError as error:
        return _render_alerts(request, bulk_errors=error.messages, status=400)
    except StateConflict as error:
        return _render_alerts(
            request,
            bulk_errors=[
                _("Nothing was acknowledged: %(reason)s Untick that alert and try again.")
                % {"reason": error.message}
            ],
            status=409,
        )
    messages.success(
        request,
        ngettext("Acknowledged %(n)d alert.", "Acknowledged %(n)d alerts.", len(done)) % {"n": len(done)},
    )
    return redirect(_back(request, reverse("alert-list")))


@login_required
@require_POST
@role_required(ACT_ON_ALERTS)
def alert_resolve_view(request, pk: int):
    alert = alert_get(user=request.user, pk=pk)
    form = NoteForm(request.POST, prefix=f"alert-{alert.pk}")
    done, status = run_service(
        form, lambda data: alert_resolve(alert=alert, by=request.user, note=data["note"])
    )
    if done is None:
        return _render_alerts(request, failed=(alert.pk, form), status=status)
    messages.success(
        request,
        _("Resolved: %(kind)s of %(name)s.")
        % {"kind": done.get_kind_display(), "name": alert.supervisee.name},
    )
    return redirect(_back(request, reverse("alert-list")))


def _require_approver(user) -> None:
    # The queue is the deciders' page: bureau supervisors, and officers for the leave their office
    # decides. Other roles have nothing to decide here (403: the role, not the record, is refused).
    if user.role not in EDITING_ROLES:
        raise PermissionDenied(_("Your role does not decide leave or measures."))


def _render_approvals(request, *, failed: tuple[str, int, NoteForm] | None = None, status: int = 200):
    _require_approver(request.user)
    leave = list(
        leave_request_list(user=request.user, filters={"status": LeaveStatus.PENDING})
        .select_related("supervisee__justice_office")
        .order_by("start_date", "id")[: QUEUE_ON_PAGE + 1]
    )
    measures = list(
        measure_list(user=request.user, filters={"status": MeasureStatus.PROPOSED})
        .select_related("supervisee__justice_office")
        .order_by("occurred_on", "id")[: QUEUE_ON_PAGE + 1]
    )
    supervisor = request.user.role == Role.JUSTICE_SUPERVISOR
    # Electronic positioning is decided by the bureau's supervisors (CCL 29): only their queue lists it.
    positioning = (
        list(
            positioning_order_list(user=request.user, filters={"status": PositioningStatus.PROPOSED})
            .select_related("supervisee__justice_office", "extends", "violation__prohibition")
            .order_by("start_date", "id")[: QUEUE_ON_PAGE + 1]
        )
        if supervisor
        else []
    )
    # Standing cross-city permits (CCL 27) are decided by the bureau's supervisors: only their queue.
    permits = (
        list(
            leave_permit_list(user=request.user, filters={"status": PermitStatus.PROPOSED})
            .select_related("supervisee__justice_office")
            .order_by("start_date", "id")[: QUEUE_ON_PAGE + 1]
        )
        if supervisor
        else []
    )
    # Each request's proper reason by its name in the office's list (CCL 27), read once for the page.
    if leave and request.user.agency_id:
        labels = {
            r.code: r.label
            for r in leave_reasons_for(district_id=request.user.agency.district_id, on=office_today())
        }
        for item in leave:
            item.reason_label = labels.get(item.reason_code, item.reason_code)
    failed_kind, failed_pk, failed_form = failed or (None, None, None)

    def rows(items, kind):
        return [
            {
                "item": item,
                "form": failed_form
                if (kind, item.pk) == (failed_kind, failed_pk)
                else NoteForm(prefix=f"{kind}-{item.pk}"),
            }
            for item in items[:QUEUE_ON_PAGE]
        ]

    return render(
        request,
        "supervision/approvals.html",
        {
            "leave_rows": rows(leave, "leave"),
            "measure_rows": rows(measures, "measure"),
            "positioning_rows": rows(positioning, "positioning"),
            "permit_rows": rows(permits, "permit"),
            "more_permits": len(permits) > QUEUE_ON_PAGE,
            "more_leave": len(leave) > QUEUE_ON_PAGE,
            "more_measures": len(measures) > QUEUE_ON_PAGE,
            "more_positioning": len(positioning) > QUEUE_ON_PAGE,
            "is_supervisor": supervisor,
            # Shown as buttons only where the service would allow the role (leave tiers; measures are the
            # district's): the service still decides and refuses with 403.
            "office_level": ApprovalLevel.JUSTICE_OFFICE,
            # Separation of duties: the asker's own requests show no buttons (the city decides its own).
            "city_level": ApprovalLevel.CITY,
        },
        status=status,
    )


@login_required
def approvals(request):
    return _render_approvals(request)


DECISIONS = {
    "leave": {"approve": leave_request_approve, "reject": leave_request_reject},
    "measure": {"approve": measure_approve, "reject": measure_reject},
    "positioning": {"approve": positioning_order_approve, "reject": positioning_order_reject},
    "permit": {"approve": leave_permit_approve, "reject": leave_permit_reject},
}
# The keyword each decision service takes its record by.
ITEM_ARGUMENT = {"leave": "leave", "measure": "measure", "positioning": "order", "permit": "permit"}


def _decide(request, kind: str, pk: int, decision: str):
    _require_approver(request.user)
    if kind == "leave":
        item = leave_request_get(user=request.user, pk=pk)
        call = DECISIONS["leave"][decision]
        label = _("Leave of %(name)s") % {"name": item.supervisee.name}
    elif kind == "permit":
        item = leave_permit_get(user=request.user, pk=pk)
        call = DECISIONS["permit"][decision]
        label = _("Standing cross-city permit of %(name)s") % {"name": item.supervisee.name}
    elif kind == "positioning":
        item = positioning_order_get(user=request.user, pk=pk)
        call = DECISIONS["positioning"][decision]
        label = _("Electronic positioning of %(name)s") % {"name": item.supervisee.name}
    else:
        item = measure_get(user=request.user, pk=pk)
        call = DECISIONS["measure"][decision]
        label = _("%(kind)s for %(name)s") % {"kind": item.get_kind_display(), "name": item.supervisee.name}
    form = NoteForm(request.POST, prefix=f"{kind}-{item.pk}")
    done, status = run_service(
        form, lambda data: call(**{ITEM_ARGUMENT[kind]: item}, by=request.user, note=data["note"])
    )
    if done is None:
        return _render_approvals(request, failed=(kind, item.pk, form), status=status)
    text = _("%(what)s: approved.") if decision == "approve" else _("%(what)s: rejected.")
    messages.success(request, text % {"what": label})
    written = written_message(done)
    if written:
        messages.info(request, written)
    return redirect(reverse("approvals"))


@login_required
@require_POST
@role_required(DECIDE_LEAVE)
def leave_decide(request, pk: int, decision: str):
    return _decide(request, "leave", pk, decision)


@login_required
@require_POST
@role_required(DECIDE_PERMIT)
def permit_decide(request, pk: int, decision: str):
    return _decide(request, "permit", pk, decision)


@login_required
@require_POST
@role_required(DECIDE_MEASURES)
def measure_decide(request, pk: int, decision: str):
    return _decide(request, "measure", pk, decision)


@login_required
@require_POST
@role_required(DECIDE_POSITIONING)
def positioning_decide(request, pk: int, decision: str):
    return _decide(request, "positioning", pk, decision)


@login_required
def positioning_register_page(request):
    """The register of electronic positioning orders in force (and approved to begin), for the bureau's
    supervisors and the procuratorate of the district (CCL 29). Minors are listed without their names
    (CCL 54 para. 1), like every list across the district; opening the case is an audited read."""
    today = office_today()
    orders = list(positioning_register(user=request.user, on=today))
    documents = positioning_decisions(orders)
    # Who is under electronic positioning is confidential (CCL 29 para. 3): reading the register is a
    # list read of the trail's.
    list_read_record(
        user=request.user,
        target_type="supervision.positioningorder",
        filters={"register": today},
        ip_address=client_ip(request),
    )
    rows = [
        {
            "order": order,
            "in_force": order.in_force_on(today),
            "days_left": (order.end_date - today).days,
            "document": documents.get(order.pk),
        }
        for order in orders
    ]
    return render(request, "supervision/positioning_register.html", {"rows": rows, "today": today})
