"""API v1: disciplinary measures (admonition 训诫, warning 警告) and the suggestions drawn from a case's
record. Views translate: parse, call one selector or service, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from corrections.selectors import supervisee_get

from ..constants import MeasureKind, MeasureStatus
from ..selectors import measure_get, measure_list, revocation_suggestions
from ..serializers import (
    DecisionSerializer,
    MeasureProposeSerializer,
    MeasureSerializer,
    SuggestionSerializer,
)
from ..services.measures import (
    DECIDE_MEASURES,
    PROPOSE_MEASURES,
    measure_approve,
    measure_propose,
    measure_reject,
)

FILTERS = {
    "supervisee": params.ID,
    "kind": params.choice(MeasureKind.values),
    "status": params.choice(MeasureStatus.values),
}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS])
class MeasureListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = MeasureSerializer
    audit_target_type = "supervision.measure"
    # A role that never proposes measures is refused before its body is read (docs/roles.md principle 2).
    permission_classes = [IsAuthenticated, role_permission(PROPOSE_MEASURES)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return measure_list(user=self.request.user, filters=self.filters)

    @extend_schema(request=MeasureProposeSerializer, responses={201: MeasureSerializer})
    @idempotent
    def create(self, request, *args, **kwargs):
        body = MeasureProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Out of scope is 404, whatever the body says.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        measure = measure_propose(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            reason=data["reason"],
            occurred_on=data["occurred_on"],
            evidence=data.get("evidence", ""),
        )
        return Response(MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


class MeasureDetailView(generics.RetrieveAPIView):
    serializer_class = MeasureSerializer

    def get_object(self):
        return measure_get(user=self.request.user, pk=self.kwargs["pk"])


class MeasureApproveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_MEASURES)]

    @extend_schema(request=DecisionSerializer, responses={200: MeasureSerializer})
    def post(self, request, pk):
        measure = measure_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = measure_approve(measure=measure, by=request.user, note=body.validated_data["note"])
        return Response(MeasureSerializer(measure).data)


class MeasureRejectView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_MEASURES)]

    @extend_schema(request=DecisionSerializer, responses={200: MeasureSerializer})
    def post(self, request, pk):
        measure = measure_get(user=request.user, pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = measure_reject(measure=measure, by=request.user, note=body.validated_data["note"])
        return Response(MeasureSerializer(measure).data)


class SuperviseeSuggestionsView(generics.GenericAPIView):
    """What the case's record suggests proposing; a person decides."""

    serializer_class = SuggestionSerializer

    filter_backends = []  # none: the list is of one case (and the schema then looks for no model's filters)

    # A paginated list, though not a ListAPIView: `many=True` makes the schema say so.
    @extend_schema(responses=SuggestionSerializer(many=True))
    def get(self, request, pk):
        supervisee = supervisee_get(user=request.user, pk=pk)
        page = self.paginate_queryset(revocation_suggestions(supervisee=supervisee))
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        # A list read about one case (API.md: list reads are audited as well).
        list_read_record(
            user=request.user,
            target_type="supervision.suggestion",
            filters={},
            supervisee_id=supervisee.pk,
            ip_address=client_ip(request),
        )
        return response
