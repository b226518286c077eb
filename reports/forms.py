"""Forms of the reports pages: they parse input; the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .ledger import MAX_BYTES

ALLOWED_SUFFIXES = (".xlsx", ".csv")


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Ledger file (.xlsx or .csv)"),
        help_text=_("One row per case; the first row holds the column headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 10 MB; split the ledger into several files.")
            )
        return upload


class LedgerConfirmForm(forms.Form):
    sha256 = forms.CharField(max_length=64, min_length=64, widget=forms.HiddenInput)
