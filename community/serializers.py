from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import TextField
from config.params import MAX_ID

from .constants import ActivityKind, ParticipationOutcome, ProviderKind
from .models import Activity, Provider


class ParticipationSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField(source="supervisee_id")
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    outcome = serializers.ChoiceField(choices=ParticipationOutcome.choices)
    note = serializers.CharField()


class ActivitySerializer(serializers.ModelSerializer):
    """API.md "Social forces": `participants` and `participations` list only the cases the reader sees."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices, read_only=True)
    participants = serializers.SerializerMethodField()
    participations = serializers.SerializerMethodField()
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "date",
            "hours",
            "topic",
            "participants",
            "provider",
            "outcome",
            "participations",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields

    def _rows(self, activity):
        return getattr(activity, "visible_participations", None) or []

    def get_participants(self, activity) -> list[int]:
        return [row.supervisee_id for row in self._rows(activity)]

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participations(self, activity) -> list[dict]:
        return ParticipationSerializer(self._rows(activity), many=True).data


class ResultSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    outcome = serializers.ChoiceField(
        choices=ParticipationOutcome.choices, default=ParticipationOutcome.COMPLETED
    )
    note = TextField(required=False, allow_blank=True, max_length=500, default="")


class ActivityCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    topic = TextField(max_length=200)
    participants = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), max_length=500
    )
    provider = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    outcome = TextField(required=False, allow_blank=True, max_length=5000, default="")
    # Each participant's hours and outcome where they differ from the activity's hours, completed.
    results = ResultSerializer(many=True, required=False)


class ProviderSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ProviderKind.choices, read_only=True)
    offers = serializers.ListField(
        child=serializers.ChoiceField(choices=ActivityKind.choices), read_only=True
    )

    class Meta:
        model = Provider
        fields = ["id", "name", "kind", "offers", "contact", "active"]
        read_only_fields = fields


class ProviderCreateSerializer(serializers.Serializer):
    name = TextField(max_length=100)
    kind = serializers.ChoiceField(choices=ProviderKind.choices)
    offers = serializers.ListField(
        child=serializers.ChoiceField(choices=ActivityKind.choices), min_length=1, max_length=10
    )
    contact = TextField(required=False, allow_blank=True, max_length=200, default="")
    active = serializers.BooleanField(required=False, default=True)
