"""API v1.1 "Social forces": activities and providers. Views translate: parse, call one selector or
service, render."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent
from accounts.permissions import role_permission
from config import params

from .constants import ActivityKind, ProviderKind
from .selectors import activity_get, activity_list, provider_get, provider_list
from .serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    ProviderCreateSerializer,
    ProviderSerializer,
)
from .services import MANAGE_PROVIDERS, RECORD_ACTIVITIES, Result, activity_record, provider_create

ACTIVITY_FILTERS = {
    "supervisee": params.ID,
    "kind": params.choice(ActivityKind.values),
    "provider": params.ID,
    "since": params.day,
    "until": params.day,
}
PROVIDER_FILTERS = {"kind": params.choice(ProviderKind.values), "active": params.flag}


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter(n, str) for n in ACTIVITY_FILTERS]),
    post=extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer}),
)
class ActivityListView(AuditedListMixin, generics.ListCreateAPIView):
    """Education, help and service activities (CCL 35-43) of the cases the reader sees; `since` and
    `until` are days (inclusive)."""

    serializer_class = ActivitySerializer
    audit_target_type = "community.activity"
    permission_classes = [IsAuthenticated, role_permission(RECORD_ACTIVITIES)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, ACTIVITY_FILTERS)
        return activity_list(user=self.request.user, filters=self.filters)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = ActivityCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # A provider outside the caller's district is 404, like a participant the caller does not see.
        provider = provider_get(user=request.user, pk=data["provider"]) if data.get("provider") else None
        results = {
            row["supervisee"]: Result(hours=row.get("hours"), outcome=row["outcome"], note=row["note"])
            for row in data.get("results", [])
        }
        activity = activity_record(
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            hours=data["hours"],
            topic=data["topic"],
            participants=data["participants"],
            provider=provider,
            outcome=data["outcome"],
            results=results,
        )
        activity = activity_get(user=request.user, pk=activity.pk)
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter(n, str) for n in PROVIDER_FILTERS]),
    post=extend_schema(request=ProviderCreateSerializer, responses={201: ProviderSerializer}),
)
class ProviderListView(generics.ListCreateAPIView):
    """The district's providers: volunteers, social organisations, employers and schools (CCL 13, 38-41).
    The register holds no supervisee's data, so its reads are not audited."""

    serializer_class = ProviderSerializer
    permission_classes = [IsAuthenticated, role_permission(MANAGE_PROVIDERS)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, PROVIDER_FILTERS)
        return provider_list(user=self.request.user, filters=self.filters)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = ProviderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        provider = provider_create(
            by=request.user,
            name=data["name"],
            kind=data["kind"],
            offers=data["offers"],
            contact=data["contact"],
            active=data["active"],
        )
        return Response(ProviderSerializer(provider).data, status=status.HTTP_201_CREATED)
