"""The printable case summary (`/supervisees/{id}/summary/`): the case on paper for a file or a
meeting: the person, the sentence and its period, the duties and their due days, the team and the
latest events. Read through the same scope as the case page (out of scope is 404) and audited as a read
of the case; the social worker does not see the ID number or the crime, the police and the court see the
ID number as the case page shows it (corrections.scoping.id_number_for)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.receivers import client_ip
from config.office_time import office_today
from corrections import selectors, services
from corrections.constants import Status
from corrections.intake import intake_deadline
from corrections.scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, id_number_for
from corrections.teams import team_member_list
from supervision.duties import next_report_due, report_urgency, with_next_home_visit_due

from .timeline import timeline_for

# The latest events printed; the case page has the whole timeline.
EVENTS_ON_SUMMARY = 30


@login_required
def supervisee_summary(request, pk: int):
    supervisee = selectors.supervisee_get(user=request.user, pk=pk)
    services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
    today = office_today()
    sentence = supervisee.sentence
    report_due = next_report_due(supervisee, on=today)
    visit_due = (
        with_next_home_visit_due(type(supervisee).objects.filter(pk=supervisee.pk), on=today)
        .values_list("next_home_visit_due", flat=True)
        .first()
    )
    intake_due = (
        intake_deadline(
            category=sentence.category,
            effective_date=sentence.effective_date,
            release_date=sentence.release_date,
        )
        if supervisee.status == Status.PENDING_REPORT
        else None
    )
    return render(
        request,
        "workspace/supervisee_summary.html",
        {
            "supervisee": supervisee,
            "sentence": sentence,
            "today": today,
            "hide_sensitive": request.user.role in ROLES_WITHOUT_SENSITIVE_FIELDS,
            "id_number": id_number_for(request.user, supervisee),
            "next_report_due": report_due,
            "report_urgency": report_urgency(report_due, today=today),
            "next_home_visit_due": visit_due,
            "intake_deadline": intake_due,
            "members": list(team_member_list(supervisee=supervisee)),
            "timeline": timeline_for(supervisee, limit=EVENTS_ON_SUMMARY, user=request.user),
        },
    )
