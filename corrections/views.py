"""Pages of the browser workspace for case files. Views translate: parse, call a selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from accounts.receivers import client_ip

from . import selectors, services
from .constants import Category, ManagementLevel, Status
from .scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, can_edit_case

CASELOAD_FILTERS = ("status", "category", "management_level", "q")


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
    supervisees = selectors.supervisee_list(user=request.user, filters=filters)
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
            "categories": Category.choices,
            "levels": ManagementLevel.choices,
            "today": services.office_today(),
        },
    )


@login_required
def supervisee_detail(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
    return render(
        request,
        "corrections/supervisee_detail.html",
        {
            "supervisee": supervisee,
            "sentence": supervisee.sentence,
            "status_changes": selectors.status_change_list(supervisee=supervisee),
            "hide_sensitive": request.user.role in ROLES_WITHOUT_SENSITIVE_FIELDS,
            "can_edit": can_edit_case(request.user, supervisee),
            "today": services.office_today(),
        },
    )
