"""Every read of the reports app. Each goes through `supervisees_visible_to` (corrections.scoping)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, District, User
from accounts.selectors import city_district_list
from config.db_router import reading_replica
from config.office_time import start_of_day
from corrections.constants import EXIT_STATUSES
from corrections.models import Supervisee
from corrections.scoping import in_home_area, supervisees_visible_to
from corrections.selectors import ALL_CASES, CASELOAD_FILTERS, supervisee_list
from corrections.transfers import transferred_out_of
from supervision.models import CheckIn
from supervision.selectors import checkin_list

from .figure_cache import cached_months, change_stamp
from .models import LedgerImport, MonthlySnapshot
from .statistics import (
    EMPTY_EDUCATION,
    education_by_month,
    figure_cases,
    flat_figures,
    month_bounds,
    monthly_flow_by_month,
    monthly_statistics,
    population_of,
)

# Who reads the monthly statistics (docs/roles.md#the-roles, docs/roles.md#the-roles): the bureau's
# supervisors for the district or any of its offices, an officer for their own office, the procuratorate for
# the district (read-only). Court, police and social workers see single cases only; a district's figures are
# not theirs (403).
REPORT_ROLES = frozenset({Role.JUSTICE_SUPERVISOR, Role.JUSTICE_OFFICER, Role.PROCURATORATE})


def check_may_read_reports(user: User) -> None:
    if getattr(user, "role", None) not in REPORT_ROLES or not user.agency_id:
        raise PermissionDenied(_("Your role does not read the district's statistics."))


def report_office_list(*, user: User) -> QuerySet[Agency]:
    """The justice offices the user may ask a report for: an officer's own, else the district's (a city
    bureau's supervisor: those of every district of the city)."""
    check_may_read_reports(user)
    offices = Agency.objects.filter(in_home_area(user, ""), kind=AgencyKind.JUSTICE_OFFICE)
    if user.role == Role.JUSTICE_OFFICER:
        offices = offices.filter(pk=user.agency_id)
    return offices.order_by("name", "id")


def report_district_list(*, user: User) -> QuerySet[District]:
    """The districts the user may ask a report for: their own, or every district of a city bureau's
    city (the `district` filter of the monthly statistics)."""
    check_may_read_reports(user)
    if user.agency.district_id is not None:
        return District.objects.filter(pk=user.agency.district_id)
    return city_district_list(user=user)


def report_scope(
    *, user: User, justice_office_id: int | None, district_id: int | None = None
) -> tuple[QuerySet[Supervisee], Agency | None]:
    """The supervisees a report covers and the office it is about (None: the whole district, or for a
    city bureau the whole city, or the one `district_id` of it). See `report_unit`."""
    supervisees, office, _office_ids = report_unit(
        user=user, justice_office_id=justice_office_id, district_id=district_id
    )
    return supervisees, office


def report_unit(
    *, user: User, justice_office_id: int | None, district_id: int | None = None
) -> tuple[QuerySet[Supervisee], Agency | None, list[int]]:
    """The supervisees a report covers, the office it is about (None: the whole district, or for a
    city bureau the whole city, or the one `district_id` of it) and the ids of the unit's offices.

    An officer's report is of their own office whether or not they name it; an office or district outside
    the user's reach is 404, like any record out of scope (docs/api.md#errors)."""
    check_may_read_reports(user)
    if justice_office_id is None and user.role == Role.JUSTICE_OFFICER:
        justice_office_id = user.agency_id
    office = None
    if justice_office_id is not None:
        offices = report_office_list(user=user)
        if district_id is not None:
            offices = offices.filter(district_id=district_id)
        office = offices.filter(pk=justice_office_id).first()
        if office is None:
            raise Http404
    elif district_id is not None and not report_district_list(user=user).filter(pk=district_id).exists():
        raise Http404
    # The cases of the unit the report is about (the office, the district asked for, or the reader's
    # district or city), among those the reader sees: the unit's cases now and those its offices
    # transferred to another district (their past months still count them: reports.statistics,
    # corrections.transfers). Both lists are read first (the transfers are usually none) so that the
    # database reads the unit's cases by the office index instead of testing the scope's OR-ed rules on
    # every person of the country (issue 14: 18 s for a district's page at 700,000). Every report, the
    # district's default one too, counts the unit's cases only, so its figures depend on the unit and
    # the month, not on who reads them (a case shown to a supervisor by a notice or a proposed transfer
    # is not the district's: reports.figure_cache keys the figures by the unit).
    office_ids = unit_office_ids(user=user, office=office, district_id=district_id)
    moved_out = list(transferred_out_of(office_ids=office_ids).values_list("supervisee_id", flat=True))
    unit = Q(justice_office_id__in=office_ids)
    if moved_out:
        unit |= Q(pk__in=moved_out)
    supervisees = supervisees_visible_to(user).filter(unit)
    return supervisees, office, office_ids


def unit_office_ids(*, user: User, office: Agency | None, district_id: int | None = None) -> list[int]:
    """`report_offices` read into a sorted list of ids (one query, none for one office): the unit's key
    in the figures' cache and a list the database matches by index."""
    offices = report_offices(user=user, office=office, district_id=district_id)
    if isinstance(offices, list):
        return sorted(offices)
    return sorted(offices.values_list("pk", flat=True))


def report_offices(*, user: User, office: Agency | None, district_id: int | None = None):
    """The ids of the justice offices a report is about: the one asked for, else the district asked for,
    else the user's district's, or for a city bureau its city's (a subquery, not a list: no query of its
    own). The statistics count a transferred case for the unit that held it on each day
    (reports.statistics), so a transfer between two districts of one city nets out in the city's figures."""
    if office is not None:
        return [office.pk]
    offices = Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE)
    if district_id is not None:
        return offices.filter(district_id=district_id).values("pk")
    return offices.filter(in_home_area(user, "")).values("pk")


def scope_label(*, user: User, district_id: int | None = None) -> str:
    """The name of a report's scope when it is not one office: the district asked for, the user's own
    district, or a city bureau's city."""
    if district_id is not None:
        return District.objects.get(pk=district_id).name
    agency = user.agency
    return agency.district.name if agency.district_id is not None else agency.city.name


def _snapshot_district(user: User, office: Agency | None, district_id: int | None) -> int | None:
    """The district whose sign-offs a report reads: the office's, the one asked for, or the user's own
    (None for a city bureau's whole city: a city's figures are not signed, its districts' are)."""
    if office is not None:
        return office.district_id
    return district_id if district_id is not None else user.agency.district_id


def monthly_snapshot_get(
    *, user: User, month: dt.date, office: Agency | None, district_id: int | None = None
) -> MonthlySnapshot | None:
    """The sign-off of the month for the user's district (office None) or one of its offices."""
    district_id = _snapshot_district(user, office, district_id)
    if district_id is None:
        return None
    return (
        MonthlySnapshot.objects.select_related("signed_by")
        .filter(district_id=district_id, month=month.replace(day=1), justice_office=office)
        .first()
    )


def changed_since_signing(*, signed: dict, live: dict) -> list[str]:
    """The dotted keys whose live value differs from the signed one, in the figures' order."""
    signed_flat, live_flat = flat_figures(signed), flat_figures(live)
    # A figure counted only since the month was signed (the `education` block) has nothing to differ from.
    return [key for key in live_flat if key in signed_flat and signed_flat[key] != live_flat[key]]


def monthly_statistics_get(
    *, user: User, month: dt.date, justice_office_id: int | None = None, district_id: int | None = None
) -> tuple[dict, Agency | None]:
    """The month's figures. Once the month is signed off, the signed figures, with who signed and when,
    and the keys whose live count has changed since (a back-dated edit): the signed report stands."""
    supervisees, office, office_ids = report_unit(
        user=user, justice_office_id=justice_office_id, district_id=district_id
    )
    first = month.replace(day=1)
    with reading_replica():  # the counting reads the replica when there is one (config/db_router.py)
        # A closed month's figures from the cache when no record they count has changed since
        # (reports.figure_cache).
        statistics = cached_months(
            "statistics",
            office_ids=office_ids,
            months=[first],
            count=lambda _months: {
                first: monthly_statistics(supervisees=supervisees, month=first, offices=office_ids)
            },
        )[first]
    snapshot = monthly_snapshot_get(user=user, month=month, office=office, district_id=district_id)
    if snapshot is not None:
        changed = changed_since_signing(signed=snapshot.figures, live=statistics)
        statistics = {
            **snapshot.figures,
            "signed": {"by": snapshot.signed_by.get_username(), "at": snapshot.signed_at.isoformat()},
        }
        if changed:
            statistics["changed_since_signing"] = changed
    return {**statistics, "justice_office": office.pk if office else None}, office


def signed_off_display(signed: Mapping[str, str] | None) -> dict[str, Any] | None:
    """A signed month's `{"by": username, "at": ISO time}` as a page shows it: the signer's name (the
    username only for an account without one) and the time as an aware datetime, which the template
    shows in the office's time zone (issue 13: the banner showed the raw ISO time and the username)."""
    if not signed:
        return None
    signer = User.objects.filter(username=signed["by"]).first()
    return {
        "by": (signer.get_full_name() or signer.username) if signer else signed["by"],
        "at": parse_datetime(signed["at"]),
    }


TREND_MONTHS = 12


def monthly_trend_list(
    *,
    user: User,
    month: dt.date,
    justice_office_id: int | None = None,
    latest: dict | None = None,
    district_id: int | None = None,
) -> list[dict]:
    """The twelve months up to `month`, oldest first: `{"month", "opening", "intake", "exits" (total),
    "closing", "absconded", "report_compliance", "education_sessions", "employment_helped", "signed"}`
    (the two from social forces' records: `education_by_month`, one query for the twelve months). A
    signed month reads its snapshot (one query for all of them); the others are counted together by
    `monthly_flow_by_month` (the same expressions as `monthly_statistics`, a fixed handful of queries
    for all the months at once, whatever the population and the number of months). `latest`: the
    figures of `month` itself when the caller has them already
    (the page does), so they are not counted twice."""
    supervisees, office, offices = report_unit(
        user=user, justice_office_id=justice_office_id, district_id=district_id
    )
    months = []
    first = month.replace(day=1)
    for _index in range(TREND_MONTHS):
        months.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    months.reverse()
    snapshots = {
        snapshot.month: snapshot.figures
        for snapshot in MonthlySnapshot.objects.filter(
            district_id=_snapshot_district(user, office, district_id), justice_office=office, month__in=months
        )
    }
    # Social forces' figures of the twelve months in one query (signed months keep their own when
    # they have them).
    population = population_of(supervisees)
    to_count = [
        first
        for first in months
        if first not in snapshots and not (first == month.replace(day=1) and latest is not None)
    ]

    def count_education(missing: list[dt.date]) -> dict:
        counted = education_by_month(population, min(missing), month_bounds(max(missing))[1])
        return {first: counted.get(first, EMPTY_EDUCATION) for first in missing}

    # The closed months from the cache when no record they count has changed since
    # (reports.figure_cache), the others counted together; one change stamp for the whole trend.
    with reading_replica():
        stamp = change_stamp(offices)
        education = cached_months(
            "education", office_ids=offices, months=months, count=count_education, stamp=stamp
        )
        counted = cached_months(
            "flow",
            office_ids=offices,
            months=to_count,
            count=lambda missing: monthly_flow_by_month(
                supervisees=supervisees, months=missing, offices=offices
            ),
            stamp=stamp,
        )
    rows = []
    for first in months:
        if first == month.replace(day=1) and latest is not None:
            figures = latest
        else:
            figures = snapshots.get(first) or counted[first]
        block = figures.get("education") or education.get(first, EMPTY_EDUCATION)
        rows.append(
            {
                "education_sessions": block["sessions"],
                "employment_helped": block["employment_helped"],
                "month": first,
                "opening": figures["opening"],
                "intake": figures["intake"],
                "exits": sum(figures["exits"].values()),
                "closing": figures["closing"],
                "absconded": figures["absconded"],
                "report_compliance": figures["report_compliance"],
                "signed": first in snapshots,
            }
        )
    return rows


def figure_case_list(
    *,
    user: User,
    month: dt.date,
    key: str,
    justice_office_id: int | None = None,
    district_id: int | None = None,
) -> tuple[QuerySet[Supervisee], Agency | None]:
    """The cases behind one figure of the month, through the same scope as the figure (report_scope).
    A key that names no figure counted person by person is 404."""
    supervisees, office = report_scope(
        user=user, justice_office_id=justice_office_id, district_id=district_id
    )
    cases = figure_cases(
        supervisees=supervisees,
        month=month,
        key=key,
        offices=report_offices(user=user, office=office, district_id=district_id),
    )
    if cases is None:
        raise Http404
    return cases.select_related("sentence").order_by("case_number", "pk"), office


# --- ledger imports and exports ----------------------------------------------------------------------

# The caseload page's filters, read as the page reads them (corrections.selectors.CASELOAD_FILTERS):
# the page opens on open cases, "all" adds closed ones.
CASELOAD_EXPORT_FILTERS = CASELOAD_FILTERS


def ledger_import_list(*, user: User, limit: int = 10) -> QuerySet[LedgerImport]:
    """The user's own recent uploads: a ledger is its uploader's until it is imported."""
    return LedgerImport.objects.filter(uploaded_by=user).order_by("-created_at", "-id")[:limit]


def ledger_import_get(*, user: User, pk: Any) -> LedgerImport:
    """One of the user's own uploads; anyone else's is 404 (docs/api.md#errors: out of scope is 404)."""
    try:
        return LedgerImport.objects.get(pk=int(pk), uploaded_by=user)
    except (LedgerImport.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def caseload_export_list(*, user: User, filters: Mapping[str, str]) -> QuerySet[Supervisee]:
    """The caseload page's rows for an export: the user's visible cases, with the page's filters."""
    status = filters.get("status") or ""
    supervisees = supervisee_list(
        user=user, filters={**filters, "status": "" if status in ("", ALL_CASES) else status}
    )
    if not status:
        supervisees = supervisees.exclude(status__in=EXIT_STATUSES)
    # No prefetch: import-export pages through a prefetching queryset; the export reads no prohibition.
    return supervisees.prefetch_related(None).select_related("sentence", "justice_office", "officer")


def checkin_export_list(
    *, user: User, since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[CheckIn]:
    """The user's visible check-ins from the start of `since` to the end of `until`, office days."""
    filters = {}
    if since:
        filters["since"] = start_of_day(since)
    if until:
        filters["until"] = start_of_day(until + dt.timedelta(days=1))
    return checkin_list(user=user, filters=filters).select_related("supervisee")
