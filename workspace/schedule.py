"""Who must report, and be visited at home, on which day: the week view (`/schedule/`) and the daily
sign-in sheet (`/schedule/sign-in/`), for the justice roles.

Every day on these pages is the reporting duty's (`supervision.duties.with_next_report_due`, and the
same expression for the home visit): a case is listed on the day its next report is due, exactly the
date the case header, the caseload and the sweep read. Nothing here counts a due day itself. A case is
listed once, on its next due day, not on the days after it (those depend on when it reports): after it
reports, the duty moves it to its next day.

Officers see their office's cases (their own by default, `officer=all` for the whole office);
supervisors the district's, filtered by office and officer. The lists name people, so each read is
audited as a list read with its filters (accounts.services.list_read_record)."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from config.office_time import office_today
from corrections import selectors
from corrections.constants import Status
from corrections.scoping import EDITING_ROLES
from supervision.duties import report_urgency, with_next_home_visit_due, with_next_report_due

# At most this many entries on one page (a district's week is a few hundred); the page says so if cut.
SCHEDULE_LIMIT = 1000
ALL = "all"


def _officer(value: str):
    """`all` (the whole office or district) or an officer's id."""
    return ALL if value == ALL else params.ID(value)


SCHEDULE_FILTERS = {"week": params.day, "office": params.ID, "officer": _officer}
SIGN_IN_FILTERS = {"date": params.day, "office": params.ID}


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _may_read_schedule(user) -> None:
    # The schedule is the justice offices' and the bureau's work; other roles have no duty to follow.
    if user.role not in EDITING_ROLES:
        raise PermissionDenied(_("Your role has no reporting schedule."))


def _scoped(user, *, office: int | None, officer) -> tuple:
    """The open cases under supervision the caller sees, narrowed to an office and an officer; an
    officer's own cases unless they ask for `all`. Returns the queryset and the officer filter used."""
    if officer is None and user.role == Role.JUSTICE_OFFICER:
        officer = user.pk
    cases = selectors.supervisee_list(user=user, filters={"justice_office": office}).filter(
        status=Status.UNDER_SUPERVISION
    )
    if officer not in (None, ALL):
        cases = cases.filter(officer_id=officer)
    return cases.prefetch_related(None), officer


def filter_choices(user) -> dict:
    """The offices and officers of the cases the caller sees (two small grouped queries), for the
    filter's menus."""
    visible = selectors.supervisee_list(user=user).prefetch_related(None).order_by()
    offices = visible.values_list("justice_office_id", "justice_office__name").distinct()
    officers = (
        visible.filter(officer__isnull=False)
        .values_list("officer_id", "officer__username", "officer__last_name", "officer__first_name")
        .distinct()
    )
    return {
        "offices": sorted(offices, key=lambda o: o[1]),
        "officers": sorted(
            ((pk, f"{last}{first}" or username) for pk, username, last, first in officers),
            key=lambda o: o[1],
        ),
    }


def schedule_week(*, user, monday: dt.date, today: dt.date, office=None, officer=None) -> dict:
    """The week from `monday`: for each day, the cases whose next report or home visit is due that day
    (one query), and, in the week holding today, the reports already overdue before it."""
    sunday = monday + dt.timedelta(days=6)
    cases, officer = _scoped(user, office=office, officer=officer)
    due = with_next_home_visit_due(
        with_next_report_due(cases.select_related("justice_office", "officer"), on=today), on=today
    )
    in_week = Q(next_report_due__range=(monday, sunday)) | Q(next_home_visit_due__range=(monday, sunday))
    overdue_before = monday <= today <= sunday
    if overdue_before:
        in_week |= Q(next_report_due__lt=monday)
    rows = list(due.filter(in_week).order_by("next_report_due", "name", "id")[: SCHEDULE_LIMIT + 1])
    by_day: dict[dt.date, list] = defaultdict(list)
    earlier = []
    for case in rows[:SCHEDULE_LIMIT]:
        if case.next_report_due and case.next_report_due < monday:
            case.urgency = "overdue"
            case.days_overdue = (today - case.next_report_due).days
            earlier.append(case)
        elif case.next_report_due and monday <= case.next_report_due <= sunday:
            by_day[case.next_report_due].append(
                {"case": case, "duty": "report", "urgency": report_urgency(case.next_report_due, today=today)}
            )
        if case.next_home_visit_due and monday <= case.next_home_visit_due <= sunday:
            by_day[case.next_home_visit_due].append(
                {
                    "case": case,
                    "duty": "home_visit",
                    "urgency": report_urgency(case.next_home_visit_due, today=today),
                }
            )
    days = [monday + dt.timedelta(days=n) for n in range(7)]
    return {
        "monday": monday,
        "sunday": sunday,
        "days": [{"day": day, "entries": by_day.get(day, []), "is_today": day == today} for day in days],
        "overdue_before": earlier if overdue_before else None,
        "cut": len(rows) > SCHEDULE_LIMIT,
        "officer": officer,
    }


def sign_in_sheet(*, user, day: dt.date, today: dt.date, office=None) -> list[dict]:
    """Who must report on `day`, office by office: the cases whose next report is due that day, and (on
    today's sheet and later ones) those already overdue, who are expected to come in."""
    cases, _officer = _scoped(user, office=office, officer=ALL)
    due = with_next_report_due(cases.select_related("justice_office", "officer"), on=today)
    wanted = Q(next_report_due=day)
    if day >= today:
        wanted |= Q(next_report_due__lt=day)
    rows = due.filter(wanted).order_by("justice_office__name", "justice_office_id", "name", "id")
    offices: dict[int, dict] = {}
    for case in rows[:SCHEDULE_LIMIT]:
        case.days_overdue = (day - case.next_report_due).days
        offices.setdefault(case.justice_office_id, {"office": case.justice_office, "cases": []})[
            "cases"
        ].append(case)
    return list(offices.values())


@login_required
def schedule(request):
    _may_read_schedule(request.user)
    filters = params.parse(request.GET, SCHEDULE_FILTERS)
    today = office_today()
    monday = monday_of(filters["week"] or today)
    week = schedule_week(
        user=request.user, monday=monday, today=today, office=filters["office"], officer=filters["officer"]
    )
    list_read_record(
        user=request.user,
        target_type="workspace.schedule",
        filters={"week": monday, "office": filters["office"], "officer": week["officer"]},
        ip_address=client_ip(request),
    )
    return render(
        request,
        "workspace/schedule.html",
        {
            **week,
            **filter_choices(request.user),
            "today": today,
            "filters": filters,
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "this_week": monday_of(today),
            "is_supervisor": request.user.role == Role.JUSTICE_SUPERVISOR,
            "all": ALL,
        },
    )


@login_required
def schedule_sign_in(request):
    _may_read_schedule(request.user)
    filters = params.parse(request.GET, SIGN_IN_FILTERS)
    today = office_today()
    day = filters["date"] or today
    if day < today - dt.timedelta(days=366):
        raise ValidationError({"date": [_("Give a day within the last year.")]})
    offices = sign_in_sheet(user=request.user, day=day, today=today, office=filters["office"])
    list_read_record(
        user=request.user,
        target_type="workspace.sign_in_sheet",
        filters={"date": day, "office": filters["office"]},
        ip_address=client_ip(request),
    )
    return render(
        request,
        "workspace/sign_in_sheet.html",
        {
            "day": day,
            "today": today,
            "sheets": offices,
            "filters": filters,
            **filter_choices(request.user),
            "is_supervisor": request.user.role == Role.JUSTICE_SUPERVISOR,
        },
    )
