from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import TextField

from .models import Document, Notice


class DocumentSerializer(serializers.ModelSerializer):
    """API.md v1.1 "Documents": `{id, kind, number, title, created_at, sha256, url}`; `replaces` and
    `replaced_by` (ids or null) are additions."""

    url = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "number", "title", "created_at", "sha256", "url", "replaces", "replaced_by"]

    @extend_schema_field(serializers.CharField())
    def get_url(self, document: Document) -> str:
        path = reverse("api-document-pdf", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_replaced_by(self, document: Document) -> int | None:
        replacement = getattr(document, "replaced_by", None)
        return replacement.pk if replacement else None


class NoticeSerializer(serializers.ModelSerializer):
    """API.md v1.1 "Notices between agencies"."""

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "supervisee",
            "from_agency",
            "to_agency",
            "document",
            "sent_at",
            "received_at",
        ]
        read_only_fields = fields


class CorrectionSerializer(serializers.Serializer):
    reason = TextField(max_length=2000, allow_blank=True)
