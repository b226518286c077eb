"""An officer's morning digest (`/digest/`): on one page, what the day asks of them: who reports today,
who is overdue, whose leave ends (they are due back), the referrals answered since yesterday, the
notices waiting for the office's receipt, and the reminders of the deadlines ahead (workspace.reminders:
the same list the e-mail reminders are drawn from).

An officer reads their own cases; a supervisor the district's. Every date is the rule's own: the
report due day is `supervision.duties`', the intake deadline `corrections.intake`'s."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config.office_time import office_today, start_of_day
from coordination.selectors import referral_list
from corrections import selectors
from corrections.constants import Status
from corrections.scoping import EDITING_ROLES
from documents.selectors import notice_list
from supervision.constants import LeaveStatus
from supervision.duties import with_next_report_due
from supervision.selectors import leave_request_list

from .reminders import reminders_for

ON_DIGEST = 50
# Leave "ending" on the digest: its last day is today or within these days (the person is due back).
LEAVE_ENDING_DAYS = 2


def morning_digest(*, user, today: dt.date) -> dict:
    """The digest's lists, each at most ON_DIGEST long; a fixed number of queries."""
    cases = selectors.supervisee_list(user=user).prefetch_related(None)
    if user.role == Role.JUSTICE_OFFICER:
        cases = cases.filter(officer=user)
    due = list(
        with_next_report_due(cases.filter(status=Status.UNDER_SUPERVISION), on=today)
        .filter(next_report_due__lte=today)
        .order_by("next_report_due", "name", "id")[: ON_DIGEST * 2]
    )
    for case in due:
        case.days_overdue = (today - case.next_report_due).days
    leave = leave_request_list(user=user, filters={"status": LeaveStatus.APPROVED}).filter(
        end_date__range=(today, today + dt.timedelta(days=LEAVE_ENDING_DAYS)),
        supervisee__in=cases.values("pk"),
    )
    since = start_of_day(today - dt.timedelta(days=1))
    answered = (
        referral_list(user=user, filters={"box": "outbox"})
        .filter(answered_at__gte=since)
        .prefetch_related(None)
        .select_related("supervisee", "to_agency")
        .order_by("-answered_at", "-id")
    )
    notices = notice_list(user=user, filters={"box": "inbox", "received": False}).order_by("sent_at", "id")
    return {
        "due_today": [case for case in due if case.days_overdue == 0][:ON_DIGEST],
        "overdue": [case for case in due if case.days_overdue > 0][:ON_DIGEST],
        "leave_ending": list(leave.select_related("supervisee").order_by("end_date", "id")[:ON_DIGEST]),
        "answered": list(answered[:ON_DIGEST]),
        "notices": list(notices[:ON_DIGEST]),
        "reminders": reminders_for(user=user, today=today)[:ON_DIGEST],
    }


@login_required
def digest(request):
    if request.user.role not in EDITING_ROLES:
        raise PermissionDenied(_("Your role has no morning digest."))
    today = office_today()
    context = morning_digest(user=request.user, today=today)
    list_read_record(
        user=request.user,
        target_type="workspace.digest",
        filters={"date": today},
        ip_address=client_ip(request),
    )
    return render(request, "workspace/digest.html", {**context, "today": today})
