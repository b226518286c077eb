"""The signed-in user's day (`/`): the cases by status; an officer's reports due today or overdue; a
supervisor's office-by-status table, caseloads and overdue reports, and the cases whose notice or
documents from the deciding agency are overdue (CCL 20); the alerts and decisions waiting;
the referral inbox, the answers received lately, and the procuratorate's oversight exceptions.

Each block runs a fixed number of queries whatever the number of cases (the page's count is pinned in
tests/workspace/test_dashboard.py)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from accounts.constants import Role
from accounts.models import Agency, District, User
from community.duties import previous_month, short_of_hours
from config.office_time import office_today
from coordination.constants import OPEN_REFERRAL_STATUSES
from coordination.oversight import EXCEPTION_CODES, oversight_exception_list
from coordination.selectors import referral_list
from coordination.services import ACTING_ROLES
from coordination.views import EXCEPTION_LABELS, with_countdown
from corrections import selectors
from corrections.commission import commission_clocks, commission_overdue_condition
from corrections.constants import EXIT_STATUSES, Status
from corrections.models import Supervisee
from corrections.scoping import EDITING_ROLES
from documents.selectors import notice_list
from documents.services import RECEIVING_ROLES
from supervision.constants import LeaveStatus, MeasureStatus, PositioningStatus
from supervision.duties import with_next_report_due
from supervision.selectors import alert_list, leave_request_list, measure_list, positioning_order_list
from supervision.views import NEEDING_ACTION

# How many cases due or overdue a report the officer's dashboard lists (the caseload has the rest).
DUE_ON_DASHBOARD = 50
LEAVE_ON_DASHBOARD = 10
INBOX_ON_DASHBOARD = 20
NOTICES_ON_DASHBOARD = 10
COMMISSION_ON_DASHBOARD = 50
HOURS_SHORT_ON_DASHBOARD = 50
# "Answered recently" on an officer's dashboard: accepted, rejected or completed in these many days.
RECENT_DAYS = 14


def _officer_block(visible, today: dt.date) -> dict:
    """One query: the office's cases whose next report (supervision.duties) is due today or overdue,
    the most overdue first. Only a case under supervision has a report due (the duty is null for the
    others), so the office's cases are read through the (office, status) index and the duty's subqueries
    run for those under supervision only."""
    rows = list(
        with_next_report_due(
            visible.prefetch_related(None).filter(status=Status.UNDER_SUPERVISION).select_related("officer"),
            on=today,
        )
        .filter(next_report_due__lte=today)
        .order_by("next_report_due", "name", "id")[: DUE_ON_DASHBOARD + 1]
    )
    for row in rows:
        row.days_overdue = (today - row.next_report_due).days
    return {"must_report": rows[:DUE_ON_DASHBOARD], "more_must_report": len(rows) > DUE_ON_DASHBOARD}


OFFICER_FIELDS = ("officer_id", "officer__username", "officer__first_name", "officer__last_name")


def _supervisor_counts(visible, today: dt.date, *, city_level: bool) -> list[dict]:
    """One aggregate query for the whole supervisor's page: the cases by office (a city bureau: by
    district), officer and status, with the reports overdue among them. The tiles, the office-by-status
    table and the officers' caseloads are sums of these rows (three scans of the scope before, each over
    every case in it; issue 14). A city bureau's rows are by district and status only: it does not
    balance officers' caseloads.

    The aggregate groups by ids alone; the names of the offices (districts) and of the officers are read
    after it, one query each, for the few dozen offices and the officers found (grouping by the names
    joined every case in scope to its office and officer, and compared the names' text for each case)."""
    unit = "justice_office__district" if city_level else "justice_office"
    fields = (f"{unit}_id", "status", *(() if city_level else ("officer_id",)))
    grouped = list(
        with_next_report_due(visible.prefetch_related(None), on=today)
        .order_by()
        .values(*fields)
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(next_report_due__lt=today)))
    )
    units = District.objects if city_level else Agency.objects
    names = dict(units.filter(pk__in={row[f"{unit}_id"] for row in grouped}).values_list("pk", "name"))
    for row in grouped:
        row[f"{unit}__name"] = names.get(row[f"{unit}_id"])
    if not city_level:
        officers = {
            pk: (username, first_name, last_name)
            for pk, username, first_name, last_name in User.objects.filter(
                pk__in={row["officer_id"] for row in grouped if row["officer_id"] is not None}
            ).values_list("pk", "username", "first_name", "last_name")
        }
        for row in grouped:
            username, first_name, last_name = officers.get(row["officer_id"], (None, None, None))
            row.update(
                officer__username=username, officer__first_name=first_name, officer__last_name=last_name
            )
    return grouped


def _supervisor_block(grouped: list[dict], by_status: dict, *, city_level: bool = False) -> dict:
    """The office-by-status table, the overdue reports and the officers' open caseloads, summed from
    `_supervisor_counts` (no query)."""
    unit = "justice_office__district" if city_level else "justice_office"
    # `Status.values` builds its list on each read: read once, not once per row (a district has a
    # thousand rows: office, officer and status).
    statuses = Status.values
    offices: dict[int, dict] = {}
    for row in grouped:
        office = offices.get(row[f"{unit}_id"])
        if office is None:
            office = offices[row[f"{unit}_id"]] = {
                "name": row[f"{unit}__name"],
                "by_status": dict.fromkeys(statuses, 0),
                "overdue": 0,
            }
        office["by_status"][row["status"]] += row["n"]
        office["overdue"] += row["overdue"]
    office_rows = sorted(offices.values(), key=lambda o: o["name"])
    for office in office_rows:
        office["cells"] = [office["by_status"][code] for code in statuses]
    totals = {
        "offices": office_rows,
        "by_district": city_level,
        "statuses": [Status(code) for code in statuses],
        "overdue_total": sum(o["overdue"] for o in office_rows),
        "absconded": by_status.get(Status.ABSCONDED, 0),
    }
    if city_level:
        # Officers' caseloads are each district bureau's to balance; the city reads the districts.
        return {**totals, "caseloads": None}
    # Each officer's open caseload by the case's office (cases with no officer are counted apart).
    caseloads: dict[tuple, dict] = {}
    for row in grouped:
        if row["status"] in EXIT_STATUSES:
            continue
        key = (row["justice_office__name"], row["officer_id"])
        caseload = caseloads.get(key)
        if caseload is None:
            caseload = caseloads[key] = {
                **{name: row[name] for name in OFFICER_FIELDS},
                "justice_office__name": key[0],
                "n": 0,
            }
        caseload["n"] += row["n"]
    ordered = sorted(
        caseloads.values(),
        key=lambda row: (row["justice_office__name"], -row["n"], row["officer__username"] or ""),
    )
    return {
        **totals,
        "caseloads": [
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
            for row in ordered
        ],
    }


def _commission_overdue(visible, today: dt.date) -> dict:
    """Two queries: the open cases whose notice or legal documents from the deciding agency are overdue
    (CCL 20: 5 and 10 days from the decision taking effect; corrections.commission), the latest
    decisions first: those are the ones a call to the deciding agency still helps, where the oldest are
    mostly records never completed.

    First the ids and effective dates of every such case in scope (a few hundred in a district of
    15,000): each case's sentence is checked in the small index of sentences still awaiting a notice or
    documents (`sentence_commission_awaited`), never read. Then the fifty latest, by id. One query with
    ORDER BY and LIMIT let PostgreSQL walk every sentence in the country by effective date, hoping to
    meet the scope's fifty early (issue 14)."""
    found = list(
        visible.prefetch_related(None)
        .exclude(status__in=EXIT_STATUSES)
        .filter(commission_overdue_condition(today))
        .order_by()
        .values_list("sentence__effective_date", "pk")
    )
    # The order of the list: the latest decision first, then the highest id.
    found.sort(reverse=True)
    latest = [pk for _effective, pk in found[:COMMISSION_ON_DASHBOARD]]
    # The ids come from the scoped query above; the rows are read by id.
    rows = list(
        Supervisee.objects.filter(pk__in=latest)
        .select_related("justice_office", "sentence__deciding_agency")
        .order_by("-sentence__effective_date", "-id")
    )
    for row in rows:
        sentence = row.sentence
        row.clocks = [
            clock
            for clock in commission_clocks(
                effective_date=sentence.effective_date,
                notice_received_date=sentence.notice_received_date,
                documents_received_date=sentence.documents_received_date,
                today=today,
            )
            if clock.state == "overdue"
        ]
    return {
        "commission_overdue": rows,
        "more_commission_overdue": len(found) > COMMISSION_ON_DASHBOARD,
    }


def supervision_panel(request, today: dt.date) -> dict | None:
    """Alerts and decisions waiting, for the justice roles; nothing for the others."""
    user = request.user
    if user.role not in EDITING_ROLES:
        return None
    open_alerts = alert_list(user=user).filter(status__in=NEEDING_ACTION).count()
    if user.is_city_level:
        # A city bureau decides nothing of its districts' cases (docs/roles.md#the-city-level: no leave,
        # measure or positioning decision is its, and it has no approvals page): it reads the districts'
        # open alerts, not counts of decisions it cannot take.
        return {
            "template": "supervision/_dashboard_panel.html",
            "open_alerts": open_alerts,
            "city_level": True,
        }
    pending_leave = leave_request_list(user=user, filters={"status": LeaveStatus.PENDING})
    return {
        "template": "supervision/_dashboard_panel.html",
        "open_alerts": open_alerts,
        "pending_leave_count": pending_leave.count(),
        "pending_leave": list(
            pending_leave.select_related("supervisee").order_by("start_date", "id")[:LEAVE_ON_DASHBOARD]
        ),
        "proposed_measures": measure_list(user=user, filters={"status": MeasureStatus.PROPOSED}).count(),
        # Electronic positioning is decided by the bureau's supervisors (CCL 29): only they count it.
        "proposed_positioning": (
            positioning_order_list(user=user, filters={"status": PositioningStatus.PROPOSED}).count()
            if user.role == Role.JUSTICE_SUPERVISOR
            else None
        ),
        "is_supervisor": user.role == Role.JUSTICE_SUPERVISOR,
    }


def referral_panel(request, today: dt.date) -> dict | None:
    """The referral inbox with its due dates (every agency that acts on referrals); for an officer, the
    answers received lately; for the procuratorate, the oversight exceptions by kind."""
    user = request.user
    if user.role not in ACTING_ROLES:
        return None
    inbox = referral_list(user=user, filters={"box": "inbox"})
    waiting = list(
        inbox.filter(status__in=sorted(OPEN_REFERRAL_STATUSES))
        .prefetch_related(None)
        .select_related("supervisee")
        .order_by("due_date", "id")[: INBOX_ON_DASHBOARD + 1]
    )
    panel = {
        "template": "coordination/_dashboard_panel.html",
        "inbox": with_countdown(waiting[:INBOX_ON_DASHBOARD], today),
        "more_inbox": len(waiting) > INBOX_ON_DASHBOARD,
    }
    if user.role == Role.JUSTICE_OFFICER:
        since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
        panel["answered"] = list(
            referral_list(user=user, filters={"box": "outbox"})
            .filter(answered_at__gte=since)
            .prefetch_related(None)
            .select_related("supervisee")
            .order_by("-answered_at", "-id")[:INBOX_ON_DASHBOARD]
        )
    if user.role == Role.PROCURATORATE:
        found = oversight_exception_list(user=user, today=today)
        panel["exceptions"] = [
            (code, EXCEPTION_LABELS[code], sum(1 for item in found if item["code"] == code))
            for code in EXCEPTION_CODES
        ]
    return panel


def notices_panel(request, today: dt.date) -> dict | None:
    """The notices sent to the caller's agency that await their receipt (回执), oldest first."""
    user = request.user
    if user.role not in RECEIVING_ROLES:
        return None
    waiting = notice_list(user=user, filters={"box": "inbox", "received": False})
    rows = list(waiting.order_by("sent_at", "id")[: NOTICES_ON_DASHBOARD + 1])
    more = len(rows) > NOTICES_ON_DASHBOARD
    return {
        "template": "documents/_dashboard_panel.html",
        "waiting": rows[:NOTICES_ON_DASHBOARD],
        "more": more,
        "count": waiting.count() if more else len(rows),
    }


@login_required
def dashboard(request):
    user, today = request.user, office_today()
    visible = selectors.supervisee_list(user=user)
    grouped = None
    if user.role == Role.JUSTICE_SUPERVISOR:
        # The tiles are sums of the supervisor's one aggregate query.
        grouped = _supervisor_counts(visible, today, city_level=user.is_city_level)
        by_status: dict[str, int] = {}
        for row in grouped:
            by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
    else:
        by_status = dict(visible.order_by().values_list("status").annotate(n=Count("id")))
    context = {
        "counts": [(Status(code), by_status.get(code, 0)) for code in Status.values],
        "total": sum(by_status.values()),
        "today": today,
        # Those who change cases register them (workspace.registration).
        "can_register": user.role in EDITING_ROLES and not user.is_city_level,
    }
    if user.role == Role.JUSTICE_OFFICER:
        context.update(_officer_block(visible, today))
        # Last month's study and community-service hours that fell short (community.duties).
        context["hours_short"] = short_of_hours(visible, day=today, limit=HOURS_SHORT_ON_DASHBOARD)
        context["hours_month"] = previous_month(today)[0]
    elif user.role == Role.JUSTICE_SUPERVISOR:
        context.update(_supervisor_block(grouped, by_status, city_level=user.is_city_level))
        context.update(_commission_overdue(visible, today))
    # The justice roles work from their cases first; the agencies outside the justice system from their
    # referral inbox, which then comes first, and the notices sent to them next.
    supervision = supervision_panel(request, today)
    panels = [supervision, referral_panel(request, today), notices_panel(request, today)]
    if user.role not in EDITING_ROLES:
        panels = [*panels[1:], supervision]
    context["panels"] = [panel for panel in panels if panel is not None]
    return render(request, "workspace/dashboard.html", context)
