from django import forms
from django.utils.translation import gettext_lazy as _

from config.office_time import office_today

from .constants import ActivityKind, NeedKind, ParticipationOutcome, ProviderKind


class _DateInput(forms.DateInput):
    input_type = "date"


class ActivityForm(forms.Form):
    """The activity's own fields on the group-session page; the participants and their results are rows
    of the same form (`participants`, `hours-<id>`, `outcome-<id>`), read by the view. Field names are
    the API's. Not required here beyond their type: the service says what is missing, in its words."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActivityKind.choices, initial=ActivityKind.GROUP_EDUCATION
    )
    date = forms.DateField(label=_("Date"), widget=_DateInput(format="%Y-%m-%d"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1, min_value=0)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    provider = forms.TypedChoiceField(label=_("Provider"), required=False, coerce=int, empty_value=None)
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—"), *((p.pk, p.name) for p in providers)]
        if not self.is_bound:
            self.initial["date"] = office_today()


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name of the provider"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProviderKind.choices)
    offers = forms.MultipleChoiceField(
        label=_("Offers"), choices=ActivityKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    contact = forms.CharField(label=_("Contact"), required=False, max_length=200)


OUTCOME_CHOICES = ParticipationOutcome.choices


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Need"), choices=NeedKind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class NeedMatchForm(forms.Form):
    provider = forms.TypedChoiceField(label=_("Provider"), coerce=int)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.pk, p.name) for p in providers]


class NeedCloseForm(forms.Form):
    met = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Met")), ("no", _("Closed unmet"))],
        coerce=lambda value: value == "yes",
    )
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=500)
