"""API v1: the procuratorate's exceptions view (coordination.oversight). Views translate: parse, call
one selector, render.

`GET /api/v1/oversight/exceptions/[?code=...]` for a procuratorate reviewer or a bureau supervisor (the
district's cases); any other role reaches the endpoint and is refused (403: the list is of the district,
not one object whose existence a 403 would confirm). A paginated list (docs/api.md#pagination) of
`{"supervisee", "case_number", "code", "since", "detail"}`, oldest first.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated

from accounts.constants import Role
from config import params
from corrections.models import Supervisee

from .oversight import EXCEPTION_CODES, oversight_exception_list

OVERSIGHT_ROLES = frozenset({Role.PROCURATORATE, Role.JUSTICE_SUPERVISOR})


class OverseesTheDistrict(BasePermission):
    message = _("Only the procuratorate or a bureau supervisor sees the oversight exceptions.")

    def has_permission(self, request, view) -> bool:
        return getattr(request.user, "role", None) in OVERSIGHT_ROLES


class OversightExceptionSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField()
    case_number = serializers.CharField()
    code = serializers.ChoiceField(choices=[(code, code) for code in EXCEPTION_CODES])
    since = serializers.DateField(allow_null=True)
    detail = serializers.CharField()


# Read by the one reader of query parameters, as every other filter (config.params): a repeated or NUL-laden
# `code` is refused there, where a serializer would have read one of the values.
FILTERS = {"code": params.choice(EXCEPTION_CODES)}


@extend_schema(parameters=[OpenApiParameter("code", str, enum=list(EXCEPTION_CODES))])
class OversightExceptionListView(generics.ListAPIView):
    serializer_class = OversightExceptionSerializer
    permission_classes = [IsAuthenticated, OverseesTheDistrict]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular building the schema
            return Supervisee.objects.none()
        code = params.parse(self.request.query_params, FILTERS)["code"]
        return oversight_exception_list(user=self.request.user, code=code)
