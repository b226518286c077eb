"""Forms of the case pages: the correction team (CCL 25), the moves of the lifecycle and the commission's
arrival dates (CCL 20). Fields are mostly not required: the service
says what is missing, in its own words, and the page shows that message by the field."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.constants import Role
from accounts.models import User
from config.office_time import office_today

from .constants import CustodyGround, ExitReason, Gender, Status
from .intake import INTAKE_CHECKLIST
from .models import Supervisee, TeamRole


class _DateInput(forms.DateInput):
    input_type = "date"


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.get_role_display()})"


def team_accounts(supervisee: Supervisee):
    """Accounts that may join this case's team: officers of its office, social workers of its district
    (the service checks the same, teams._account_errors)."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.JUSTICE_OFFICER, agency_id=supervisee.justice_office_id)
            | Q(role=Role.SOCIAL_WORKER, agency__district_id=supervisee.justice_office.district_id)
        )
        .order_by("role", "last_name", "first_name", "username")
    )


class TeamMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices, initial=TeamRole.FAMILY)
    user = AccountChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No account (family, committee, employer…)"),
        help_text=_("Officers, social workers and volunteers join with their account."),
    )
    name = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices])
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=_DateInput(format="%Y-%m-%d"))
    versed_in_minors = forms.BooleanField(label=_("Versed in minors' needs"), required=False)

    def __init__(self, *args, supervisee: Supervisee, **kwargs):
        kwargs.setdefault("prefix", "team")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = team_accounts(supervisee)
        if not self.is_bound:
            self.initial["joined_on"] = office_today()


# --- the case's lifecycle (workspace.lifecycle): one small form per move, posted to
# /supervisees/{id}/transition/ with the API's names (`to`, `date`, `reason`; `ground` for custody,
# `checklist_<item>` for the intake's checklist, as the registration page prefixes the sentence's fields
# with `sentence_`). Nothing is required here beyond the date the service needs: the service says what
# is missing, in its own words, and the page shows it by the field.


class TransitionForm(forms.Form):
    """A move with its date and an optional note (absconding, return, death, transfer...)."""

    to = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    date = forms.DateField(
        label=pgettext_lazy("case lifecycle", "Date"), widget=_DateInput(format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=pgettext_lazy("case lifecycle", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, code: str, to: str, date_label=None, **kwargs):
        # Several of these forms share the page: their ids are prefixed with the move's code
        # (`release-date`), their names stay the API's.
        kwargs.setdefault("auto_id", f"{code}-%s")
        super().__init__(*args, **kwargs)
        if date_label:
            self.fields["date"].label = date_label
        if not self.is_bound:
            self.initial.update(to=to, date=office_today())

    def confirmation_values(self) -> list[tuple[str, str]]:
        """The cleaned values as the hidden fields of the confirmation step (names and text)."""
        values = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                value = "on" if value else ""
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            if value not in (None, ""):
                values.append((name, str(value)))
        return values


class ExitReasonForm(TransitionForm):
    """An exit that names its reason among `reasons` (release: expired or pardoned; termination on
    revocation), carried in `reason` as the API does."""

    reason = forms.ChoiceField(label=_("Reason"), choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [(code, ExitReason(code).label) for code in reasons]
        if not self.is_bound and reasons:
            self.initial["reason"] = reasons[0]


class CustodyForm(TransitionForm):
    """Custody, with its ground (CCL 32) and the day it began."""

    ground = forms.ChoiceField(
        label=pgettext_lazy("custody", "Ground"),
        choices=[("", "—"), *CustodyGround.choices],
        required=True,
        error_messages={"required": _("Choose the ground of custody.")},
    )
    field_order = ["to", "ground", "date", "reason"]


class IntakeForm(TransitionForm):
    """Intake (CCL 21, 22): the day the person reported, and the checklist, one box per item, each with
    where it comes from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in INTAKE_CHECKLIST:
            self.fields[f"checklist_{item.code}"] = forms.BooleanField(
                label=item.label, required=False, help_text=item.basis
            )
        self.order_fields(["to", "date", *(f"checklist_{item.code}" for item in INTAKE_CHECKLIST), "reason"])

    @property
    def checklist(self) -> dict[str, bool]:
        return {
            item.code: self.cleaned_data.get(f"checklist_{item.code}") is True for item in INTAKE_CHECKLIST
        }

    def checklist_fields(self):
        return [self[f"checklist_{item.code}"] for item in INTAKE_CHECKLIST]


class CommissionForm(forms.Form):
    """The days the deciding agency's notice and legal documents arrived (CCL 20), named as the sentence's
    fields with the prefix `sentence_`. An empty field clears a date recorded by mistake."""

    sentence_notice_received_date = forms.DateField(
        label=_("Notice received on"), required=False, widget=_DateInput(format="%Y-%m-%d")
    )
    sentence_documents_received_date = forms.DateField(
        label=_("Legal documents received on"), required=False, widget=_DateInput(format="%Y-%m-%d")
    )

    def __init__(self, *args, sentence=None, **kwargs):
        kwargs.setdefault("auto_id", "commission-%s")
        super().__init__(*args, **kwargs)
        if not self.is_bound and sentence is not None:
            self.initial.update(
                sentence_notice_received_date=sentence.notice_received_date,
                sentence_documents_received_date=sentence.documents_received_date,
            )
