"""The registration page (`/supervisees/new/`): a justice officer registers a case for their own office, a
bureau supervisor for one of the district's offices, optionally naming its officer. Every other role
gets 403.

Views translate: the form parses, `supervisee_register` decides everything (the ID number, duplicates,
the period rules) in one transaction, and its refusal comes back by the fields it names, with a summary
above the form (400); nothing is saved unless all is valid. The period is computed by
corrections.periods, never here: on "Compute the period" (the page without a script) the page comes
back with it; with the script (static/js/app.js) `supervisee_period` answers it as JSON while the
officer types. Neither saves anything.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.forms import run_service
from corrections.forms import RegistrationForm
from corrections.periods import Period
from corrections.scoping import EDITING_ROLES
from corrections.services import supervisee_register

# The submit button that asks for the period only (its name and value on the page).
ACTION = "action"
COMPUTE_PERIOD = "period"


def _check_may_register(user) -> None:
    # The roles that change cases register them (corrections.scoping); the service checks it again.
    if user.role not in EDITING_ROLES or not user.agency_id:
        raise PermissionDenied(_("Only correction officers and bureau supervisors register cases."))


def _period_errors(form: RegistrationForm) -> list[dict]:
    """Why the terms give no period: each field at fault with its label and messages."""
    return [
        {"field": name, "label": str(form.fields[name].label), "messages": list(messages_)}
        for name, messages_ in form.errors.items()
        if name in form.fields
    ]


def _render(request, form: RegistrationForm, *, period: Period | None, previewed=False, status: int = 200):
    return render(
        request,
        "workspace/supervisee_new.html",
        {
            "form": form,
            "period": period,
            "period_errors": _period_errors(form) if previewed else [],
            "errors": form.error_summary() if form.is_bound else [],
            "compute_period": COMPUTE_PERIOD,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervisee_new(request):
    _check_may_register(request.user)
    if request.method == "GET":
        return _render(request, RegistrationForm(user=request.user), period=None)
    form = RegistrationForm(request.POST, user=request.user)
    if request.POST.get(ACTION) == COMPUTE_PERIOD:
        return _render(request, form, period=form.period_preview(), previewed=True)

    def register(data):
        try:
            return supervisee_register(by=request.user, **form.service_arguments())
        except ValidationError as error:
            raise form.refusal(error) from error

    supervisee, status = run_service(form, register)
    if supervisee is None:
        # What was typed comes back, with the period too where the terms give one.
        return _render(request, form, period=form.period(), status=status)
    messages.success(
        request,
        _("%(name)s is registered (case %(case_number)s) and awaits the first report.")
        % {"name": supervisee.name, "case_number": supervisee.case_number},
    )
    return redirect(reverse("supervisee-detail", args=[supervisee.pk]))


@login_required
@require_POST
def supervisee_period(request):
    """The period of the terms typed so far, for the page's script: `{start_date, end_date, rule,
    explanation, html}`, or 400 `{errors: [{field, label, messages}], html}` naming the fields at fault;
    `html` is the page's period box (workspace/_period.html), rendered as on the page."""
    _check_may_register(request.user)
    form = RegistrationForm(request.POST, user=request.user)
    period = form.period_preview()
    errors = [] if period else _period_errors(form)
    html = render_to_string(
        "workspace/_period.html", {"period": period, "period_errors": errors}, request=request
    )
    if period is None:
        return JsonResponse({"errors": errors, "html": html}, status=400)
    return JsonResponse(
        {
            "start_date": period.start_date.isoformat(),
            "end_date": period.end_date.isoformat() if period.end_date else None,
            "rule": period.rule,
            "explanation": str(period.explanation),
            "html": html,
        }
    )
