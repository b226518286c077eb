"""API v1: the health reports and re-examinations of temporary execution outside prison (API.md
"Special supervision"; CPL 265). Views translate: parse, call one selector or service, render."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from config import params
from corrections.selectors import supervisee_get

from ..constants import MedicalConclusion, MedicalReportKind
from ..selectors import medical_report_get, medical_report_list
from ..serializers import (
    MedicalDocumentUploadSerializer,
    MedicalReportCreateSerializer,
    MedicalReportSerializer,
)
from ..services.medical import (
    FILE_TYPES,
    RECORD_MEDICAL_REPORTS,
    medical_report_attach,
    medical_report_download_record,
    medical_report_record,
)

FILTERS = {
    "supervisee": params.ID,
    "kind": params.choice(MedicalReportKind.values),
    "conclusion": params.choice(MedicalConclusion.values),
}


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS]),
    post=extend_schema(request=MedicalReportCreateSerializer, responses={201: MedicalReportSerializer}),
)
class MedicalReportListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = MedicalReportSerializer
    audit_target_type = "supervision.medicalreport"
    # A role that never records health reports is refused before its body is read (docs/roles.md
    # principle 2).
    permission_classes = [IsAuthenticated, role_permission(RECORD_MEDICAL_REPORTS)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return medical_report_list(user=self.request.user, filters=self.filters)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = MedicalReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Out of scope is 404, whatever the body says, and so is an id that does not exist.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        report = medical_report_record(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            conclusion=data["conclusion"],
            hospital=data["hospital"],
            notes=data["notes"],
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)


class MedicalReportDocumentView(APIView):
    """The hospital's document: attached once (multipart, field `file`: a PDF, JPEG or PNG), fetched by
    whoever reads the case, every fetch audited."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, role_permission(RECORD_MEDICAL_REPORTS)]

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY for _ext, content_type in FILE_TYPES})
    def get(self, request, pk):
        report = medical_report_get(user=request.user, pk=pk)
        if not report.file:
            raise Http404  # no document attached to this report
        medical_report_download_record(report=report, by=request.user, ip_address=client_ip(request))
        return FileResponse(
            report.file.open("rb"),
            as_attachment=True,
            filename=report.file_name,
            content_type=report.file_type,
        )

    @extend_schema(
        request={"multipart/form-data": MedicalDocumentUploadSerializer},
        responses={201: MedicalReportSerializer},
    )
    def post(self, request, pk):
        report = medical_report_get(user=request.user, pk=pk)
        body = MedicalDocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = medical_report_attach(
            report=report, by=request.user, uploaded_file=body.validated_data["file"]
        )
        return Response(MedicalReportSerializer(report).data, status=status.HTTP_201_CREATED)
