"""Pages of daily supervision. Views translate: parse, call one service, render or redirect."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.constants import Role
from config.forms import run_service
from corrections.constants import Status
from corrections.scoping import EDITING_ROLES, can_edit_case
from corrections.selectors import supervisee_get
from corrections.views import register_case_panel, register_dashboard_panel, render_case_page

from .constants import AlertKind, AlertStatus, ApprovalLevel, LeaveStatus, MeasureStatus
from .forms import CheckInForm, LeaveRequestForm, MeasureProposalForm
from .selectors import (
    alert_get,
    alert_list,
    leave_request_get,
    leave_request_list,
    measure_get,
    measure_list,
    revocation_suggestions,
)
from .services.alerts import alert_acknowledge, alert_resolve
from .services.checkins import SOCIAL_WORKER_KINDS, checkin_record
from .services.leave import leave_request_approve, leave_request_create, leave_request_reject
from .services.measures import PROPOSABLE_STATUSES, measure_approve, measure_propose, measure_reject


def checkin_panel(request, supervisee, bound: CheckInForm | None):
    """The quick-log form on the case page, for those who may record on this case."""
    social_worker = request.user.role == Role.SOCIAL_WORKER
    if (
        not (can_edit_case(request.user, supervisee) or social_worker)
        or supervisee.status != Status.UNDER_SUPERVISION
    ):
        return None
    form = bound or CheckInForm()
    if social_worker:
        form.fields["kind"].choices = [c for c in form.fields["kind"].choices if c[0] in SOCIAL_WORKER_KINDS]
    return {"template": "supervision/_checkin_form.html", "form": form, "supervisee": supervisee}


@login_required
@require_POST
def checkin_create(request, pk: int):
    supervisee = supervisee_get(user=request.user, pk=pk)
    form = CheckInForm(request.POST)
    checkin, status = run_service(
        form,
        lambda data: checkin_record(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            at=data["occurred_at"],
            notes=data["notes"],
            hours=data["hours"],
        ),
    )
    if checkin is not None:
        messages.success(request, _("Recorded: %(kind)s.") % {"kind": checkin.get_kind_display()})
        return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + f"#checkin-{checkin.pk}")
    return render_case_page(request, supervisee, bound={"checkin": form}, status=status)


# --- leave, measures and suggestions on the case page -----------------------------------------------
# The same pattern as the quick log: a panel for those who may act on the case, a POST calling one
# service, a refusal re-rendering the case page with what was typed and the message by its field.


def leave_panel(request, supervisee, bound: LeaveRequestForm | None):
    """Record a request for leave (外出请假): officers of the case's office and bureau supervisors."""
    if not can_edit_case(request.user, supervisee) or supervisee.status != Status.UNDER_SUPERVISION:
        return None
    return {
        "template": "supervision/_leave_form.html",
        "order": 20,
        "slot": "actions",
        "form": bound or LeaveRequestForm(),
        "supervisee": supervisee,
    }


@login_required
@require_POST
def leave_create(request, pk: int):
    supervisee = supervisee_get(user=request.user, pk=pk)
    form = LeaveRequestForm(request.POST)
    leave, status = run_service(
        form,
        lambda data: leave_request_create(
            supervisee=supervisee,
            by=request.user,
            destination=data["destination"],
            reason=data["reason"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        ),
    )
    if leave is not None:
        text = ngettext(
            "Leave of %(days)d day requested. Approval level: %(level)s.",
            "Leave of %(days)d days requested. Approval level: %(level)s.",
            leave.days,
        ) % {"days": leave.days, "level": leave.get_approval_level_display()}
        if leave.notify_procuratorate:
            text += " " + _("The procuratorate will be notified of it.")
        messages.success(request, text)
        return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + f"#leave-{leave.pk}")
    return render_case_page(request, supervisee, bound={"leave": form}, status=status)


def measure_panel(request, supervisee, bound: MeasureProposalForm | None):
    """Propose an admonition or a warning; a bureau supervisor decides it (the approval queue)."""
    if not can_edit_case(request.user, supervisee) or supervisee.status not in PROPOSABLE_STATUSES:
        return None
    return {
        "template": "supervision/_measure_form.html",
        "order": 30,
        "slot": "actions",
        "form": bound or MeasureProposalForm(),
        "supervisee": supervisee,
    }


@login_required
@require_POST
def measure_create(request, pk: int):
    supervisee = supervisee_get(user=request.user, pk=pk)
    form = MeasureProposalForm(request.POST)
    measure, status = run_service(
        form,
        lambda data: measure_propose(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            reason=data["reason"],
            occurred_on=data["occurred_on"],
            evidence=data["evidence"],
        ),
    )
    if measure is not None:
        messages.success(
            request,
            _("%(kind)s proposed: a bureau supervisor decides it.") % {"kind": measure.get_kind_display()},
        )
        return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + f"#measure-{measure.pk}")
    return render_case_page(request, supervisee, bound={"measure": form}, status=status)


def suggestions_panel(request, supervisee, bound=None):
    """What the record suggests proposing (revocation_suggestions), for those who would propose it.
    Nothing is shown when there is nothing to suggest."""
    if not can_edit_case(request.user, supervisee):
        return None
    suggestions = revocation_suggestions(supervisee=supervisee)
    if not suggestions:
        return None
    return {"template": "supervision/_suggestions.html", "order": 10, "suggestions": suggestions}


# --- the alert ledger, the approval queue and the dashboard panel ---------------------------------------
# Views translate: parse, call one selector or service, render. A refusal re-renders the page with what
# was typed and the message by its field (400, or 409 for a state that forbids it); a role that may not
# act gets 403 from the service; a record out of scope is 404 from the selector.

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


def _alert_filters(request) -> dict:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    return {
        "status": status if status in (*AlertStatus.values, ALL_ALERTS) else "",
        "kind": kind if kind in AlertKind.values else "",
    }


def _render_alerts(request, *, failed: tuple[int, NoteForm] | None = None, status: int = 200):
    filters = _alert_filters(request)
    alerts = alert_list(
        user=request.user,
        filters={
            "kind": filters["kind"],
            "status": filters["status"] if filters["status"] != ALL_ALERTS else "",
        },
    )
    if not filters["status"]:
        alerts = alerts.filter(status__in=NEEDING_ACTION)
    page = Paginator(alerts, ALERTS_ON_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    failed_pk, failed_form = failed or (None, None)
    rows = []
    for alert in page.object_list:
        rows.append(
            {
                "alert": alert,
                "days_overdue": max((today - alert.due_date).days, 0),
                "form": failed_form if alert.pk == failed_pk else NoteForm(prefix=f"alert-{alert.pk}"),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/alert_list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": AlertStatus.choices,
            "kinds": AlertKind.choices,
            "all_alerts": ALL_ALERTS,
            # Who may act on what they see: officers on their office's cases, supervisors on the
            # district's (scoping makes visible and editable the same for these roles); the service
            # still decides, and refuses with 403.
            "can_act": request.user.role in EDITING_ROLES,
        },
        status=status,
    )


@login_required
def alert_ledger(request):
    return _render_alerts(request)


@login_required
@require_POST
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

    supervisor = request.user.role == Role.JUSTICE_SUPERVISOR
    return render(
        request,
        "supervision/approvals.html",
        {
            "leave_rows": rows(leave, "leave"),
            "measure_rows": rows(measures, "measure"),
            "more_leave": len(leave) > QUEUE_ON_PAGE,
            "more_measures": len(measures) > QUEUE_ON_PAGE,
            "is_supervisor": supervisor,
            # Shown as buttons only where the service would allow the role (leave tiers; measures are the
            # district's): the service still decides and refuses with 403.
            "office_level": ApprovalLevel.JUSTICE_OFFICE,
        },
        status=status,
    )


@login_required
def approvals(request):
    return _render_approvals(request)


DECISIONS = {
    "leave": {"approve": leave_request_approve, "reject": leave_request_reject},
    "measure": {"approve": measure_approve, "reject": measure_reject},
}


def _decide(request, kind: str, pk: int, decision: str):
    _require_approver(request.user)
    if kind == "leave":
        item = leave_request_get(user=request.user, pk=pk)
        call = DECISIONS["leave"][decision]
        label = _("Leave of %(name)s") % {"name": item.supervisee.name}
    else:
        item = measure_get(user=request.user, pk=pk)
        call = DECISIONS["measure"][decision]
        label = _("%(kind)s for %(name)s") % {"kind": item.get_kind_display(), "name": item.supervisee.name}
    form = NoteForm(request.POST, prefix=f"{kind}-{item.pk}")
    done, status = run_service(form, lambda data: call(**{kind: item}, by=request.user, note=data["note"]))
    if done is None:
        return _render_approvals(request, failed=(kind, item.pk, form), status=status)
    text = _("%(what)s: approved.") if decision == "approve" else _("%(what)s: rejected.")
    messages.success(request, text % {"what": label})
    return redirect(reverse("approvals"))


@login_required
@require_POST
def leave_decide(request, pk: int, decision: str):
    return _decide(request, "leave", pk, decision)


@login_required
@require_POST
def measure_decide(request, pk: int, decision: str):
    return _decide(request, "measure", pk, decision)


LEAVE_ON_DASHBOARD = 10


def supervision_dashboard_panel(request, today):
    """Alerts and decisions waiting, for the justice roles; nothing for the others."""
    user = request.user
    if user.role not in EDITING_ROLES:
        return None
    open_alerts = alert_list(user=user).filter(status__in=NEEDING_ACTION).count()
    pending_leave = leave_request_list(user=user, filters={"status": LeaveStatus.PENDING})
    proposed = measure_list(user=user, filters={"status": MeasureStatus.PROPOSED})
    return {
        "template": "supervision/_dashboard_panel.html",
        "order": 10,
        "open_alerts": open_alerts,
        "pending_leave_count": pending_leave.count(),
        "pending_leave": list(
            pending_leave.select_related("supervisee").order_by("start_date", "id")[:LEAVE_ON_DASHBOARD]
        ),
        "proposed_measures": proposed.count(),
        "is_supervisor": user.role == Role.JUSTICE_SUPERVISOR,
    }


# Registered when the URLconf (or the app's ready()) imports this module, before any page is served.
register_dashboard_panel("supervision", supervision_dashboard_panel)
register_case_panel("suggestions", suggestions_panel)
register_case_panel("leave", leave_panel)
register_case_panel("measure", measure_panel)
