from django import forms
from django.utils.translation import gettext_lazy as _

from config.office_time import office_now, office_today

from .constants import CheckInKind, MeasureKind


class CheckInForm(forms.Form):
    """The case page's quick log. Field names are the API's (docs/api.md#pages-people-bookmark)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CheckInKind.choices, initial=CheckInKind.IN_PERSON)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    hours = forms.DecimalField(label=_("Hours"), required=False, max_digits=4, decimal_places=1, min_value=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # Defaults to now, in the office's time zone (the field shows local time).
            self.initial["occurred_at"] = office_now().replace(second=0, microsecond=0)


class _DateInput(forms.DateInput):
    input_type = "date"


class LeaveRequestForm(forms.Form):
    """The case page's leave request. Fields are not required here: the service says what is missing,
    in its own words, and the page shows that message by the field."""

    destination = forms.CharField(label=_("Destination"), required=False, max_length=200)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(label=_("First day"), widget=_DateInput(format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("Last day"), widget=_DateInput(format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "leave")
        super().__init__(*args, **kwargs)


class MeasureProposalForm(forms.Form):
    """The case page's proposal of an admonition or a warning (decided by a bureau supervisor)."""

    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices, initial=MeasureKind.ADMONITION)
    occurred_on = forms.DateField(label=_("Day of the breach"), widget=_DateInput(format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("The breach"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "measure")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["occurred_on"] = office_today()
