"""API v1: leave to go out (外出请假). Views translate: parse, call one selector or service, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.permissions import role_permission
from config import params
from config.office_time import office_today
from corrections.selectors import supervisee_get

from ..constants import LeaveStatus, PermitStatus
from ..rules import leave_reasons_for
from ..selectors import leave_permit_get, leave_permit_list, leave_request_get, leave_request_list
from ..serializers import (
    DecisionSerializer,
    LeavePermitProposeSerializer,
    LeavePermitSerializer,
    LeaveReasonSerializer,
    LeaveRequestCreateSerializer,
    LeaveRequestSerializer,
    ReturnSerializer,
)
from ..services.leave import (
    DECIDE_LEAVE,
    DECIDE_PERMIT,
    PROPOSE_PERMIT,
    RECORD_LEAVE,
    leave_permit_approve,
    leave_permit_propose,
    leave_permit_reject,
    leave_request_approve,
    leave_request_create,
    leave_request_reject,
    leave_request_return,
)

FILTERS = {"supervisee": params.ID, "status": params.choice(LeaveStatus.values)}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS])
class LeaveRequestListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = LeaveRequestSerializer
    audit_target_type = "supervision.leaverequest"
    # A role that never records leave is refused before its body is read (docs/roles.md principle 2).
    permission_classes = [IsAuthenticated, role_permission(RECORD_LEAVE)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return leave_request_list(user=self.request.user, filters=self.filters)

    @extend_schema(request=LeaveRequestCreateSerializer, responses={201: LeaveRequestSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = LeaveRequestCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Out of scope is 404, whatever the body says.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        leave = leave_request_create(
            supervisee=supervisee,
            by=request.user,
            destination=data["destination"],
            destination_code=data["destination_code"],
            reason_code=data["reason_code"],
            reason=data["reason"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            urgent=data["urgent"],
            urgent_reason=data["urgent_reason"],
        )
        return Response(LeaveRequestSerializer(leave).data, status=status.HTTP_201_CREATED)


class LeaveRequestDetailView(generics.RetrieveAPIView):
    serializer_class = LeaveRequestSerializer

    def get_object(self):
        return leave_request_get(user=self.request.user, pk=self.kwargs["pk"])


class LeaveRequestApproveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_LEAVE)]

    @extend_schema(request=DecisionSerializer, responses={200: LeaveRequestSerializer})
    def post(self, request, pk):
        leave = leave_request_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        leave = leave_request_approve(leave=leave, by=request.user, note=body.validated_data["note"])
        return Response(LeaveRequestSerializer(leave).data)


class LeaveRequestRejectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_LEAVE)]

    @extend_schema(request=DecisionSerializer, responses={200: LeaveRequestSerializer})
    def post(self, request, pk):
        leave = leave_request_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        leave = leave_request_reject(leave=leave, by=request.user, note=body.validated_data["note"])
        return Response(LeaveRequestSerializer(leave).data)


class LeaveRequestReturnView(APIView):
    permission_classes = [IsAuthenticated, role_permission(RECORD_LEAVE)]

    @extend_schema(request=ReturnSerializer, responses={200: LeaveRequestSerializer})
    def post(self, request, pk):
        leave = leave_request_get(user=request.user, pk=pk)
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        leave = leave_request_return(
            leave=leave, by=request.user, returned_on=body.validated_data["returned_on"]
        )
        return Response(LeaveRequestSerializer(leave).data)


class LeaveReasonListView(APIView):
    """The office's proper reasons for leave in force today (CCL 27 para. 1), for the caller's district:
    the codes a leave request or a permit names."""

    @extend_schema(responses={200: LeaveReasonSerializer(many=True)})
    def get(self, request):
        district_id = request.user.agency.district_id if request.user.agency_id else None
        reasons = leave_reasons_for(district_id=district_id, on=office_today())
        return Response(LeaveReasonSerializer(reasons, many=True).data)


PERMIT_FILTERS = {"supervisee": params.ID, "status": params.choice(PermitStatus.values)}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in PERMIT_FILTERS])
class LeavePermitListView(AuditedListMixin, generics.ListCreateAPIView):
    """Standing cross-city permits (CCL 27 para. 1: simplified approval for frequent travel): proposed by
    an officer, approved by a bureau supervisor who is not the proposer. Leave recorded inside an approved
    permit's places and period is approved on recording and names the permit."""

    serializer_class = LeavePermitSerializer
    audit_target_type = "supervision.leavepermit"
    permission_classes = [IsAuthenticated, role_permission(PROPOSE_PERMIT)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, PERMIT_FILTERS)
        return leave_permit_list(user=self.request.user, filters=self.filters)

    @extend_schema(request=LeavePermitProposeSerializer, responses={201: LeavePermitSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = LeavePermitProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        permit = leave_permit_propose(
            supervisee=supervisee,
            by=request.user,
            reason_code=data["reason_code"],
            details=data["details"],
            places=data["places"],
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
        return Response(LeavePermitSerializer(permit).data, status=status.HTTP_201_CREATED)


class LeavePermitDetailView(generics.RetrieveAPIView):
    serializer_class = LeavePermitSerializer

    def get_object(self):
        return leave_permit_get(user=self.request.user, pk=self.kwargs["pk"])


class LeavePermitApproveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_PERMIT)]

    @extend_schema(request=DecisionSerializer, responses={200: LeavePermitSerializer})
    def post(self, request, pk):
        permit = leave_permit_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        permit = leave_permit_approve(permit=permit, by=request.user, note=body.validated_data["note"])
        return Response(LeavePermitSerializer(permit).data)


class LeavePermitRejectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_PERMIT)]

    @extend_schema(request=DecisionSerializer, responses={200: LeavePermitSerializer})
    def post(self, request, pk):
        permit = leave_permit_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        permit = leave_permit_reject(permit=permit, by=request.user, note=body.validated_data["note"])
        return Response(LeavePermitSerializer(permit).data)
