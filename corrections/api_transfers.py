"""API v1.1 addition: transfers of the place of execution (CCL 27 para. 2, corrections.transfers).

`GET /api/v1/transfers/?box=inbox|outbox&supervisee=ID&status=S` (paginated, the list read audited);
`POST /api/v1/transfers/` `{supervisee, to_office, reason, new_residence}` proposes (201);
`GET /api/v1/transfers/{id}/`; `POST /{id}/accept/` `{to_office?}` and `/{id}/refuse/` `{reason}` by a
supervisor of the receiving district; `/{id}/withdraw/` by the sending side. Out of scope is 404; a role
that sees it but may not take the action 403; a transfer already answered or withdrawn 409.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_lists import AuditedListMixin
from accounts.constants import AgencyKind, AuditAction
from accounts.models import Agency
from accounts.permissions import role_permission
from accounts.receivers import client_ip
from accounts.services import audit_record
from config import params
from config.api import TextField
from config.office_time import office_today

from .constants import TransferStatus
from .models import Transfer
from .selectors import supervisee_get
from .transfers import (
    DECIDE_TRANSFERS,
    PROPOSE_TRANSFERS,
    REASON_MAX,
    answered_late,
    check_may_answer,
    is_overdue,
    transfer_accept,
    transfer_get,
    transfer_list,
    transfer_propose,
    transfer_refuse,
    transfer_withdraw,
)

TRANSFER_FILTERS = {
    "box": params.choice(("inbox", "outbox")),
    "supervisee": params.ID,
    "status": params.choice(TransferStatus.values),
}


def _office(value: int | None) -> Agency | None:
    """The justice office an id names (400 on `to_office` when none does)."""
    if value is None:
        return None
    office = (
        Agency.objects.filter(pk=value, kind=AgencyKind.JUSTICE_OFFICE).select_related("district").first()
    )
    if office is None:
        raise serializers.ValidationError(_("No justice office has this id."))
    return office


class TransferSerializer(serializers.ModelSerializer):
    from_district = serializers.IntegerField(source="from_office.district_id", read_only=True)
    to_district = serializers.IntegerField(source="to_office.district_id", read_only=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    answered_late = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "supervisee",
            "from_office",
            "from_district",
            "to_office",
            "to_district",
            "status",
            "reason",
            "new_residence",
            "proposed_by",
            "proposed_at",
            "reply_due",
            "overdue",
            "decided_by",
            "decided_at",
            "answered_late",
            "refusal_reason",
            "transfer_date",
        ]

    def get_overdue(self, transfer: Transfer) -> bool:
        return is_overdue(transfer, today=office_today())

    def get_answered_late(self, transfer: Transfer) -> bool:
        return answered_late(transfer)


class TransferProposeSerializer(serializers.Serializer):
    supervisee = serializers.IntegerField(min_value=1, max_value=params.MAX_ID)
    to_office = serializers.IntegerField(min_value=1, max_value=params.MAX_ID)
    # Blank is refused by the service, with the words a clerk reads on the page too.
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
    new_residence = TextField(max_length=200, required=False, allow_blank=True, default="")

    def validate_to_office(self, value: int) -> Agency:
        return _office(value)


class TransferAcceptSerializer(serializers.Serializer):
    to_office = serializers.IntegerField(
        min_value=1, max_value=params.MAX_ID, required=False, allow_null=True, default=None
    )

    def validate_to_office(self, value: int | None) -> Agency | None:
        return _office(value)


class TransferRefuseSerializer(serializers.Serializer):
    reason = TextField(max_length=REASON_MAX, required=False, allow_blank=True, default="")


@extend_schema(parameters=[OpenApiParameter(name, str) for name in TRANSFER_FILTERS])
class TransferListView(AuditedListMixin, generics.ListCreateAPIView):
    serializer_class = TransferSerializer
    audit_target_type = "corrections.transfer"
    permission_classes = [IsAuthenticated, role_permission(PROPOSE_TRANSFERS)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database at hand
            return Transfer.objects.none()
        self.filters = params.parse(self.request.query_params, TRANSFER_FILTERS)
        transfers = transfer_list(
            user=self.request.user, box=self.filters.get("box"), supervisee_id=self.filters.get("supervisee")
        )
        if self.filters.get("status"):
            transfers = transfers.filter(status=self.filters["status"])
        return transfers

    @extend_schema(request=TransferProposeSerializer, responses={201: TransferSerializer})
    def post(self, request):
        body = TransferProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        transfer = transfer_propose(
            supervisee=supervisee,
            by=request.user,
            to_office=data["to_office"],
            reason=data["reason"],
            new_residence=data["new_residence"],
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


class TransferDetailView(APIView):
    @extend_schema(responses={200: TransferSerializer})
    def get(self, request, pk):
        transfer = transfer_get(user=request.user, pk=pk)
        # A read of the case's record (the new residence): audited like every read.
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            target=transfer,
            supervisee_id=transfer.supervisee_id,
            ip_address=client_ip(request),
        )
        return Response(TransferSerializer(transfer).data)


class TransferAcceptView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_TRANSFERS)]

    @extend_schema(request=TransferAcceptSerializer, responses={200: TransferSerializer})
    def post(self, request, pk):
        transfer = transfer_get(user=request.user, pk=pk)
        check_may_answer(transfer, request.user)  # 403 before the body is read
        body = TransferAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = transfer_accept(
            transfer=transfer, by=request.user, to_office=body.validated_data["to_office"]
        )
        return Response(TransferSerializer(transfer).data)


class TransferRefuseView(APIView):
    permission_classes = [IsAuthenticated, role_permission(DECIDE_TRANSFERS)]

    @extend_schema(request=TransferRefuseSerializer, responses={200: TransferSerializer})
    def post(self, request, pk):
        transfer = transfer_get(user=request.user, pk=pk)
        check_may_answer(transfer, request.user)  # 403 before the body is read
        body = TransferRefuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = transfer_refuse(transfer=transfer, by=request.user, reason=body.validated_data["reason"])
        return Response(TransferSerializer(transfer).data)


class TransferWithdrawView(APIView):
    permission_classes = [IsAuthenticated, role_permission(PROPOSE_TRANSFERS)]

    @extend_schema(request=None, responses={200: TransferSerializer})
    def post(self, request, pk):
        transfer = transfer_withdraw(transfer=transfer_get(user=request.user, pk=pk), by=request.user)
        return Response(TransferSerializer(transfer).data)
