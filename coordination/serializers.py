"""Shapes of the referral API (docs/api.md#op-get-api-v1-referrals-id). Serializers translate only; the rules
live in services.py."""

from rest_framework import serializers

from config.api import TextField

from .constants import ArrestGround, ArrestStatus, ReferralKind, ReferralStatus
from .models import ArrestRequest, Referral, ReferralAttachment, ReferralMessage


class ReferralMessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReferralMessage
        fields = ["author", "agency", "body", "at"]
        read_only_fields = fields


class ReferralAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = ReferralAttachment
        fields = ["id", "name", "size", "sha256", "content_type", "uploaded_at"]
        read_only_fields = fields


class ArrestRequestSerializer(serializers.ModelSerializer):
    """The arrest request of a revocation proposal (CCL 47): the court decides by `decision_due_at`
    (48 hours after it received the proposal); `overdue` while undecided after that."""

    ground = serializers.ChoiceField(choices=ArrestGround.choices, read_only=True)
    status = serializers.ChoiceField(choices=ArrestStatus.choices, read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ArrestRequest
        fields = [
            "id",
            "ground",
            "reasons",
            "status",
            "requested_by",
            "requested_at",
            "decision_due_at",
            "overdue",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    def get_overdue(self, arrest) -> bool:
        from .services import arrest_is_overdue

        return arrest_is_overdue(arrest)


class ReferralSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ReferralKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    messages = ReferralMessageSerializer(many=True, read_only=True)
    attachments = ReferralAttachmentSerializer(many=True, read_only=True)
    # Null unless a revocation proposal carries an arrest request (CCL 47).
    arrest_request = ArrestRequestSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "supervisee",
            "from_agency",
            "to_agency",
            "kind",
            "status",
            "summary",
            "due_date",
            "messages",
            "outcome",
            "adopted",
            "attachments",
            "arrest_request",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    """The body of a new referral. There is no `from_agency`: it is the caller's own agency."""

    supervisee = serializers.IntegerField()
    to_agency = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    summary = TextField(max_length=5000)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class NoteSerializer(serializers.Serializer):
    note = TextField(allow_blank=True, max_length=5000, required=False, default="")


class RespondSerializer(serializers.Serializer):
    body = TextField(allow_blank=True, max_length=5000, required=False, default="")


class CompleteSerializer(serializers.Serializer):
    outcome = TextField(allow_blank=True, max_length=10000, required=False, default="")
    adopted = serializers.BooleanField(required=False, allow_null=True, default=None)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)


class ArrestRequestCreateSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=ArrestGround.choices)
    reasons = TextField(allow_blank=True, max_length=5000, required=False, default="")


class ArrestDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[
            (ArrestStatus.GRANTED, ArrestStatus.GRANTED.label),
            (ArrestStatus.REFUSED, ArrestStatus.REFUSED.label),
        ]
    )
    note = TextField(allow_blank=True, max_length=5000, required=False, default="")
