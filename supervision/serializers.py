from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api import BuiltOnceFieldsMixin, OffsetDateTimeField, TextField

from .constants import (
    AlertKind,
    AlertStatus,
    ApprovalLevel,
    CheckInKind,
    LeaveStatus,
    MeasureKind,
    MeasureStatus,
    MedicalConclusion,
    MedicalReportKind,
    PermitStatus,
    PositioningGround,
    PositioningStatus,
)
from .models import (
    Alert,
    CheckIn,
    LeavePermit,
    LeaveReason,
    LeaveRequest,
    Measure,
    MedicalReport,
    PositioningOrder,
    ProhibitionViolation,
)
from .positioning import may_read_positioning

# What only the readers of locations see (supervision.positioning.POSITIONING_READERS, CCL 29 para. 3);
# null for the others.
LOCATION_FIELDS = ("latitude", "longitude", "positioning_order")


class CheckInSerializer(BuiltOnceFieldsMixin, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=CheckInKind.choices, read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # The electronic positioning order in force when a location check was made (API v1.1 addition).
    positioning_order = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "supervisee",
            "kind",
            "occurred_at",
            "recorded_by",
            "notes",
            "hours",
            "latitude",
            "longitude",
            "positioning_order",
        ]
        read_only_fields = fields

    def to_representation(self, checkin):
        data = super().to_representation(checkin)
        request = self.context.get("request")
        if request is None or not may_read_positioning(request.user):
            for name in LOCATION_FIELDS:
                data[name] = None
        return data


class CheckInCreateSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()  # a plain id: see LeaveRequestCreateSerializer
    kind = serializers.ChoiceField(choices=CheckInKind.choices)
    occurred_at = OffsetDateTimeField()
    notes = TextField(required=False, allow_blank=True, max_length=5000, default="")
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)


class AlertSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=AlertKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=AlertStatus.choices, read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    resolved_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "supervisee",
            "kind",
            "due_date",
            "status",
            "created_at",
            "acknowledged_by",
            "acknowledged_at",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "made_up_at",
        ]
        read_only_fields = fields


class ResolveSerializer(serializers.Serializer):
    note = TextField(allow_blank=True, max_length=5000, required=False, default="")


class LeaveRequestSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=LeaveStatus.choices, read_only=True)
    approval_level = serializers.ChoiceField(choices=ApprovalLevel.choices, read_only=True)
    days = serializers.IntegerField(read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "supervisee",
            "destination",
            "destination_code",
            "reason_code",
            "reason",
            "urgent",
            "urgent_reason",
            "permit",
            "start_date",
            "end_date",
            "days",
            "status",
            "approval_level",
            "notify_procuratorate",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "returned_on",
        ]
        read_only_fields = fields


class LeaveRequestCreateSerializer(serializers.Serializer):
    # A plain id, not a related field: a case out of the caller's scope must answer 404 like one that
    # does not exist, and a related field would answer 400 for one and not the other.
    supervisee = serializers.IntegerField()
    destination = TextField(max_length=200, allow_blank=True)
    # CCL 27: the county-level division code of the destination (GB/T 2260) and one of the office's
    # proper reasons (GET /api/v1/leave-reasons/). Optional here so that a missing one is refused by the
    # service with the rule it breaks.
    destination_code = TextField(max_length=6, allow_blank=True, required=False, default="")
    reason_code = TextField(max_length=40, allow_blank=True, required=False, default="")
    reason = TextField(max_length=5000, allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    # Sooner than the office's notice days (3 by default) only when urgent, saying why.
    urgent = serializers.BooleanField(required=False, default=False)
    urgent_reason = TextField(max_length=5000, allow_blank=True, required=False, default="")


class LeaveReasonSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = LeaveReason
        fields = ["code", "label", "name_zh", "name_en"]
        read_only_fields = fields


class LeavePermitSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=PermitStatus.choices, read_only=True)
    places = serializers.ListField(child=serializers.CharField(), read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = LeavePermit
        fields = [
            "id",
            "supervisee",
            "reason_code",
            "details",
            "places",
            "start_date",
            "end_date",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


class LeavePermitProposeSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()  # a plain id: see LeaveRequestCreateSerializer
    reason_code = TextField(max_length=40, allow_blank=True, required=False, default="")
    details = TextField(max_length=5000, allow_blank=True)
    # County-level division codes (GB/T 2260) outside the county of residence.
    places = serializers.ListField(child=TextField(max_length=6), max_length=50)
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class MeasureSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=MeasureStatus.choices, read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "supervisee",
            "kind",
            "reason",
            "evidence",
            "occurred_on",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_on",
            "decision_note",
        ]
        read_only_fields = fields


class MeasureProposeSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()  # a plain id: see LeaveRequestCreateSerializer
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    reason = TextField(max_length=5000, allow_blank=True)
    occurred_on = serializers.DateField()
    evidence = TextField(max_length=5000, allow_blank=True, required=False, default="")


class DecisionSerializer(serializers.Serializer):
    """Approve or reject: the note (required to reject, and to record a city-level decision)."""

    note = TextField(allow_blank=True, max_length=5000, required=False, default="")


class ReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField()


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    proposal = serializers.ChoiceField(choices=["revocation_proposal", "recommitment_proposal", "warning"])
    message = serializers.CharField()
    basis = serializers.CharField()


class ProhibitionViolationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProhibitionViolation
        fields = [
            "id",
            "supervisee",
            "prohibition",
            "occurred_on",
            "description",
            "measure",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ProhibitionViolationCreateSerializer(serializers.Serializer):
    # A plain id: a prohibition order of a case out of scope answers 404 (see LeaveRequestCreateSerializer).
    prohibition = serializers.IntegerField()
    occurred_on = serializers.DateField()
    description = TextField(max_length=5000, allow_blank=True)
    measure_kind = serializers.ChoiceField(
        choices=MeasureKind.choices, required=False, allow_blank=True, default=""
    )
    evidence = TextField(max_length=5000, allow_blank=True, required=False, default="")


class PositioningOrderSerializer(serializers.ModelSerializer):
    ground = serializers.ChoiceField(choices=PositioningGround.choices, read_only=True)
    status = serializers.ChoiceField(choices=PositioningStatus.choices, read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    ended_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    # How many location checks the order yielded; the locations themselves are read through
    # /api/v1/checkins/?positioning_order=ID, audited.
    location_checks = serializers.IntegerField(source="location_check_count", read_only=True, default=0)

    class Meta:
        model = PositioningOrder
        fields = [
            "id",
            "supervisee",
            "ground",
            "start_date",
            "end_date",
            "status",
            "extends",
            "proposed_by",
            "decided_by",
            "violation",
            "reason",
            "proposed_at",
            "decided_on",
            "decision_note",
            "ended_on",
            "ended_by",
            "end_reason",
            "location_checks",
        ]
        read_only_fields = fields


class PositioningOrderProposeSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()  # a plain id: see LeaveRequestCreateSerializer
    # Not required for an extension, which keeps the ground of the order it extends.
    ground = serializers.ChoiceField(choices=PositioningGround.choices, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField()
    reason = TextField(max_length=5000, allow_blank=True)
    violation = serializers.IntegerField(required=False, allow_null=True)
    extends = serializers.IntegerField(required=False, allow_null=True)


class EndSerializer(serializers.Serializer):
    reason = TextField(allow_blank=True, max_length=5000, required=False, default="")


class MedicalDocumentSerializer(serializers.Serializer):
    """The hospital's document attached to a health report."""

    url = serializers.SerializerMethodField()
    name = serializers.CharField(source="file_name")
    content_type = serializers.CharField(source="file_type")
    size = serializers.IntegerField(source="file_size")
    sha256 = serializers.CharField(source="file_sha256")

    def get_url(self, report) -> str:
        return reverse("api-medical-report-document", kwargs={"pk": report.pk})


class MedicalReportSerializer(serializers.ModelSerializer):
    """API.md "Special supervision", with additions: who recorded it and the hospital's document (its
    download address, name and SHA-256; null when none is attached)."""

    kind = serializers.ChoiceField(choices=MedicalReportKind.choices, read_only=True)
    conclusion = serializers.ChoiceField(choices=MedicalConclusion.choices, read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    document = serializers.SerializerMethodField()

    class Meta:
        model = MedicalReport
        fields = [
            "id",
            "supervisee",
            "kind",
            "date",
            "hospital",
            "conclusion",
            "notes",
            "recorded_by",
            "document",
        ]
        read_only_fields = fields

    @extend_schema_field(MedicalDocumentSerializer(allow_null=True))
    def get_document(self, report):
        return MedicalDocumentSerializer(report).data if report.file else None


class MedicalReportCreateSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()  # a plain id: see LeaveRequestCreateSerializer
    kind = serializers.ChoiceField(choices=MedicalReportKind.choices)
    date = serializers.DateField()
    hospital = TextField(required=False, allow_blank=True, max_length=200, default="")
    conclusion = serializers.ChoiceField(choices=MedicalConclusion.choices)
    notes = TextField(required=False, allow_blank=True, max_length=5000, default="")


class MedicalDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
