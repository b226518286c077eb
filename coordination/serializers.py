"""Shapes of the referral API (docs/api.md#op-get-api-v1-referrals-id). Serializers translate only; the rules
live in services.py."""

from rest_framework import serializers

from config.api import TextField

from .constants import ReferralKind, ReferralStatus
from .models import Referral, ReferralAttachment, ReferralMessage


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


class ReferralSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ReferralKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, read_only=True)
    messages = ReferralMessageSerializer(many=True, read_only=True)
    attachments = ReferralAttachmentSerializer(many=True, read_only=True)

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
