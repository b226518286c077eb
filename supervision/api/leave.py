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
from corrections.selectors import supervisee_get

from ..constants import LeaveStatus
from ..selectors import leave_request_get, leave_request_list
from ..serializers import (
    DecisionSerializer,
    LeaveRequestCreateSerializer,
    LeaveRequestSerializer,
    ReturnSerializer,
)
from ..services.leave import (
    DECIDE_LEAVE,
    RECORD_LEAVE,
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
            reason=data["reason"],
            start_date=data["start_date"],
            end_date=data["end_date"],
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
