"""Every read of the reports app. Each goes through `supervisees_visible_to` (corrections.scoping)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, User
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to

from .statistics import monthly_statistics

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
