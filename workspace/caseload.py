"""The caseload (`/supervisees/`): open cases by default, searched by name, case number or ID number,
filtered by status, category, level, office, officer and how soon the next report is due, sortable by
each column, each row with its next report due (supervision.duties) in words, an icon and colour."""

from django.contrib.auth.decorators import login_required
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts.receivers import client_ip
from config import params
from config.office_time import office_today
from config.paging import PageFirstPaginator
from corrections import selectors, services
from corrections.constants import EXIT_STATUSES, Category, ManagementLevel, Status
from corrections.scoping import EDITING_ROLES
from supervision.duties import URGENCIES, filter_by_report_urgency, with_next_report_due

OPEN_CASES, ALL_CASES = "", selectors.ALL_CASES
CASES_ON_PAGE = 50


def _in_order_of(field: str, choices) -> Case:
    """A column of codes sorted in the order its choices are declared (strict before normal before
    lenient), not by the codes' spelling."""
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)),
        output_field=IntegerField(),
    )


# The columns a caseload sorts by (`?sort=`, `-` first for the reverse). The next report due puts the
# cases without one last either way; every order ends on the name and the id, so pages never overlap.
SORTS = {
    "name": [selectors.BY_NAME[0]],
    "next_due": [F("next_report_due").asc(nulls_last=True)],
    "-next_due": [F("next_report_due").desc(nulls_last=True)],
    "management_level": [_in_order_of("management_level", ManagementLevel)],
    "status": [_in_order_of("status", Status)],
    "office": [F("justice_office__name").asc()],
    "officer": [F("officer__last_name").asc(nulls_last=True), F("officer__first_name").asc(nulls_last=True)],
}
PAGE_FILTERS = {
    **selectors.CASELOAD_FILTERS,
    "due": params.choice(URGENCIES),
    "sort": params.choice(SORTS),
}
DUE_CHOICES = [
    ("overdue", _("Report overdue")),
    ("due", _("Report due today or within two days")),
    ("ok", _("Report due later")),
    ("none", _("No report due")),
]
# The column headers that sort, with the label read by a screen reader.
SORT_COLUMNS = {
    "office": _("Justice office"),
    "officer": _("Officer"),
    "management_level": _("Level"),
    "status": _("Status"),
    "next_due": _("Next report due"),
}


@login_required
def caseload(request):
    # A bad filter is a 400 page naming it (config.middleware), before anything is read or audited.
    filters = {name: value or "" for name, value in params.parse(request.GET, PAGE_FILTERS).items()}
    if filters["q"]:
        services.supervisee_search_record(user=request.user, filters=filters, ip_address=client_ip(request))
    # The page opens on the open cases; "all" shows closed ones too, a status shows that status.
    shown = filters["status"] or OPEN_CASES
    supervisees = selectors.supervisee_list(
        user=request.user, filters={**filters, "status": "" if shown in (OPEN_CASES, ALL_CASES) else shown}
    )
    # The page shows no prohibition orders: not fetched (the selector's prefetch is for the API).
    supervisees = supervisees.prefetch_related(None)
    if shown == OPEN_CASES:
        supervisees = supervisees.exclude(status__in=EXIT_STATUSES)
    today = office_today()
    # The next report due from the one reporting-duty rule, in the same query as the rows (never per row).
    supervisees = with_next_report_due(supervisees, on=today)
    if filters["due"]:
        supervisees = filter_by_report_urgency(supervisees, filters["due"], today=today)
    sort = filters["sort"] or "name"
    supervisees = supervisees.order_by(*SORTS[sort], *selectors.BY_NAME)
    # The page's fifty rows are the only ones read in full, with their duty computed (config.paging).
    page = PageFirstPaginator(supervisees, CASES_ON_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    choices = selectors.caseload_filter_choices(user=request.user)
    return render(
        request,
        "workspace/caseload.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "unsorted_query": unsorted.urlencode(),
            "sort": sort,
            "sort_columns": SORT_COLUMNS,
            "statuses": Status.choices,
            "shown": shown,
            "open_cases": OPEN_CASES,
            "all_cases": ALL_CASES,
            "categories": Category.choices,
            "levels": ManagementLevel.choices,
            "due_choices": DUE_CHOICES,
            # The rows' codes in words (the `choice_label` filter), each dict built once for the page.
            "labels": {
                "status": dict(Status.choices),
                "management_level": dict(ManagementLevel.choices),
                "category": dict(Category.choices),
            },
            **choices,
            # The office column and filter matter where the caseload spans offices (a bureau's).
            "many_offices": len(choices["offices"]) > 1,
            "today": today,
            # Those who change cases register them (workspace.registration).
            "can_register": request.user.role in EDITING_ROLES,
        },
    )
