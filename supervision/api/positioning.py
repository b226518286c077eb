"""API v1.1: electronic positioning orders (CCL 29) and the violations of prohibition orders that are
their first ground. Views translate: parse, call one selector or service, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from config import params
from corrections.selectors import prohibition_get, supervisee_get

from ..constants import PositioningGround, PositioningStatus
from ..selectors import (
    check_may_read_positioning,
    positioning_order_get,
    positioning_order_list,
    prohibition_violation_get,
    prohibition_violation_list,
)
from ..serializers import (
    DecisionSerializer,
    EndSerializer,
    PositioningOrderProposeSerializer,
    PositioningOrderSerializer,
    ProhibitionViolationCreateSerializer,
    ProhibitionViolationSerializer,
)
from ..services.positioning import (
    DECIDE_POSITIONING,
    END_POSITIONING,
    PROPOSE_POSITIONING,
    positioning_order_approve,
    positioning_order_end,
    positioning_order_propose,
    positioning_order_read_record,
    positioning_order_reject,
)
from ..services.prohibitions import RECORD_VIOLATIONS, prohibition_violation_record

ORDER_FILTERS = {
    "supervisee": params.ID,
    "status": params.choice(PositioningStatus.values),
    "ground": params.choice(PositioningGround.values),
    "in_force": params.flag,
}
VIOLATION_FILTERS = {"supervisee": params.ID, "prohibition": params.ID}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in ORDER_FILTERS])
class PositioningOrderListView(AuditedListMixin, generics.ListCreateAPIView):
    """Electronic positioning orders (CCL 29): read by the case's office, the bureau's supervisors and
    the procuratorate (403 for the other roles)."""

    serializer_class = PositioningOrderSerializer
    audit_target_type = "supervision.positioningorder"
    permission_classes = [IsAuthenticated, role_permission(PROPOSE_POSITIONING)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, ORDER_FILTERS)
        return positioning_order_list(user=self.request.user, filters=self.filters)

    def list(self, request, *args, **kwargs):
        check_may_read_positioning(request.user)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PositioningOrderProposeSerializer, responses={201: PositioningOrderSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = PositioningOrderProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Out of scope is 404, whatever the body says; so are a violation and an order the caller does
        # not see.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        violation = (
            prohibition_violation_get(user=request.user, pk=data["violation"])
            if data.get("violation")
            else None
        )
        extends = (
            positioning_order_get(user=request.user, pk=data["extends"]) if data.get("extends") else None
        )
        order = positioning_order_propose(
            supervisee=supervisee,
            by=request.user,
            ground=data.get("ground") or "",
            start_date=data.get("start_date"),
            end_date=data["end_date"],
            reason=data["reason"],
            violation=violation,
            extends=extends,
        )
        order = positioning_order_get(user=request.user, pk=order.pk)
        return Response(PositioningOrderSerializer(order).data, status=status.HTTP_201_CREATED)


class PositioningOrderDetailView(generics.RetrieveAPIView):
    serializer_class = PositioningOrderSerializer

    def get_object(self):
        return positioning_order_get(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        order = self.get_object()
        # Who is under electronic positioning is confidential (CCL 29 para. 3): every read is audited.
        positioning_order_read_record(user=request.user, order=order, ip_address=client_ip(request))
        return Response(self.get_serializer(order).data)


def _answer(request, order):
    return Response(PositioningOrderSerializer(positioning_order_get(user=request.user, pk=order.pk)).data)


class PositioningOrderApproveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_POSITIONING)]

    @extend_schema(request=DecisionSerializer, responses={200: PositioningOrderSerializer})
    def post(self, request, pk):
        order = positioning_order_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = positioning_order_approve(order=order, by=request.user, note=body.validated_data["note"])
        return _answer(request, order)


class PositioningOrderRejectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_POSITIONING)]

    @extend_schema(request=DecisionSerializer, responses={200: PositioningOrderSerializer})
    def post(self, request, pk):
        order = positioning_order_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = positioning_order_reject(order=order, by=request.user, note=body.validated_data["note"])
        return _answer(request, order)


class PositioningOrderEndView(APIView):
    permission_classes = [IsAuthenticated, role_permission(END_POSITIONING)]

    @extend_schema(request=EndSerializer, responses={200: PositioningOrderSerializer})
    def post(self, request, pk):
        order = positioning_order_get(user=request.user, pk=pk)
        body = EndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = positioning_order_end(order=order, by=request.user, reason=body.validated_data["reason"])
        return _answer(request, order)


@extend_schema(parameters=[OpenApiParameter(n, str) for n in VIOLATION_FILTERS])
class ProhibitionViolationListView(AuditedListMixin, generics.ListCreateAPIView):
    """Violations of court prohibition orders (CL 38 para. 2, 72 para. 2), recorded against the order."""

    serializer_class = ProhibitionViolationSerializer
    audit_target_type = "supervision.prohibitionviolation"
    permission_classes = [IsAuthenticated, role_permission(RECORD_VIOLATIONS)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, VIOLATION_FILTERS)
        return prohibition_violation_list(user=self.request.user, filters=self.filters)

    @extend_schema(
        request=ProhibitionViolationCreateSerializer, responses={201: ProhibitionViolationSerializer}
    )
    @idempotent
    def create(self, request, *args, **kwargs):
        body = ProhibitionViolationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        prohibition = prohibition_get(user=request.user, pk=data["prohibition"])
        violation = prohibition_violation_record(
            prohibition=prohibition,
            by=request.user,
            occurred_on=data["occurred_on"],
            description=data["description"],
            measure_kind=data["measure_kind"],
            evidence=data["evidence"],
        )
        return Response(ProhibitionViolationSerializer(violation).data, status=status.HTTP_201_CREATED)


class ProhibitionViolationDetailView(generics.RetrieveAPIView):
    serializer_class = ProhibitionViolationSerializer

    def get_object(self):
        return prohibition_violation_get(user=self.request.user, pk=self.kwargs["pk"])
