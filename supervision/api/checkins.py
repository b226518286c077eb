from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.api_lists import AuditedListMixin
from accounts.idempotency import idempotent, in_key_transaction
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from config import params
from corrections.selectors import supervisee_get_for_update

from ..constants import CheckInKind
from ..selectors import checkin_list
from ..serializers import CheckInCreateSerializer, CheckInSerializer
from ..services.checkins import RECORD_CHECKINS, checkin_record, location_read_record

# A date bound means its office day (inclusive for `until`); a time must carry its offset.
FILTERS = {
    "supervisee": params.ID,
    "since": params.since,
    "until": params.until,
    "kind": params.choice(CheckInKind.values),
    "positioning_order": params.ID,
}


# On `get` and `post`, not on `list` and `create`: drf-spectacular reads those only on viewsets.
@extend_schema_view(
    get=extend_schema(parameters=[OpenApiParameter(n, str) for n in FILTERS]),
    post=extend_schema(request=CheckInCreateSerializer, responses={201: CheckInSerializer}),
)
class CheckInListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = CheckInSerializer
    audit_target_type = "supervision.checkin"
    # A role that never records check-ins is refused before its body is read (docs/roles.md principle 2).
    permission_classes = [IsAuthenticated, role_permission(RECORD_CHECKINS)]

    def get_queryset(self):
        self.filters = params.parse(self.request.query_params, FILTERS)
        return checkin_list(user=self.request.user, filters=self.filters)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # Locations are read only by those who may (the serializer), and every such read is audited,
        # case by case (CCL 29 para. 3).
        page = getattr(self.paginator, "page", None)
        location_read_record(
            user=request.user, checkins=page.object_list if page else [], ip_address=client_ip(request)
        )
        return response

    @idempotent
    def create(self, request, *args, **kwargs):
        body = CheckInCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Within the Idempotency-Key's transaction, when there is one, no savepoint: an error here rolls
        # that whole transaction back anyway (accounts.idempotency).
        with transaction.atomic(savepoint=not in_key_transaction(request)):
            # Out of scope is 404, whatever the body says, and so is an id that does not exist: scope and
            # the case's lock in one query.
            supervisee = supervisee_get_for_update(user=request.user, pk=data["supervisee"])
            checkin = checkin_record(
                supervisee=supervisee,
                locked=True,
                by=request.user,
                kind=data["kind"],
                at=data["occurred_at"],
                notes=data["notes"],
                hours=data.get("hours"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            )
        return Response(self.get_serializer(checkin).data, status=status.HTTP_201_CREATED)
