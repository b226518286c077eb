"""Every read of case files. Each goes through `supervisees_visible_to` (scoping.py)."""

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.http import Http404

from accounts.models import Agency, User
from config import params
from config.sql import Unindexed

from .constants import Category, ManagementLevel, Status
from .idnumber import ID_NUMBER_LIKE, normalize_id_number
from .models import Prohibition, Supervisee
from .scoping import editable_condition, identified_condition, supervisees_visible_to, with_id_number_access

# The caseload's filters as the API reads them (config.params: 400 naming a bad one); the caseload
# page and its export read the same, with "all" for every status.
SUPERVISEE_FILTERS = {
    "status": params.choice(Status.values),
    "category": params.choice(Category.values),
    "management_level": params.choice(ManagementLevel.values),
    "justice_office": params.ID,
    "officer": params.text(150),
    "q": params.TEXT,
}
ALL_CASES = "all"
# The caseload's order: by name, then id. The name as a computed key (the same order): PostgreSQL sorts
# the scope's cases rather than walking the name index over every person in the country for the first
# fifty of an office (config.sql.Unindexed). Sorting is the slower choice only for a scope of a large
# fraction of the country, which no user has (a city-level supervisor's is a city's).
BY_NAME = (Unindexed("name"), "id")
CASELOAD_FILTERS = {
    "status": params.choice([*Status.values, ALL_CASES]),
    "category": SUPERVISEE_FILTERS["category"],
    "management_level": SUPERVISEE_FILTERS["management_level"],
    "justice_office": SUPERVISEE_FILTERS["justice_office"],
    "officer": SUPERVISEE_FILTERS["officer"],
    "q": SUPERVISEE_FILTERS["q"],
}


def _search(queryset: QuerySet[Supervisee], q: str, *, user: User) -> QuerySet[Supervisee]:
    """Name, case number or ID number. An ID number (or its start) is matched exactly from the left,
    so that the index on id_number serves it; names and case numbers match anywhere.

    A reader finds a case by its ID number only where they are shown it in full (API.md "Need to
    know": never for a social worker; for the police and the court, only on a case referred to them
    that needs the person identified): a search that answered elsewhere would confirm, digit by
    digit, the number the page hides or masks."""
    q = q.strip()
    if not q:
        return queryset
    if ID_NUMBER_LIKE.match(q):
        matches = Q(case_number__icontains=q)
        identified = identified_condition(user)
        if identified is not None:
            matches |= Q(id_number__startswith=normalize_id_number(q)) & identified
        return queryset.filter(matches)
    return queryset.filter(Q(name__icontains=q) | Q(case_number__icontains=q))


def supervisee_list(*, user: User, filters: Mapping[str, Any] | None = None) -> QuerySet[Supervisee]:
    """The caller's caseload with the API's filters (as `SUPERVISEE_FILTERS` reads them); one query for
    the page whatever its size."""
    filters = filters or {}
    supervisees = supervisees_visible_to(user)
    simple = {
        "status": "status",
        "category": "sentence__category",
        "management_level": "management_level",
        "justice_office": "justice_office_id",
        "officer": "officer__username",
    }
    for name, lookup in simple.items():
        if filters.get(name) not in (None, ""):
            supervisees = supervisees.filter(**{lookup: filters[name]})
    if filters.get("q"):
        supervisees = _search(supervisees, str(filters["q"]), user=user)
    return (
        with_id_number_access(supervisees, user)
        .select_related("sentence", "justice_office", "officer")
        .prefetch_related(
            Prefetch("sentence__prohibition_orders", queryset=Prohibition.objects.order_by("id"))
        )
        .order_by(*BY_NAME)
    )


def supervisee_get(*, user: User, pk: Any) -> Supervisee:
    """One case the caller may see; anything else is 404, never 403 (docs/api.md#errors)."""
    try:
        return supervisee_list(user=user).get(pk=int(pk))
    except (Supervisee.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def supervisee_get_for_update(*, user: User, pk: Any) -> Supervisee:
    """One case the caller may see, with its office, locked until the caller's transaction ends; 404
    otherwise, as `supervisee_get`. For a write about the case (a check-in racing an exit must see the case
    as it is after the exit): scope and lock in one query, and the row alone, without the list's
    annotations and prefetches, which a write does not show.

    A case the caller may change (`editable_condition`, a part of their scope) is found and locked by
    that simple filter alone: for a check-in, the usual write, this spares building, compiling and
    planning the whole scope with its grants on every request (issue 14: a third of the POST's own time,
    when the scope was a UNION of its rules' ids). Any other
    case goes through the whole scope, so a case seen but not editable is still found (and refused with
    403 by the service) and one out of scope is still 404."""
    try:
        pk = int(pk)
    except (ValueError, TypeError) as error:
        raise Http404 from error
    editable = editable_condition(user)
    if editable is not None:
        found = list(
            Supervisee.objects.filter(editable, pk=pk)
            .select_for_update(of=("self",))
            .select_related("justice_office")
            .order_by()
        )
        if found:
            return found[0]
    try:
        return (
            supervisees_visible_to(user)
            .select_for_update(of=("self",))
            .select_related("justice_office")
            .get(pk=pk)
        )
    except Supervisee.DoesNotExist as error:
        raise Http404 from error


def prohibition_get(*, user: User, pk: Any) -> Prohibition:
    """A prohibition order of a case the caller sees; 404 otherwise, as for the case."""
    try:
        return Prohibition.objects.select_related("sentence__supervisee").get(
            pk=int(pk), sentence__supervisee__in=supervisees_visible_to(user).values("pk")
        )
    except (Prohibition.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def caseload_filter_choices(*, user: User) -> dict[str, list]:
    """The offices and responsible officers of the cases the caller sees, to filter a list by (the
    caseload, the alert ledger): one query, whatever the number of cases (a UNION of the offices and
    the officers, each sorted as the lists show them).

    DISTINCT keeps each subquery planned on its own (PostgreSQL does not pull a DISTINCT subquery up
    into the outer query): the visible cases' few offices and officers are found first, then looked up
    by primary key. Without it, at 700,000 people the planner walked every agency or every user and
    probed their cases one by one (benchmarks/README.md: 0.5 s, and 6 s with the scope's UNION)."""
    visible = supervisees_visible_to(user).order_by()
    columns = ("choice", "pk", "key", "key2", "key3")
    offices = (
        Agency.objects.filter(pk__in=visible.values("justice_office_id").distinct())
        .annotate(choice=Value(0), key=F("name"), key2=Value(""), key3=Value(""))
        .order_by()
        .values_list(*columns)
    )
    officers = (
        User.objects.filter(pk__in=visible.values("officer_id").distinct())
        .annotate(choice=Value(1), key=F("last_name"), key2=F("first_name"), key3=F("username"))
        .order_by()
        .values_list(*columns)
    )
    # Offices by name and id; officers by family name, given name and username (unique).
    rows = offices.union(officers, all=True).order_by("choice", "key", "key2", "key3", "pk")
    choices: dict[str, list] = {"offices": [], "officers": []}
    for choice, pk, key, key2, key3 in rows:
        if choice == 0:
            choices["offices"].append((pk, key))
        else:
            officer = User(pk=pk, last_name=key, first_name=key2, username=key3)
            choices["officers"].append((officer.username, officer.get_full_name() or officer.username))
    return choices
