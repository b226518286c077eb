from django import forms
from django.utils.translation import gettext_lazy as _

from config.office_time import office_now, office_today

from .constants import CheckInKind, MeasureKind, MedicalConclusion, MedicalReportKind, PositioningGround


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


def _reason_choices(reasons) -> list[tuple[str, str]]:
    return [("", "—"), *((r.code, r.label) for r in reasons)]


class LeaveRequestForm(forms.Form):
    """The case page's leave request. Fields are not required here: the service says what is missing,
    in its own words (CCL 27: a proper reason, a destination outside the county of residence, asked ahead
    unless urgent), and the page shows that message by the field. `reasons`: the office's list in force
    (supervision.rules.leave_reasons_for)."""

    reason_code = forms.ChoiceField(label=_("Proper reason"), required=False)
    reason = forms.CharField(
        label=_("Details of the reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    destination = forms.CharField(label=_("Destination"), required=False, max_length=200)
    destination_code = forms.CharField(
        label=_("Destination's county-level division code"),
        required=False,
        max_length=6,
        help_text=_(
            "Six digits (GB/T 2260), e.g. 370102. Leave is needed only outside the city or county of "
            "residence."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    start_date = forms.DateField(label=_("First day"), widget=_DateInput(format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("Last day"), widget=_DateInput(format="%Y-%m-%d"))
    urgent = forms.BooleanField(label=_("Urgent: sooner than the notice days"), required=False)
    urgent_reason = forms.CharField(
        label=_("Why it is urgent"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, reasons=(), **kwargs):
        kwargs.setdefault("prefix", "leave")
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices(reasons)


class LeavePermitForm(forms.Form):
    """The case page's proposal of a standing cross-city permit (CCL 27 para. 1), approved by a bureau
    supervisor other than the proposer. Places are county-level division codes, separated by spaces or
    commas."""

    reason_code = forms.ChoiceField(label=_("Proper reason"), required=False)
    details = forms.CharField(
        label=_("What the frequent travel is for"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    places = forms.CharField(
        label=_("Places (county-level division codes)"),
        required=False,
        max_length=400,
        help_text=_("Separate the codes with spaces or commas, e.g. 370102, 370103."),
    )
    start_date = forms.DateField(label=_("First day of the permit"), widget=_DateInput(format="%Y-%m-%d"))
    end_date = forms.DateField(label=_("Last day of the permit"), widget=_DateInput(format="%Y-%m-%d"))

    def __init__(self, *args, reasons=(), **kwargs):
        kwargs.setdefault("prefix", "permit")
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = _reason_choices(reasons)

    def clean_places(self) -> list[str]:
        return [
            code for code in self.cleaned_data["places"].replace("，", ",").replace(",", " ").split() if code
        ]


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


class PositioningProposalForm(forms.Form):
    """The case page's proposal of electronic positioning (CCL 29), approved by a bureau supervisor. The
    service checks the ground, the three months and the rest, and says so by the field."""

    ground = forms.ChoiceField(label=_("Ground (CCL 29)"), choices=[("", "—"), *PositioningGround.choices])
    violation = forms.ChoiceField(
        label=_("Violation of a prohibition order (first ground)"),
        required=False,
        help_text=_("Record the violation against its prohibition order first; then choose it here."),
    )
    start_date = forms.DateField(label=_("First day of positioning"), widget=_DateInput(format="%Y-%m-%d"))
    end_date = forms.DateField(
        label=_("Last day of positioning"),
        widget=_DateInput(format="%Y-%m-%d"),
        help_text=_("At most three months (CCL 29): an order from 25 November may run until 24 February."),
    )
    reason = forms.CharField(
        label=_("Facts and assessment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, violations=(), **kwargs):
        kwargs.setdefault("prefix", "positioning")
        super().__init__(*args, **kwargs)
        self.fields["violation"].choices = [
            ("", "—"),
            *((str(v.pk), f"{v.occurred_on:%Y-%m-%d} · {v.prohibition.content}") for v in violations),
        ]
        if not self.is_bound:
            self.initial["start_date"] = office_today()


class PositioningExtensionForm(forms.Form):
    """Extend an approved order from the day after its last day, at most three months (CCL 29 para. 2)."""

    end_date = forms.DateField(label=_("Extended until"), widget=_DateInput(format="%Y-%m-%d"))
    reason = forms.CharField(
        label=_("Why it is still needed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PositioningEndForm(forms.Form):
    """End an order that is no longer needed (CCL 29 para. 2)."""

    reason = forms.CharField(
        label=_("Why it is no longer needed"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProhibitionViolationForm(forms.Form):
    """Record a violation against one of the case's prohibition orders, and propose a measure for it."""

    prohibition = forms.ChoiceField(label=_("Prohibition order"))
    occurred_on = forms.DateField(label=_("Day of the violation"), widget=_DateInput(format="%Y-%m-%d"))
    description = forms.CharField(
        label=_("What happened"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    measure_kind = forms.ChoiceField(
        label=_("Propose a measure"),
        required=False,
        choices=[("", _("No measure now")), *MeasureKind.choices],
    )
    evidence = forms.CharField(
        label=_("Evidence"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, prohibitions=(), **kwargs):
        kwargs.setdefault("prefix", "violation")
        super().__init__(*args, **kwargs)
        self.fields["prohibition"].choices = [(str(p.pk), p.content) for p in prohibitions]
        if not self.is_bound:
            self.initial["occurred_on"] = office_today()


class MedicalReportForm(forms.Form):
    """The case page's health report of a temporary-execution case, with the hospital's document.
    Field names are the API's; the service says what is wrong, by its field."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=MedicalReportKind.choices, initial=MedicalReportKind.MONTHLY_REPORT
    )
    date = forms.DateField(label=_("Date"), widget=_DateInput())
    hospital = forms.CharField(
        label=_("Hospital"),
        required=False,
        max_length=200,
        help_text=_("For a re-examination: the designated hospital that made it."),
    )
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=MedicalConclusion.choices, initial=MedicalConclusion.GROUND_PERSISTS
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("The hospital's document"),
        required=False,
        help_text=_("A PDF, or a JPEG or PNG scan."),
    )

    def __init__(self, *args, **kwargs):
        # Prefixed: the quick log on the same page has its own `kind` and `notes`.
        kwargs.setdefault("prefix", "medical")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["date"] = office_today()
