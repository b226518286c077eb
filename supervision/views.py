"""Pages of daily supervision. Views translate: parse, call one service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.constants import Role
from config.api import StateConflict
from corrections.constants import Status
from corrections.scoping import can_edit_case
from corrections.selectors import supervisee_get
from corrections.views import render_case_page

from .forms import CheckInForm
from .services.checkins import SOCIAL_WORKER_KINDS, checkin_record


def checkin_panel(request, supervisee, bound: CheckInForm | None):
    """The quick-log form on the case page, for those who may record on this case."""
    social_worker = request.user.role == Role.SOCIAL_WORKER
    if (
        not (can_edit_case(request.user, supervisee) or social_worker)
        or supervisee.status != Status.UNDER_SUPERVISION
    ):
        return None
    form = bound or CheckInForm()
    if social_worker:
        form.fields["kind"].choices = [c for c in form.fields["kind"].choices if c[0] in SOCIAL_WORKER_KINDS]
    return {"template": "supervision/_checkin_form.html", "form": form, "supervisee": supervisee}


@login_required
@require_POST
def checkin_create(request, pk: int):
    supervisee = supervisee_get(user=request.user, pk=pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            checkin = checkin_record(
                supervisee=supervisee,
                by=request.user,
                kind=data["kind"],
                at=data["occurred_at"],
                notes=data["notes"],
                hours=data["hours"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except StateConflict as error:
            form.add_error(None, error.message)
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("Recorded: %(kind)s.") % {"kind": checkin.get_kind_display()})
            return redirect(reverse("supervisee-detail", args=[supervisee.pk]) + f"#checkin-{checkin.pk}")
    return render_case_page(request, supervisee, bound={"checkin": form}, status=400)
