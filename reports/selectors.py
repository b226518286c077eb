"""Every read of the reports app. Each goes through `supervisees_visible_to` (corrections.scoping)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, User
from corrections.constants import EXIT_STATUSES
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to
from corrections.selectors import supervisee_list
from supervision.models import CheckIn
from supervision.selectors import checkin_list

from .models import LedgerImport
from .statistics import monthly_statistics

OFFICE_TZ = ZoneInfo(settings.OFFICE_TIME_ZONE)

# Who reads the monthly statistics (API.md, PRODUCT.md): the bureau's supervisors for the district or any
# of its offices, an officer for their own office, the procuratorate for the district (read-only).
# Court, police and social workers see single cases only; a district's figures are not theirs (403).
REPORT_ROLES = frozenset({Role.JUSTICE_SUPERVISOR, Role.JUSTICE_OFFICER, Role.PROCURATORATE})


def check_may_read_reports(user: User) -> None:
    if getattr(user, "role", None) not in REPORT_ROLES or not user.agency_id:
        raise PermissionDenied(_("Your role does not read the district's statistics."))


def report_office_list(*, user: User) -> QuerySet[Agency]:
    """The justice offices the user may ask a report for: an officer's own, else the district's."""
    check_may_read_reports(user)
    offices = Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, district_id=user.agency.district_id)
    if user.role == Role.JUSTICE_OFFICER:
        offices = offices.filter(pk=user.agency_id)
    return offices.order_by("name", "id")


def report_scope(*, user: User, justice_office_id: int | None) -> tuple[QuerySet[Supervisee], Agency | None]:
    """The supervisees a report covers and the office it is about (None: the whole district).

    An officer's report is of their own office whether or not they name it; an office outside the
    user's reach is 404, like any record out of scope (API.md)."""
    check_may_read_reports(user)
    if justice_office_id is None and user.role == Role.JUSTICE_OFFICER:
        justice_office_id = user.agency_id
    office = None
    if justice_office_id is not None:
        office = report_office_list(user=user).filter(pk=justice_office_id).first()
        if office is None:
            raise Http404
    supervisees = supervisees_visible_to(user)
    if office is not None:
        supervisees = supervisees.filter(justice_office_id=office.pk)
    return supervisees, office


def monthly_statistics_get(
    *, user: User, month: dt.date, justice_office_id: int | None = None
) -> tuple[dict, Agency | None]:
    supervisees, office = report_scope(user=user, justice_office_id=justice_office_id)
    statistics = monthly_statistics(supervisees=supervisees, month=month)
    return {**statistics, "justice_office": office.pk if office else None}, office


# --- ledger imports and exports ----------------------------------------------------------------------

# The caseload page's filters (corrections.views): the page opens on open cases, "all" adds closed ones.
CASELOAD_EXPORT_FILTERS = ("status", "category", "management_level", "q")
ALL_CASES = "all"


def ledger_import_list(*, user: User, limit: int = 10) -> QuerySet[LedgerImport]:
    """The user's own recent uploads: a ledger is its uploader's until it is imported."""
    return LedgerImport.objects.filter(uploaded_by=user).order_by("-created_at", "-id")[:limit]


def ledger_import_get(*, user: User, pk: Any) -> LedgerImport:
    """One of the user's own uploads; anyone else's is 404 (API.md: out of scope is 404)."""
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
        filters["since"] = dt.datetime.combine(since, dt.time.min, tzinfo=OFFICE_TZ)
    if until:
        filters["until"] = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=OFFICE_TZ)
    return checkin_list(user=user, filters=filters).select_related("supervisee")
