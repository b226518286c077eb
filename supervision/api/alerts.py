from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.permissions import role_permission
from config import params
from config.paging import PageFirstPagination

from ..constants import AlertKind, AlertStatus
from ..selectors import alert_get, alert_list, alerts_listed
from ..serializers import AlertSerializer, ResolveSerializer
from ..services.alerts import ACT_ON_ALERTS, alert_acknowledge, alert_resolve

FILTERS = {
    "status": params.choice(AlertStatus.values),
    "kind": params.choice(AlertKind.values),
    "supervisee": params.ID,
}


@extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS])
class AlertListView(AuditedListMixin, generics.ListAPIView):
    serializer_class = AlertSerializer
    audit_target_type = "supervision.alert"
    # The page's alerts alone are read in full (config.paging).
    pagination_class = PageFirstPagination

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return alert_list(user=self.request.user, filters=self.filters)

    def page_rows(self):
        return alerts_listed()


class AlertDetailView(generics.RetrieveAPIView):
    serializer_class = AlertSerializer

    def get_object(self):
        return alert_get(user=self.request.user, pk=self.kwargs["pk"])


class AlertAcknowledgeView(APIView):
    permission_classes = [IsAuthenticated, role_permission(ACT_ON_ALERTS)]

    @extend_schema(request=None, responses={200: AlertSerializer})
    def post(self, request, pk):
        alert = alert_acknowledge(alert=alert_get(user=request.user, pk=pk), by=request.user)
        return Response(AlertSerializer(alert).data)


class AlertResolveView(APIView):
    permission_classes = [IsAuthenticated, role_permission(ACT_ON_ALERTS)]

    @extend_schema(request=ResolveSerializer, responses={200: AlertSerializer})
    def post(self, request, pk):
        alert = alert_get(user=request.user, pk=pk)
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert = alert_resolve(alert=alert, by=request.user, note=body.validated_data["note"])
        return Response(AlertSerializer(alert).data)
