from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from .constants import AuditAction
from .receivers import client_ip
from .selectors import agency_list
from .serializers import AgencySerializer, MeSerializer, TokenRequestSerializer, TokenSerializer
from .services import audit_record, user_sign_in_record


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "sign_in"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(
            request, username=body.validated_data["username"], password=body.validated_data["password"]
        )
        if user is None or not user.is_active:
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_FAILED,
                target_type="accounts.user",
                changes={"username": body.validated_data["username"][:150], "via": "token"},
                ip_address=client_ip(request),
            )
            return Response(
                {"detail": _("The username or password is not correct.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        token, _created = Token.objects.get_or_create(user=user)
        user_sign_in_record(user=user, ip_address=client_ip(request), via="token")
        return Response({"token": token.key})


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class AgencyListView(generics.ListAPIView):
    serializer_class = AgencySerializer

    def get_queryset(self):
        return agency_list(user=self.request.user)
