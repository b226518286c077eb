"""Forms of the coordination pages reached from a case: a referral drafted on the case page, and a
document attached to a referral. The service decides what is allowed and says so by the field."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.constants import AgencyKind
from accounts.models import Agency, User
from corrections.models import Supervisee

from .constants import ReferralKind

# Drafted from the case page by the justice roles; a procuratorial notice is the procuratorate's.
CASE_PAGE_KINDS = [(value, label) for value, label in ReferralKind.choices if value != "procuratorial_notice"]


def addressees(*, user: User, supervisee: Supervisee):
    """Who a referral about this case may go to: the agencies of the district and the agency that
    decided the case, never the caller's own (the service checks the same, services._check_addressee)."""
    deciding_id = supervisee.sentence.deciding_agency_id if hasattr(supervisee, "sentence") else None
    return (
        Agency.objects.filter(Q(district_id=supervisee.justice_office.district_id) | Q(pk=deciding_id or 0))
        .exclude(pk=user.agency_id or 0)
        .order_by("kind", "name", "id")
    )


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ReferralDraftForm(forms.Form):
    to_agency = AgencyChoiceField(label=_("To"), queryset=Agency.objects.none(), empty_label=_("Choose…"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *CASE_PAGE_KINDS])
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user: User, supervisee: Supervisee, **kwargs):
        kwargs.setdefault("prefix", "referral")
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = addressees(user=user, supervisee=supervisee)


class ProcuratorialNoticeForm(forms.Form):
    """The procuratorate's notice about a case (CCL 62), to the district's bureau or the office in charge
    (the service checks the same, services._check_addressee)."""

    to_agency = AgencyChoiceField(label=_("To"), queryset=Agency.objects.none(), empty_label=_("Choose…"))
    summary = forms.CharField(
        label=_("What the notice finds and recommends"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, supervisee: Supervisee, **kwargs):
        kwargs.setdefault("prefix", "notice")
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.filter(
            Q(kind=AgencyKind.JUSTICE_BUREAU, district_id=supervisee.justice_office.district_id)
            | Q(pk=supervisee.justice_office_id)
        ).order_by("kind", "name")


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        required=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.ofd"}),
        error_messages={"required": _("Choose the file to attach.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "attach")
        super().__init__(*args, **kwargs)
