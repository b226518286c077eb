"""API v1 for referrals (docs/api.md#op-get-api-v1-referrals-id). Views translate: parse, call one selector or
service, render."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.models import Agency
from accounts.permissions import role_permission
from config import params
from corrections.selectors import supervisee_get

from .. import services
from ..constants import ReferralKind, ReferralStatus
from ..selectors import BOXES, referral_attachment_get, referral_get, referral_list
from ..serializers import (
    ArrestDecisionSerializer,
    ArrestRequestCreateSerializer,
    AttachmentUploadSerializer,
    CompleteSerializer,
    NoteSerializer,
    ReferralAttachmentSerializer,
    ReferralCreateSerializer,
    ReferralSerializer,
    RespondSerializer,
)
from ..services.attachments import FILE_TYPES

FILTERS = {
    "box": params.choice(BOXES),
    "status": params.choice(ReferralStatus.values),
    "kind": params.choice(ReferralKind.values),
    "supervisee": params.ID,
}


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


def _render(request, pk, code=status.HTTP_200_OK) -> Response:
    """The referral as the caller now sees it (a fresh read, with its thread and documents)."""
    return Response(ReferralSerializer(referral_get(user=request.user, pk=pk)).data, status=code)


@extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS])
class ReferralListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = ReferralSerializer
    audit_target_type = "coordination.referral"
    # A role that never creates referrals is refused before its body is read (docs/roles.md principle 2),
    # as on every action below.
    permission_classes = [IsAuthenticated, role_permission(services.CREATE_REFERRALS)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return referral_list(user=self.request.user, filters=self.filters)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        data = _body(ReferralCreateSerializer, request)
        # Out of scope is 404, whatever the body says; `from_agency` is never read from the body.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        to_agency = Agency.objects.filter(pk=data["to_agency"]).first()
        if to_agency is None:
            raise ValidationError({"to_agency": [_("There is no such agency.")]})
        referral = services.referral_create(
            supervisee=supervisee,
            by=request.user,
            to_agency=to_agency,
            kind=data["kind"],
            summary=data["summary"],
            due_date=data["due_date"],
        )
        return _render(request, referral.pk, status.HTTP_201_CREATED)


class ReferralDetailView(generics.RetrieveAPIView):
    serializer_class = ReferralSerializer

    def get_object(self):
        return referral_get(user=self.request.user, pk=self.kwargs["pk"])


class ReferralSendView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.SEND_REFERRALS)]

    @extend_schema(request=None, responses={200: ReferralSerializer})
    def post(self, request, pk):
        services.referral_send(referral=referral_get(user=request.user, pk=pk), by=request.user)
        return _render(request, pk)


class ReferralAcceptView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.ANSWER_REFERRALS)]

    @extend_schema(request=None, responses={200: ReferralSerializer})
    def post(self, request, pk):
        services.referral_accept(referral=referral_get(user=request.user, pk=pk), by=request.user)
        return _render(request, pk)


class ReferralRejectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.ANSWER_REFERRALS)]

    @extend_schema(request=NoteSerializer, responses={200: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(NoteSerializer, request)
        services.referral_reject(referral=referral, by=request.user, note=data["note"])
        return _render(request, pk)


class ReferralWithdrawView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.SEND_REFERRALS)]

    @extend_schema(request=NoteSerializer, responses={200: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(NoteSerializer, request)
        services.referral_withdraw(referral=referral, by=request.user, note=data["note"])
        return _render(request, pk)


class ReferralRespondView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.WRITE_IN_THREADS)]

    @extend_schema(request=RespondSerializer, responses={201: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(RespondSerializer, request)
        services.referral_respond(referral=referral, by=request.user, body=data["body"])
        return _render(request, pk, status.HTTP_201_CREATED)


class ReferralCompleteView(APIView):
    permission_classes = [IsAuthenticated, role_permission(services.ANSWER_REFERRALS)]

    @extend_schema(request=CompleteSerializer, responses={200: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(CompleteSerializer, request)
        services.referral_complete(
            referral=referral, by=request.user, outcome=data["outcome"], adopted=data["adopted"]
        )
        return _render(request, pk)


class ReferralArrestRequestView(APIView):
    """CCL 47 para. 1: attach an arrest request to a draft revocation proposal; it goes to the court when
    the proposal is sent (400 naming the article on any other referral, 409 once the proposal is sent)."""

    permission_classes = [IsAuthenticated, role_permission(services.REQUEST_ARRESTS)]

    @extend_schema(request=ArrestRequestCreateSerializer, responses={201: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(ArrestRequestCreateSerializer, request)
        services.arrest_request_attach(
            referral=referral, by=request.user, ground=data["ground"], reasons=data["reasons"]
        )
        return _render(request, pk, status.HTTP_201_CREATED)


class ReferralArrestDecisionView(APIView):
    """CCL 47 para. 2: the court the proposal went to decides the arrest (`granted` sends the police a
    notice to execute it); never the person who asked."""

    permission_classes = [IsAuthenticated, role_permission(services.DECIDE_ARRESTS)]

    @extend_schema(request=ArrestDecisionSerializer, responses={200: ReferralSerializer})
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(ArrestDecisionSerializer, request)
        services.arrest_decide(
            referral=referral, by=request.user, decision=data["decision"], note=data["note"]
        )
        return _render(request, pk)


class ReferralAttachmentUploadView(APIView):
    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated, role_permission(services.ATTACH_DOCUMENTS)]

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: ReferralAttachmentSerializer},
    )
    def post(self, request, pk):
        referral = referral_get(user=request.user, pk=pk)
        data = _body(AttachmentUploadSerializer, request)
        attachment = services.referral_attach(referral=referral, by=request.user, uploaded_file=data["file"])
        return Response(ReferralAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ReferralAttachmentDownloadView(APIView):
    # The file as it was attached, with the type read from its first bytes (services.FILE_TYPES).
    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY for _ext, content_type in FILE_TYPES})
    def get(self, request, pk, attachment_pk):
        attachment = referral_attachment_get(user=request.user, referral_pk=pk, pk=attachment_pk)
        services.referral_attachment_download_record(attachment=attachment, by=request.user)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
