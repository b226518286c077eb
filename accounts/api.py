import datetime as dt

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from knox.models import AuthToken
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config import params

from .authentication import expired_tokens_delete
from .constants import AuditAction
from .forms import locked_out_message
from .models import Agency, AuditEvent
from .receivers import client_ip
from .selectors import agency_list, audit_event_list, may_read_audit_trail
from .serializers import (
    AgencySerializer,
    AuditEventSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .services import audit_record, user_sign_in_failed_record, user_sign_in_record


class SignInRateThrottle(ScopedRateThrottle):
    """Keyed on the client's address as client_ip sees it: DRF's own `get_ident` believes any
    X-Forwarded-For a client sends, so rotating the header would escape the limit."""

    def get_ident(self, request) -> str:
        return client_ip(request) or ""


class TokenView(APIView):
    """Exchange a username and password for an API token. A username locked out after repeated failures
    (django-axes, API.md "Operating") is refused with 429 before its password is checked."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SignInRateThrottle]
    throttle_scope = "sign_in"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username = body.validated_data["username"]
        if AxesProxyHandler.is_locked(request, {"username": username}):
            user_sign_in_failed_record(username=username, via="token", ip_address=client_ip(request))
            return Response(
                {"detail": locked_out_message()},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                # At most this long: the lockout runs from the fifth failure.
                headers={"Retry-After": str(int(settings.AXES_COOLOFF_TIME.total_seconds()))},
            )
        # A failure here is audited by accounts.receivers, as on the sign-in page.
        user = authenticate(request, username=username, password=body.validated_data["password"])
        if user is None or not user.is_active:
            return Response(
                {"detail": _("The username or password is not correct.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        # A new token at each sign-in; only its digest is stored, so the one given here is the only copy.
        # The user's expired ones go now (accounts.authentication: not on every request).
        expired_tokens_delete(user=user)
        _token, key = AuthToken.objects.create(
            user=user, expiry=dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
        )
        user_sign_in_record(user=user, ip_address=client_ip(request), via="token")
        return Response({"token": key})


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class AgencyListView(generics.ListAPIView):
    serializer_class = AgencySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model, as nobody
            return Agency.objects.none()
        return agency_list(user=self.request.user)


# --- the audit trail (docs/api.md#op-get-api-v1-audit-events) -----------------------------------------------
# `GET /api/v1/audit-events/`: read by a bureau supervisor and the procuratorate (docs/roles.md#the-roles),
# scoped to their district (accounts.selectors.audit_event_list). Any other role reaches the endpoint but the
# action is refused: 403, not 404, because there is no one object here whose existence a 403 would confirm.
# Read-only: other methods answer 405. Each list call is itself audited, as one `search` event.

# A date means the office's local midnight; a time carries its offset (API.md "Conventions").
AUDIT_FILTERS = {
    "supervisee": params.ID,
    "actor": params.text(150),
    "since": params.since,
    "action": params.choice(AuditAction.values),
}


class ReadsAuditTrail(BasePermission):
    message = _("Only a bureau supervisor or the procuratorate reads the audit trail.")

    def has_permission(self, request, view) -> bool:
        return may_read_audit_trail(request.user)


@extend_schema(
    parameters=[
        OpenApiParameter("supervisee", int),
        OpenApiParameter("actor", str, description="username"),
        OpenApiParameter("since", str, description="a date (the office's local midnight) or a time"),
        OpenApiParameter("action", str, enum=AuditAction.values),
    ]
)
class AuditEventListView(generics.ListAPIView):
    """Who read or changed what, when, newest first."""

    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated, ReadsAuditTrail]
    queryset = AuditEvent.objects.none()  # for the schema only; `list` reads audit_event_list

    def list(self, request, *args, **kwargs):
        filters = {
            name: value
            for name, value in params.parse(request.query_params, AUDIT_FILTERS).items()
            if value is not None
        }
        page = self.paginate_queryset(audit_event_list(user=request.user, filters=filters))
        # Reading the trail is itself audited (docs/rules.md#audit-and-privacy), after the page is read so
        # that the answer shows the trail as it was.
        audit_record(
            actor=request.user,
            action=AuditAction.SEARCH,
            target_type=AuditEvent._meta.label_lower,
            changes={
                name: (value.isoformat() if isinstance(value, dt.datetime) else value)
                for name, value in filters.items()
            },
            ip_address=client_ip(request),
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
