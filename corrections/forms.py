"""Forms of the case pages: the correction team (CCL 25), the registration of a case, the moves of the
lifecycle and the commission's arrival dates (CCL 20). The team's and the lifecycle's fields are mostly
not required: the service says what is missing, in its own words, and the page shows that message by
the field. Registration requires what the model requires, as the API does."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, User
from config.office_time import office_today

from .constants import Category, CustodyGround, ExitReason, Gender, Status
from .intake import INTAKE_CHECKLIST
from .models import Prohibition, Sentence, Supervisee, TeamRole
from .periods import Period, SentenceTerms, compute_period
from .services import DECIDING_AGENCY_KINDS, SENTENCE_FIELDS, SUPERVISEE_FIELDS


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


# --- registering a case (/supervisees/new/) ------------------------------------------------------------

# The sentence's fields carry the prefix `sentence_` (API.md "The case from commission to release").
SENTENCE_PREFIX = "sentence_"
# What the period rules read (Sentence.terms, with the gender): the preview judges these, nothing else.
PERIOD_INPUTS = tuple(
    f"{SENTENCE_PREFIX}{name}"
    for name in (
        "category",
        "penalty",
        "effective_date",
        "original_term_months",
        "probation_term_months",
        "combined_crimes",
        "prior_custody_days",
        "release_date",
        "original_term_end",
        "temporary_execution_ground",
    )
)
# The categories each category-bound field belongs to (corrections.periods reads it for those only). The
# page groups these fields and shows those of the chosen category (static/js/app.js); without a script
# it shows them all, each saying in its help text which categories it is for.
CATEGORY_FIELDS = {
    "sentence_probation_term_months": (Category.PROBATION,),
    "sentence_combined_crimes": (Category.CONTROL, Category.PROBATION),
    "sentence_prior_custody_days": (Category.CONTROL,),
    "sentence_release_date": (Category.PAROLE, Category.TEMPORARY_EXECUTION),
    "sentence_original_term_end": (Category.PAROLE, Category.TEMPORARY_EXECUTION),
    "sentence_temporary_execution_ground": (Category.TEMPORARY_EXECUTION,),
    # Criminal Law 38, 72: a court may order them with control or probation.
    "sentence_prohibitions": (Category.CONTROL, Category.PROBATION),
}
# An ID number is typed with spaces or full-width digits at times; the service normalises and checks it
# (corrections.idnumber), so the form only bounds its length.
ID_NUMBER_TYPED_MAX_LENGTH = 40
BLANK_CHOICE = ("", "—")


def _model_field(model, name: str, **overrides) -> forms.Field:
    """The model field's form field (its label, length and choices), without its validators: the service
    runs those, with every other rule, and says what is wrong in its own words."""
    model_field = model._meta.get_field(name)
    field = model_field.formfield(**overrides)
    if model_field.choices and not model_field.has_default():
        field.choices = [BLANK_CHOICE, *model_field.choices]
    if isinstance(field, forms.DateField):
        field.widget = _DateInput(format="%Y-%m-%d")
    return field


class OfficerSelect(forms.Select):
    """Each officer's option names their office (`data-office`), so that the page's script offers only
    the officers of the office chosen; the service refuses any other."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-office"] = instance.agency_id
        return option


class OfficerChoiceField(forms.ModelChoiceField):
    widget = OfficerSelect

    def __init__(self, *args, with_office: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_office = with_office

    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.username
        return f"{name} · {obj.agency.name}" if self.with_office else name


# The page's groups of fields, in order: (id, legend, field names).
REGISTRATION_FIELDSETS = (
    (
        "person",
        _("The person"),
        (
            "name",
            "gender",
            "id_number",
            "ethnicity",
            "education",
            "employment",
            "phone",
            "residence_address",
            "household_address",
            "household_type",
        ),
    ),
    (
        "case",
        _("The case"),
        ("case_number", "justice_office", "officer", "management_level", "crime", "crime_chapter"),
    ),
    (
        "sentence",
        _("The sentence"),
        tuple(
            f"{SENTENCE_PREFIX}{name}"
            for name in (
                "category",
                "penalty",
                "deciding_agency",
                "document_number",
                "judgment_date",
                "effective_date",
                "original_term_months",
                # CCL 20: the case is usually registered when the deciding agency's notice arrives.
                "notice_received_date",
                "documents_received_date",
            )
        ),
    ),
    ("terms", _("Terms that depend on the category"), tuple(CATEGORY_FIELDS)),
)


class RegistrationForm(forms.Form):
    """Every field of a case and its sentence, named as the API's (the sentence's prefixed `sentence_`),
    plus the prohibition orders, one per line. The form parses what was typed; the rules are the
    service's (corrections.services.supervisee_register), whose refusals `refusal()` keys by these
    fields. Required here is what the model requires, so that a blank form is answered field by field."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        person = {
            name: _model_field(Supervisee, name)
            for name in (
                "name",
                "gender",
                "id_number",
                "ethnicity",
                "education",
                "employment",
                "phone",
                "residence_address",
                "household_address",
                "household_type",
                "case_number",
                "crime",
                "crime_chapter",
                "management_level",
            )
        }
        person["id_number"] = forms.CharField(
            label=person["id_number"].label, max_length=ID_NUMBER_TYPED_MAX_LENGTH
        )
        person["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        person["id_number"].help_text = _("18 characters; the date of birth is read from it.")
        self.fields.update(person)

        district_id = user.agency.district_id if user.agency_id else None
        offices = Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, district_id=district_id)
        if user.role == Role.JUSTICE_OFFICER:
            # An officer registers for their own office (the service sets it): no choice to offer.
            self.office = user.agency
            offices = offices.filter(pk=user.agency_id)
        else:
            self.office = None
            self.fields["justice_office"] = forms.ModelChoiceField(
                label=_("Justice office"), queryset=offices.order_by("name"), empty_label="—"
            )
        self.fields["officer"] = OfficerChoiceField(
            label=_("Officer"),
            queryset=User.objects.filter(is_active=True, role=Role.JUSTICE_OFFICER, agency__in=offices)
            .select_related("agency")
            .order_by("agency__name", "last_name", "first_name", "username"),
            required=False,
            empty_label=_("No officer assigned"),
            with_office=self.office is None,
        )
        if self.office is not None and not self.is_bound:
            self.initial["officer"] = user.pk

        sentence = {
            name: _model_field(Sentence, name)
            for name in (
                "category",
                "penalty",
                "deciding_agency",
                "document_number",
                "judgment_date",
                "effective_date",
                "original_term_months",
                "probation_term_months",
                "combined_crimes",
                "prior_custody_days",
                "release_date",
                "original_term_end",
                "temporary_execution_ground",
                "notice_received_date",
                "documents_received_date",
            )
        }
        # Courts, prison administrations and police of the district: the agencies known to decide
        # (the service checks the kind again, DECIDING_AGENCY_KINDS).
        sentence["deciding_agency"].queryset = Agency.objects.filter(
            district_id=district_id, kind__in=DECIDING_AGENCY_KINDS
        ).order_by("kind", "name")
        sentence["deciding_agency"].empty_label = "—"
        # None typed is none served: the model's default (0) applies.
        sentence["prior_custody_days"].required = False
        sentence["original_term_months"].help_text = _("The principal penalty as sentenced; none for life.")
        sentence["probation_term_months"].help_text = _("Probation only.")
        sentence["combined_crimes"].help_text = _("Public surveillance and probation.")
        sentence["prior_custody_days"].help_text = _(
            "Public surveillance only: each day in custody offsets two days of it."
        )
        sentence["release_date"].help_text = _(
            "Parole: the day of release. Temporary execution: the day released or handed over."
        )
        sentence["original_term_end"].help_text = _(
            "Parole and temporary execution: the day the original sentence would end; none for life."
        )
        sentence["temporary_execution_ground"].help_text = _("Temporary execution only.")
        sentence["notice_received_date"].help_text = _(
            "The day the deciding agency's notice arrived (due within 5 days of the effective date)."
        )
        sentence["documents_received_date"].help_text = _(
            "The day the legal documents arrived (due within 10 days); empty while they have not."
        )
        self.fields.update({f"{SENTENCE_PREFIX}{name}": field for name, field in sentence.items()})
        self.fields[f"{SENTENCE_PREFIX}prohibitions"] = forms.CharField(
            label=_("Prohibition orders"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Public surveillance and probation: one per line, as the judgment words it."),
        )
        for name, categories in CATEGORY_FIELDS.items():
            self.fields[name].categories = " ".join(categories)

    def fieldsets(self) -> list[dict]:
        return [
            {"id": key, "legend": legend, "fields": [self[name] for name in names if name in self.fields]}
            for key, legend, names in REGISTRATION_FIELDSETS
        ]

    def clean_sentence_prohibitions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["sentence_prohibitions"].splitlines()]
        limit = Prohibition._meta.get_field("content").max_length
        for number, line in enumerate(lines, start=1):
            if len(line) > limit:
                raise forms.ValidationError(
                    _("Line %(line)d has %(length)d characters; a prohibition order has at most %(max)d.")
                    % {"line": number, "length": len(line), "max": limit}
                )
        return [line for line in lines if line]

    # --- what the service is given, and what it answers -------------------------------------------------

    def service_arguments(self) -> dict:
        """`fields`, `sentence` and `prohibitions` of supervisee_register, from the cleaned data."""
        data = self.cleaned_data
        fields = {name: data[name] for name in SUPERVISEE_FIELDS if name in self.fields}
        sentence = {}
        for name in SENTENCE_FIELDS:
            value = data[f"{SENTENCE_PREFIX}{name}"]
            if value is None and Sentence._meta.get_field(name).has_default():
                continue  # blank: the model's default (no prior custody)
            sentence[name] = value
        return {
            "fields": fields,
            "sentence": sentence,
            "prohibitions": data[f"{SENTENCE_PREFIX}prohibitions"],
        }

    def field_name(self, key: str) -> str | None:
        """The form field a service or period-rule error key names (`sentence.category` is
        `sentence_category`), or None when the form has no such field."""
        name = key.replace("sentence.", SENTENCE_PREFIX, 1)
        return name if name in self.fields else None

    def refusal(self, error: ValidationError) -> ValidationError:
        """The service's refusal keyed by this form's fields; what no field carries goes above the form."""
        if not hasattr(error, "error_dict"):
            return error
        keyed: dict[str, list] = {}
        for key, messages in error.message_dict.items():
            keyed.setdefault(self.field_name(key) or NON_FIELD_ERRORS, []).extend(messages)
        return ValidationError(keyed)

    # --- the period, computed by corrections.periods, saving nothing -------------------------------------

    def _period_terms(self) -> SentenceTerms:
        data = self.cleaned_data
        record = Sentence(
            **{
                name: data.get(f"{SENTENCE_PREFIX}{name}")
                for name in SENTENCE_FIELDS
                if f"{SENTENCE_PREFIX}{name}" in PERIOD_INPUTS
            }
        )
        return record.terms(data.get("gender") or "")

    def period(self) -> Period | None:
        """The period these terms give, or None (quietly) when what was typed does not give one yet."""
        if not hasattr(self, "cleaned_data") or any(name in self.errors for name in PERIOD_INPUTS):
            return None
        try:
            return compute_period(self._period_terms())
        except ValidationError:
            return None

    def period_preview(self) -> Period | None:
        """The period these terms give, for "Compute the period": only what the period rules read is
        judged, and their refusals are put by the fields; the rest of the form waits for the submit
        (nothing is registered). A term left blank is for the rules to name, in their own words."""
        self.is_valid()
        for name, errors in self.errors.as_data().items():
            if name not in PERIOD_INPUTS or all(error.code == "required" for error in errors):
                del self.errors[name]
        if self.errors:
            return None
        try:
            return compute_period(self._period_terms())
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(self.field_name(f"sentence.{key}"), messages)
            return None

    def error_summary(self) -> list[dict]:
        """Each error once, in the form's order, with the field it belongs to (None: above the form)."""
        summary = [{"field": None, "message": message} for message in self.non_field_errors()]
        for field in self:
            summary.extend({"field": field, "message": message} for message in field.errors)
        return summary


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


# --- transfer of the place of execution (CCL 27 para. 2, corrections.transfers) ------------------------


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.district.name} · {obj.name}"


class TransferProposalForm(forms.Form):
    """The sending office's proposal. Reason and residence are not required here: the service says what is
    missing, in the words the API uses too."""

    to_office = OfficeChoiceField(
        label=_("Receiving justice office"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("A justice office of another district; its bureau answers the proposal."),
    )
    new_residence = forms.CharField(label=_("New residence"), required=False, max_length=200)
    reason = forms.CharField(
        label=_("Reason for the transfer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, offices, **kwargs):
        kwargs.setdefault("prefix", "transfer")
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = offices


class TransferAcceptForm(forms.Form):
    """The receiving bureau accepts, naming the office of its district that takes the case."""

    to_office = OfficeChoiceField(label=_("Justice office taking the case"), queryset=Agency.objects.none())

    def __init__(self, *args, offices, initial_office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_office"].queryset = offices
        if initial_office is not None and not self.is_bound:
            self.initial["to_office"] = initial_office.pk


class TransferRefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
