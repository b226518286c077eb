"""Forms of the case pages: the correction team (CCL 25). Fields are mostly not required: the service
says what is missing, in its own words, and the page shows that message by the field."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.constants import Role
from accounts.models import User
from config.office_time import office_today

from .constants import Gender
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
