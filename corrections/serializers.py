"""API shapes of docs/api.md#op-get-api-v1-supervisees-id. Serializers parse and render; the rules live in
services."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, User
from config.api import JsonModelSerializer, TextField

from .constants import (
    Category,
    CrimeChapter,
    CustodyGround,
    Education,
    ExitReason,
    Gender,
    HouseholdType,
    IntakeItem,
    ManagementLevel,
    Penalty,
    ProhibitionKind,
    Status,
    TemporaryExecutionGround,
)
from .models import Prohibition, Sentence, Supervisee
from .scoping import ROLES_WITHOUT_SENSITIVE_FIELDS, id_number_for

SENSITIVE_FIELDS = ("id_number", "crime", "crime_chapter")


class AnsweredNullMixin:
    """A field the answer may give as null (a value the reader may not see, SENSITIVE_FIELDS) while a
    request may still not send null: declared nullable, so the OpenAPI document says what readers get,
    and refusing null on input as a field without allow_null does."""

    def __init__(self, **kwargs):
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            self.fail("null")
        return super().validate_empty_values(data)


class AnsweredNullCharField(AnsweredNullMixin, TextField):
    pass


class AnsweredNullChoiceField(AnsweredNullMixin, serializers.ChoiceField):
    pass


class ProhibitionOrderSerializer(JsonModelSerializer):
    """One court prohibition order (CL 38 para. 2, 72 para. 2), structured (API v1.1 addition). On write,
    an `id` names one of the sentence's orders to change; without it the order is added
    (corrections.prohibitions)."""

    id = serializers.IntegerField(required=False, allow_null=True)
    content = TextField(max_length=300, allow_blank=True)
    # Blank on read for an order written as text whose kind nobody stated yet; required on write.
    kind = serializers.ChoiceField(choices=ProhibitionKind.choices, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)

    class Meta:
        model = Prohibition
        fields = ["id", "content", "kind", "start_date", "end_date"]
        validators = []


class SentenceSerializer(JsonModelSerializer):
    deciding_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    category = serializers.ChoiceField(choices=Category.choices)
    penalty = serializers.ChoiceField(choices=Penalty.choices)
    temporary_execution_ground = serializers.ChoiceField(
        choices=TemporaryExecutionGround.choices, required=False, allow_blank=True
    )
    # Computed by the period rules; a caller may state them, and a date the rules do not give is refused.
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    prohibitions = serializers.ListField(
        child=TextField(max_length=300), required=False, source="prohibition_list"
    )
    # The same orders with their kind and dates; give this or `prohibitions`, not both.
    prohibition_orders = ProhibitionOrderSerializer(many=True, required=False)
    period_explanation = serializers.CharField(read_only=True)

    class Meta:
        model = Sentence
        fields = [
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
            "start_date",
            "end_date",
            "period_rule",
            "period_explanation",
            "prohibitions",
            # CCL 20 (v1.1 addition): the days the deciding agency's notice and documents arrived.
            "notice_received_date",
            "documents_received_date",
            "prohibition_orders",
        ]
        read_only_fields = ["period_rule"]
        # The model's own validators run in the service, with the rest of the rules.
        validators = []
        extra_kwargs = {
            "notice_received_date": {
                "help_text": "v1.1: the day the deciding agency's notice arrived (due within 5 days of "
                "effective_date, CCL 20); not before effective_date, not in the future"
            },
            "documents_received_date": {
                "help_text": "v1.1: the day the legal documents arrived (due within 10 days of "
                "effective_date, CCL 20); not before effective_date, not in the future"
            },
        }

    def to_representation(self, sentence):
        # `prohibition_orders` as the declared field renders it (the orders, prefetched in id order by the
        # selectors); `prohibitions`, their texts. Read from the rendered orders, not rendered again with a
        # new serializer per row (a list page of 50 built 50 serializers and their fields).
        data = super().to_representation(sentence)
        data["prohibitions"] = [order["content"] for order in data["prohibition_orders"]]
        return data


class SuperviseeSerializer(JsonModelSerializer):
    gender = serializers.ChoiceField(choices=Gender.choices)
    education = serializers.ChoiceField(choices=Education.choices)
    household_type = serializers.ChoiceField(choices=HouseholdType.choices)
    # Null for the roles that do not see them (SENSITIVE_FIELDS, to_representation).
    crime = AnsweredNullCharField(max_length=200)
    crime_chapter = AnsweredNullChoiceField(choices=CrimeChapter.choices)
    management_level = serializers.ChoiceField(choices=ManagementLevel.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    justice_office = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE), required=False
    )
    officer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(role=Role.JUSTICE_OFFICER),
        required=False,
        allow_null=True,
    )
    id_number = AnsweredNullCharField(max_length=20)
    # Null until the case exits (the model stores "" for none).
    exit_reason = serializers.ChoiceField(choices=ExitReason.choices, read_only=True, allow_null=True)
    sentence = SentenceSerializer()

    class Meta:
        model = Supervisee
        fields = [
            "id",
            "case_number",
            "name",
            "gender",
            "id_number",
            "birth_date",
            "ethnicity",
            "education",
            "employment",
            "phone",
            "residence_address",
            "household_address",
            "household_type",
            "crime",
            "crime_chapter",
            "status",
            "management_level",
            "justice_office",
            "officer",
            "is_minor",
            "intake_date",
            "exit_date",
            "exit_reason",
            "last_contact_at",
            "sentence",
        ]
        read_only_fields = [
            "birth_date",
            "is_minor",
            "intake_date",
            "exit_date",
            "exit_reason",
            "last_contact_at",
        ]
        validators = []
        extra_kwargs = {"case_number": {"validators": []}}

    def to_representation(self, supervisee):
        data = super().to_representation(supervisee)
        data["exit_reason"] = data["exit_reason"] or None
        request = self.context.get("request")
        if request is None:
            # No reader to decide for: the number is never shown in full to whoever this is for.
            data["id_number"] = supervisee.masked_id_number
            return data
        if request.user.role in ROLES_WITHOUT_SENSITIVE_FIELDS:
            for name in SENSITIVE_FIELDS:
                data[name] = None
        data["id_number"] = id_number_for(request.user, supervisee)
        return data


class IntakeChecklistSerializer(serializers.Serializer):
    """The intake checklist (CCL 22; corrections.intake.INTAKE_CHECKLIST): one boolean per item, each
    required to be true; an item left out counts as not done."""

    def get_fields(self):
        return {
            code: serializers.BooleanField(required=False, default=False, help_text=str(label))
            for code, label in IntakeItem.choices
        }


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Status.choices)
    date = serializers.DateField()
    reason = TextField(required=False, allow_blank=True, max_length=2000, default="")
    # v1.1 additions, both optional (API v1 callers send only to, date and reason):
    # the ground of a move into custody (CCL 32; only with `to: in_custody`),
    ground = serializers.ChoiceField(
        choices=CustodyGround.choices,
        required=False,
        allow_blank=True,
        default="",
    )
    # and the checklist of an intake (CCL 22), recorded with it.
    checklist = IntakeChecklistSerializer(
        required=False,
        help_text="v1.1: the intake checklist (CCL 22), recorded with an intake (`to: under_supervision` "
        "of a case without intake_date); every item must be true, or 400 names the missing ones",
    )

    def validate(self, data):
        if "checklist" in data and data["to"] != Status.UNDER_SUPERVISION:
            raise serializers.ValidationError(
                {"checklist": [_("Only an intake (to under_supervision) has a checklist.")]}
            )
        return data


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}]}
)
class TimelineMomentField(serializers.Field):
    """When an event happened: a time with its offset in the office's time zone, like every time the API
    gives (API.md "Conventions": `2026-11-25T09:30:00+08:00`), or a date for an event dated by the day
    (a status change). `str()` of an aware datetime gave `2026-11-25 01:30:00+00:00`."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if isinstance(value, dt.datetime):
            return serializers.DateTimeField().to_representation(value)
        return value.isoformat()


class TimelineEventSerializer(serializers.Serializer):
    at = TimelineMomentField()
    type = serializers.CharField()
    id = serializers.IntegerField()
    summary = serializers.CharField()
    by = serializers.CharField(allow_null=True)
    details = serializers.DictField()
