from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import CheckInKind


class CheckInForm(forms.Form):
    """The case page's quick log. Field names are the API's (API.md "Pages people bookmark")."""

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
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
