"""API v1.1 for documents and notices (docs/api.md): a case's documents, a document's PDF, its
correction, and the notices' inbox and outbox with the receipt. Views translate: parse, call one
selector or service, render."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from config import params
from corrections.selectors import supervisee_get

from . import selectors, services
from .constants import NoticeBox, NoticeKind
from .models import Document, Notice
from .serializers import CorrectionSerializer, DocumentSerializer, NoticeSerializer

NOTICE_FILTERS = {
    "box": params.choice(NoticeBox.values),
    "kind": params.choice(NoticeKind.values),
    "supervisee": params.ID,
    "received": params.flag,
}


def pdf_response(document: Document, pdf: bytes) -> HttpResponse:
    """The PDF as issued, shown in the browser, saved under its number."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.pdf"'
    response["X-Content-SHA256"] = document.sha256
    return response


class SuperviseeDocumentListView(AuditedListMixin, generics.ListAPIView):
    serializer_class = DocumentSerializer
    audit_target_type = "documents.document"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database at hand
            return Document.objects.none()
        supervisee = supervisee_get(user=self.request.user, pk=self.kwargs["pk"])
        self.filters = {"supervisee": supervisee.pk}
        return selectors.document_list(user=self.request.user, supervisee=supervisee)


class DocumentPdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        services.document_read_record(user=request.user, document=document, ip_address=client_ip(request))
        return pdf_response(document, selectors.document_pdf(document=document))


class DocumentCorrectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.CORRECT_DOCUMENTS)]

    @extend_schema(request=CorrectionSerializer, responses={201: DocumentSerializer})
    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        body = CorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        corrected = services.document_correct(document=document, by=request.user, reason=body.data["reason"])
        return Response(
            DocumentSerializer(corrected, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


@extend_schema(parameters=[OpenApiParameter(name, str) for name in NOTICE_FILTERS])
class NoticeListView(AuditedListMixin, generics.ListAPIView):
    serializer_class = NoticeSerializer
    audit_target_type = "documents.notice"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notice.objects.none()
        self.filters = params.parse(self.request.query_params, NOTICE_FILTERS)
        return selectors.notice_list(user=self.request.user, filters=self.filters)


class NoticeReceiveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.RECEIVE_NOTICES)]

    @extend_schema(request=None, responses={200: NoticeSerializer})
    def post(self, request, pk):
        notice = services.notice_receive(
            notice=selectors.notice_get(user=request.user, pk=pk), by=request.user
        )
        return Response(NoticeSerializer(notice).data)
