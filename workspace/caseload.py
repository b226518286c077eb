"""The caseload (`/supervisees/`): open cases by default, searched by name, case number or ID number,
each with its next report due (supervision.duties) in words and colour."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.receivers import client_ip
from config import params
from config.office_time import office_today
from corrections import selectors, services
from corrections.constants import EXIT_STATUSES, Category, ManagementLevel, Status
from corrections.scoping import EDITING_ROLES
from supervision.duties import with_next_report_due

OPEN_CASES, ALL_CASES = "", selectors.ALL_CASES
CASES_ON_PAGE = 50


@login_required
def caseload(request):
    # A bad filter is a 400 page naming it (config.middleware), before anything is read or audited.
    filters = {
        name: value or "" for name, value in params.parse(request.GET, selectors.CASELOAD_FILTERS).items()
    }
    if filters["q"]:
        services.supervisee_search_record(user=request.user, filters=filters, ip_address=client_ip(request))
    # The page opens on the open cases; "all" shows closed ones too, a status shows that status.
    shown = filters["status"] or OPEN_CASES
    supervisees = selectors.supervisee_list(
        user=request.user, filters={**filters, "status": "" if shown in (OPEN_CASES, ALL_CASES) else shown}
    )
    if shown == OPEN_CASES:
        supervisees = supervisees.exclude(status__in=EXIT_STATUSES)
    today = office_today()
    page = Paginator(with_next_report_due(supervisees, on=today), CASES_ON_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/caseload.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": Status.choices,
            "shown": shown,
            "open_cases": OPEN_CASES,
            "all_cases": ALL_CASES,
            "categories": Category.choices,
            "levels": ManagementLevel.choices,
            "today": today,
            # Those who change cases register them (workspace.registration).
            "can_register": request.user.role in EDITING_ROLES,
        },
    )
