from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentCorrectionForm(forms.Form):
    """The reason for a corrected document; the service says when it is missing."""

    reason = forms.CharField(
        label=_("What the correction corrects"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
