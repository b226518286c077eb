"""The pages of social forces: the activities of the reader's cases, the page that records a group
session with many participants at once, and the district's providers. Views translate: parse, call one
selector or service, render. A role that may never record gets 403 first (`role_required`)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import role_required
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config.forms import run_service
from corrections import law

from .constants import ParticipationOutcome
from .forms import OUTCOME_CHOICES, ActivityForm, ProviderForm
from .selectors import activity_list, provider_list, recordable_cases
from .services import MANAGE_PROVIDERS, RECORD_ACTIVITIES, Result, activity_record, provider_create

ON_PAGE = 50
# The group-session page lists at most this many cases; a search narrows it.
CASES_ON_FORM = 300


@login_required
def activity_list_page(request):
    activities = list(activity_list(user=request.user)[:ON_PAGE])
    list_read_record(
        user=request.user,
        target_type="community.activity",
        filters={"page": "list"},
        ip_address=client_ip(request),
    )
    return render(
        request,
        "community/activity_list.html",
        {"activities": activities, "may_record": RECORD_ACTIVITIES.allows(request.user)},
    )


def _cases_for_form(request, query: str):
    cases = recordable_cases(request.user).select_related("justice_office")
    if query:
        cases = cases.filter(Q(name__icontains=query) | Q(case_number__icontains=query))
    return list(cases.order_by("is_minor", "name", "pk")[:CASES_ON_FORM])


def _render_form(request, *, form, query="", chosen=(), rows=None, status=200):
    cases = _cases_for_form(request, query)
    chosen = {int(pk) for pk in chosen}
    # Cases already chosen stay on the page whatever the search, so a search does not drop them.
    if chosen - {case.pk for case in cases}:
        extra = recordable_cases(request.user).filter(pk__in=chosen - {case.pk for case in cases})
        cases = [*extra, *cases]
    rows = rows or {}
    return render(
        request,
        "community/activity_form.html",
        {
            "form": form,
            "query": query,
            "cases": [
                {
                    "case": case,
                    "chosen": case.pk in chosen,
                    "hours": rows.get(case.pk, ("", ""))[0],
                    "outcome": rows.get(case.pk, ("", ParticipationOutcome.COMPLETED))[1],
                }
                for case in cases
            ],
            "outcomes": OUTCOME_CHOICES,
            "limit": CASES_ON_FORM,
            "minors_ref": law.MINORS_APART,
        },
        status=status,
    )


@login_required
def activity_new_page(request):
    """The form (GET); `q` narrows the list of the caller's cases by name or case number."""
    RECORD_ACTIVITIES.check(request.user)
    providers = provider_list(user=request.user, filters={"active": True})
    return _render_form(
        request, form=ActivityForm(providers=providers), query=request.GET.get("q", "").strip()[:50]
    )


@login_required
@require_POST
@role_required(RECORD_ACTIVITIES)
def activity_record_view(request):
    providers = list(provider_list(user=request.user, filters={"active": True}))
    form = ActivityForm(request.POST, providers=providers)
    chosen = []
    for value in request.POST.getlist("participants"):
        try:
            chosen.append(int(value))
        except ValueError:
            continue
    rows, results, row_error = {}, {}, None
    for pk in chosen:
        hours_text = request.POST.get(f"hours-{pk}", "").strip()
        outcome = request.POST.get(f"outcome-{pk}", ParticipationOutcome.COMPLETED)
        rows[pk] = (hours_text, outcome)
        try:
            hours = Decimal(hours_text) if hours_text else None
        except InvalidOperation:
            row_error = _("Give each participant's hours as a number, or leave it empty for the session's.")
            continue
        if hours is not None or outcome != ParticipationOutcome.COMPLETED:
            results[pk] = Result(hours=hours, outcome=outcome)
    query = request.POST.get("q", "")

    def call(data):
        if row_error:
            raise ValidationError({"results": [row_error]})
        provider = next((p for p in providers if p.pk == data.get("provider")), None)
        return activity_record(
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            hours=data["hours"],
            topic=data["topic"],
            participants=chosen,
            provider=provider,
            outcome=data["outcome"],
            results=results,
        )

    # A participant the caller does not see is 404 (Http404 from the service), as everywhere. The
    # participants' and results' refusals are not the form's fields: they show above the table.
    activity, status = run_service(form, call)
    if activity is None:
        return _render_form(request, form=form, query=query, chosen=chosen, rows=rows, status=status)
    messages.success(
        request,
        _("Recorded: %(topic)s, %(count)s participants.") % {"topic": activity.topic, "count": len(chosen)},
    )
    return redirect("activity-list")


@login_required
def provider_list_page(request):
    providers = list(provider_list(user=request.user))
    may_add = MANAGE_PROVIDERS.allows(request.user)
    return render(
        request,
        "community/provider_list.html",
        {"providers": providers, "form": ProviderForm() if may_add else None},
    )


@login_required
@require_POST
@role_required(MANAGE_PROVIDERS)
def provider_create_view(request):
    form = ProviderForm(request.POST)
    provider, status = run_service(
        form,
        lambda data: provider_create(
            by=request.user,
            name=data["name"],
            kind=data["kind"],
            offers=data["offers"],
            contact=data["contact"],
        ),
    )
    if provider is None:
        return render(
            request,
            "community/provider_list.html",
            {"providers": list(provider_list(user=request.user)), "form": form},
            status=status,
        )
    messages.success(request, _("Provider added: %(name)s.") % {"name": provider.name})
    return redirect("provider-list")
