"""`/settings/reminders/`: each user chooses which reminders (workspace.reminders) reach them by e-mail."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.constants import Role
from accounts.permissions import RoleRule, role_required

from .models import ReminderKind
from .reminders import LEAD_DAYS, mail_configured, reminder_preference_get, reminder_preference_update

# Every role may choose for itself; a user without a role (the site's administrator) has no reminders.
CHOOSE_REMINDERS = RoleRule(
    frozenset(Role.values),
    gettext_lazy("Only users with a role in the office receive reminders."),
    city_level=True,
)


class ReminderPreferenceForm(forms.Form):
    intake_deadline = forms.BooleanField(required=False, label=ReminderKind.INTAKE_DEADLINE.label)
    period_end = forms.BooleanField(required=False, label=ReminderKind.PERIOD_END.label)
    referral_due = forms.BooleanField(required=False, label=ReminderKind.REFERRAL_DUE.label)


def _render(request, form, status=200):
    return render(
        request,
        "workspace/reminder_settings.html",
        {
            "form": form,
            "lead_days": [(ReminderKind(kind).label, days) for kind, days in LEAD_DAYS.items()],
            "mail_configured": mail_configured(),
            "has_email": bool(request.user.email),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    if request.method == "POST":
        return reminder_settings_save(request)
    preference = reminder_preference_get(user=request.user)
    form = ReminderPreferenceForm(initial={kind: getattr(preference, kind) for kind in ReminderKind.values})
    return _render(request, form)


@role_required(CHOOSE_REMINDERS)
def reminder_settings_save(request):
    form = ReminderPreferenceForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    reminder_preference_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your reminder settings are saved."))
    return redirect("reminder-settings")
