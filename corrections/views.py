"""Pages of the browser workspace for case files. Views translate: parse, call a selector, render."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.constants import Role
from accounts.models import User
from accounts.receivers import client_ip
from accounts.views import register_case_directory
from config.api import StateConflict
from config.forms import run_service

from . import selectors, services
from .constants import EXIT_STATUSES, Category, ManagementLevel, Status
from .forms import TeamMemberForm
from .scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, can_edit_case, supervisees_visible_to
from .teams import team_member_add, team_member_get, team_member_list, team_member_remove, team_requirements
from .timeline import timeline_for

CASELOAD_FILTERS = ("status", "category", "management_level", "q")
OPEN_CASES, ALL_CASES = "", "all"
OFFICE_TZ = ZoneInfo(settings.OFFICE_TIME_ZONE)

# How often each level must report, for the urgency colour. The rules are supervision's data, which
# sits above this app; it registers the lookup here (a lower app offers the hook, STYLE.md).
_interval_lookup = None


def register_report_interval_lookup(lookup) -> None:
    global _interval_lookup
    _interval_lookup = lookup


def report_intervals(*, user, on) -> dict[str, int]:
    return _interval_lookup(user=user, on=on) if _interval_lookup else {}


# Panels higher apps add to the dashboard (supervision: alerts and approvals; coordination: referrals).
# A panel is `(request, today) -> {"template": ..., "order": n, **context} | None`; it returns None for a
# role it has nothing for. Each runs a fixed number of queries, so the page does too.
DashboardPanel = Callable[..., dict | None]
_dashboard_panels: dict[str, DashboardPanel] = {}
# How many cases due or overdue a report the officer's dashboard lists (the caseload has the rest).
DUE_ON_DASHBOARD = 50


def register_dashboard_panel(name: str, panel: DashboardPanel) -> None:
    _dashboard_panels[name] = panel


def _report_due(intervals: dict[str, int], today, *, overdue: bool = False) -> Q:
    """Cases whose next report (the last contact, or intake, plus the level's interval) falls today or
    earlier (`overdue`: before today); over the `reference` date annotated by `_with_reference`. A level
    with no interval in force is never due."""
    lookup = "reference__lt" if overdue else "reference__lte"
    due = Q(pk__in=[])
    for level, every_days in intervals.items():
        due |= Q(management_level=level, **{lookup: today - dt.timedelta(days=every_days)})
    return due & Q(status=Status.UNDER_SUPERVISION)


def _with_reference(supervisees):
    # The day of the last contact in the office's time zone (STYLE.md "Time"), else the intake date.
    return supervisees.annotate(
        reference=Coalesce(TruncDate("last_contact_at", tzinfo=OFFICE_TZ), "intake_date")
    )


@login_required
def dashboard(request):
    user, today = request.user, services.office_today()
    visible = selectors.supervisee_list(user=user)
    by_status = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    counts = [(Status(code), by_status.get(code, 0)) for code in Status.values]
    context = {"counts": counts, "total": sum(by_status.values()), "today": today}
    if user.role in (Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR):
        intervals = report_intervals(user=user, on=today)
    if user.role == Role.JUSTICE_OFFICER:
        # One query: the office's cases due a report today or overdue, the longest without contact first
        # (then shown the most overdue first: the due day depends on the level).
        rows = list(
            _with_reference(visible.prefetch_related(None))
            .filter(_report_due(intervals, today))
            .order_by("reference", "name", "id")[: DUE_ON_DASHBOARD + 1]
        )
        for row in rows:
            row.due_on = row.reference + dt.timedelta(days=intervals[row.management_level])
            row.days_overdue = (today - row.due_on).days
        more = len(rows) > DUE_ON_DASHBOARD
        rows = sorted(rows[:DUE_ON_DASHBOARD], key=lambda row: (row.due_on, row.name, row.pk))
        context.update(must_report=rows, more_must_report=more)
    elif user.role == Role.JUSTICE_SUPERVISOR:
        # One aggregate query: cases by office and status, with the overdue reports among them.
        grouped = (
            _with_reference(visible.prefetch_related(None))
            .order_by()
            .values("justice_office_id", "justice_office__name", "status")
            .annotate(n=Count("id"), overdue=Count("id", filter=_report_due(intervals, today, overdue=True)))
        )
        offices: dict[int, dict] = {}
        for row in grouped:
            office = offices.setdefault(
                row["justice_office_id"],
                {
                    "name": row["justice_office__name"],
                    "by_status": dict.fromkeys(Status.values, 0),
                    "overdue": 0,
                },
            )
            office["by_status"][row["status"]] = row["n"]
            office["overdue"] += row["overdue"]
        office_rows = sorted(offices.values(), key=lambda o: o["name"])
        for office in office_rows:
            office["cells"] = [office["by_status"][code] for code in Status.values]
        # One more: each officer's open caseload (cases with no officer are counted apart).
        caseloads = (
            visible.prefetch_related(None)
            .exclude(status__in=EXIT_STATUSES)
            .order_by()
            .values(
                "officer_id",
                "officer__username",
                "officer__first_name",
                "officer__last_name",
                "justice_office__name",
            )
            .annotate(n=Count("id"))
            .order_by("justice_office__name", "-n", "officer__username")
        )
        context.update(
            offices=office_rows,
            statuses=[Status(code) for code in Status.values],
            overdue_total=sum(o["overdue"] for o in office_rows),
            absconded=by_status.get(Status.ABSCONDED, 0),
            caseloads=[
                {
                    **row,
                    # The same name as the page header shows (family name first for Chinese names).
                    "officer_name": User(
                        username=row["officer__username"] or "",
                        first_name=row["officer__first_name"] or "",
                        last_name=row["officer__last_name"] or "",
                    ).get_full_name()
                    or row["officer__username"],
                }
                for row in caseloads
            ],
        )
    panels = [panel for build in _dashboard_panels.values() if (panel := build(request, today)) is not None]
    context["panels"] = sorted(panels, key=lambda panel: panel.get("order", 0))
    return render(request, "corrections/dashboard.html", context)


@login_required
def caseload(request):
    filters = {name: request.GET.get(name, "").strip() for name in CASELOAD_FILTERS}
    if filters["q"]:
        services.supervisee_search_record(user=request.user, filters=filters, ip_address=client_ip(request))
    # The page opens on the open cases; "all" shows closed ones too, a status shows that status.
    shown = filters["status"] or OPEN_CASES
    supervisees = selectors.supervisee_list(
        user=request.user, filters={**filters, "status": "" if shown in (OPEN_CASES, ALL_CASES) else shown}
    )
    if shown == OPEN_CASES:
        supervisees = supervisees.exclude(status__in=EXIT_STATUSES)
    page = Paginator(supervisees, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "corrections/caseload.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": Status.choices,
            "shown": shown,
            "open_cases": OPEN_CASES,
            "all_cases": ALL_CASES,
            "intervals": report_intervals(user=request.user, on=services.office_today()),
            "categories": Category.choices,
            "levels": ManagementLevel.choices,
            "today": services.office_today(),
        },
    )


# Panels higher apps add to the case page (supervision: the form that records a check-in). A panel is
# `(request, supervisee, bound) -> {"template": ..., **context} | None`; `bound` is the panel's own
# bound form when its POST failed validation, so the page shows what was typed and what to fix.
CasePanel = Callable[..., dict | None]
_case_panels: dict[str, CasePanel] = {}
TIMELINE_ON_PAGE = 100


def register_case_panel(name: str, panel: CasePanel) -> None:
    _case_panels[name] = panel


def render_case_page(request, supervisee, *, bound: dict | None = None, status: int = 200):
    """The case page; `bound` maps a panel's name to its bound form (after a failed POST)."""
    bound = bound or {}
    panels = [
        panel
        for name, build in _case_panels.items()
        if (panel := build(request, supervisee, bound.get(name))) is not None
    ]
    # A panel may say where it goes: "top" (the default, full width, above), "actions" (the forms, side
    # by side) or "bottom" (full width, above the timeline); `order` sorts them within (stable).
    panels.sort(key=lambda panel: panel.get("order", 0))
    slots: dict[str, list[dict]] = {"top": [], "actions": [], "bottom": []}
    for panel in panels:
        slots.get(panel.get("slot", "top"), slots["top"]).append(panel)
    return render(
        request,
        "corrections/supervisee_detail.html",
        {
            "supervisee": supervisee,
            "sentence": supervisee.sentence,
            "timeline": timeline_for(supervisee, limit=TIMELINE_ON_PAGE),
            "panels": panels,
            "top_panels": slots["top"],
            "action_panels": slots["actions"],
            "bottom_panels": slots["bottom"],
            "hide_sensitive": request.user.role in ROLES_WITHOUT_SENSITIVE_FIELDS,
            "can_edit": can_edit_case(request.user, supervisee),
            "today": services.office_today(),
        },
        status=status,
    )


@login_required
def supervisee_detail(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
    return render_case_page(request, supervisee)


# --- the correction team (CCL 25) on the case page ---------------------------------------------------
# The same pattern as the other case-page panels: a POST calling one service (corrections.teams), a
# refusal re-rendering the case page with what was typed and the message by its field.


def team_panel(request, supervisee, bound: dict | None):
    """Who serves on the case's team and what CCL 25 still asks of it; the add form and the remove
    buttons for those who may change the case."""
    members = list(team_member_list(supervisee=supervisee))
    can_change = can_edit_case(request.user, supervisee) and supervisee.status not in EXIT_STATUSES
    bound = bound or {}
    return {
        "template": "corrections/_team.html",
        "order": 50,
        "slot": "bottom",
        "supervisee": supervisee,
        "members": members,
        "unmet": team_requirements(supervisee=supervisee, members=members),
        "can_change": can_change,
        # Phone numbers of family and committee members are for those who work the case.
        "show_phone": can_edit_case(request.user, supervisee),
        "form": (bound.get("form") or TeamMemberForm(supervisee=supervisee)) if can_change else None,
        "remove_error": bound.get("remove_error"),
    }


register_case_panel("team", team_panel)


@login_required
@require_POST
def team_member_add_view(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    form = TeamMemberForm(request.POST, supervisee=supervisee)
    member, status = run_service(
        form,
        lambda data: team_member_add(
            supervisee=supervisee,
            by=request.user,
            name=data["name"],
            role=data["role"],
            user=data["user"],
            gender=data["gender"],
            phone=data["phone"],
            versed_in_minors=data["versed_in_minors"],
            joined_on=data["joined_on"],
        ),
    )
    if member is not None:
        messages.success(
            request,
            _("%(name)s joined the correction team as %(role)s.")
            % {"name": member.name, "role": member.get_role_display()},
        )
        return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + "#team")
    return render_case_page(request, supervisee, bound={"team": {"form": form}}, status=status)


@login_required
@require_POST
def team_member_remove_view(request, pk: int, member_pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    member = team_member_get(supervisee=supervisee, pk=member_pk)
    try:
        member = team_member_remove(member=member, by=request.user)
    except ValidationError as error:
        return render_case_page(
            request, supervisee, bound={"team": {"remove_error": error.messages}}, status=400
        )
    except StateConflict as error:
        return render_case_page(
            request, supervisee, bound={"team": {"remove_error": [error.message]}}, status=409
        )
    messages.success(request, _("%(name)s left the correction team.") % {"name": member.name})
    return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + "#team")


# --- case numbers for the audit trail page (accounts sits below: it offers the hook) -----------------


def _case_by_number(user, case_number: str) -> int | None:
    return supervisees_visible_to(user).filter(case_number=case_number).values_list("pk", flat=True).first()


def _case_numbers(user, ids) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return dict(supervisees_visible_to(user).filter(pk__in=ids).values_list("pk", "case_number"))


register_case_directory(find=_case_by_number, numbers=_case_numbers)
