"""Pages of the browser workspace for case files. Views translate: parse, call a selector, render."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from accounts.receivers import client_ip

from . import selectors, services
from .constants import EXIT_STATUSES, Category, ManagementLevel, Status
from .scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, can_edit_case
from .timeline import timeline_for

CASELOAD_FILTERS = ("status", "category", "management_level", "q")
OPEN_CASES, ALL_CASES = "", "all"

# How often each level must report, for the urgency colour. The rules are supervision's data, which
# sits above this app; it registers the lookup here (a lower app offers the hook, STYLE.md).
_interval_lookup = None


def register_report_interval_lookup(lookup) -> None:
    global _interval_lookup
    _interval_lookup = lookup


def report_intervals(*, user, on) -> dict[str, int]:
    return _interval_lookup(user=user, on=on) if _interval_lookup else {}


@login_required
def dashboard(request):
    visible = selectors.supervisee_list(user=request.user)
    by_status = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    counts = [(Status(code), by_status.get(code, 0)) for code in Status.values]
    return render(request, "corrections/dashboard.html", {"counts": counts, "total": sum(by_status.values())})


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
    return render(
        request,
        "corrections/supervisee_detail.html",
        {
            "supervisee": supervisee,
            "sentence": supervisee.sentence,
            "timeline": timeline_for(supervisee, limit=TIMELINE_ON_PAGE),
            "panels": panels,
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
