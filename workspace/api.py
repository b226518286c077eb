"""API v1 for case files (`/api/v1/supervisees/...`): the case as corrections keeps it, with what other
apps compute about it (the next report due, the timeline). Views translate: parse, call one selector
or service, render."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import role_permission
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from config.office_time import office_today
from config.paging import PageFirstPagination
from corrections import selectors, services
from corrections.models import Supervisee
from corrections.scoping import CHANGE_CASES
from corrections.serializers import TimelineEventSerializer, TransitionSerializer
from supervision.duties import next_report_due, with_next_report_due

from .serializers import CaseSerializer
from .timeline import timeline_for

FILTERS = selectors.SUPERVISEE_FILTERS


def _case(user, pk):
    """One case the caller sees (404 otherwise), with its next report due."""
    supervisee = selectors.supervisee_get(user=user, pk=pk)
    supervisee.next_report_due = next_report_due(supervisee, on=office_today())
    return supervisee


def _split(validated: dict) -> tuple[dict, dict, dict]:
    """A supervisee serializer's data as the service's: fields, sentence, and the prohibition orders
    (`prohibitions` as text or `prohibition_orders` as objects, whichever was given)."""
    fields = dict(validated)
    sentence = dict(fields.pop("sentence", None) or {})
    orders = sentence.pop("prohibition_orders", None)
    prohibitions = {
        "prohibitions": sentence.pop("prohibition_list", None),
        "prohibition_orders": None if orders is None else [dict(order) for order in orders],
    }
    return fields, sentence, prohibitions


@extend_schema(parameters=[OpenApiParameter(name, str) for name in FILTERS])
class SuperviseeListView(generics.ListCreateAPIView):
    serializer_class = CaseSerializer
    # Registering: a role that never changes a case is refused before its body is read (docs/roles.md
    # principle 2), as on every write below.
    permission_classes = [IsAuthenticated, role_permission(CHANGE_CASES)]
    # The page's rows alone are read in full, with their duty computed (config.paging).
    pagination_class = PageFirstPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no database at hand
            return Supervisee.objects.none()
        self.filters = params.parse(self.request.query_params, FILTERS)
        return with_next_report_due(
            selectors.supervisee_list(user=self.request.user, filters=self.filters), on=office_today()
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # After the answer, so that a refused request (a bad filter, no such page) writes nothing: a
        # search is audited as one (it reveals who is under correction), any other read as a list.
        if self.filters["q"]:
            services.supervisee_search_record(
                user=request.user, filters=self.filters, ip_address=client_ip(request)
            )
        else:
            list_read_record(
                user=request.user,
                target_type="corrections.supervisee",
                filters=self.filters,
                ip_address=client_ip(request),
            )
        return response

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields, sentence, prohibitions = _split(body.validated_data)
        supervisee = services.supervisee_register(
            by=request.user,
            fields=fields,
            sentence=sentence,
            prohibitions=prohibitions["prohibitions"] or (),
            prohibition_orders=prohibitions["prohibition_orders"],
        )
        return Response(
            self.get_serializer(_case(request.user, supervisee.pk)).data, status=status.HTTP_201_CREATED
        )


class SuperviseeDetailView(generics.RetrieveUpdateAPIView):
    serializer_class = CaseSerializer
    http_method_names = ["get", "patch", "head", "options"]
    permission_classes = [IsAuthenticated, role_permission(CHANGE_CASES)]

    def get_object(self):
        return _case(self.request.user, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        supervisee = self.get_object()
        services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
        return Response(self.get_serializer(supervisee).data)

    def partial_update(self, request, *args, **kwargs):
        supervisee = self.get_object()
        body = self.get_serializer(supervisee, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        fields, sentence, prohibitions = _split(body.validated_data)
        services.supervisee_update(
            supervisee=supervisee,
            by=request.user,
            fields=fields,
            sentence=sentence,
            **prohibitions,
        )
        return Response(self.get_serializer(_case(request.user, supervisee.pk)).data)


class SuperviseeTransitionView(APIView):
    permission_classes = [IsAuthenticated, role_permission(CHANGE_CASES)]

    @extend_schema(request=TransitionSerializer, responses={200: CaseSerializer})
    def post(self, request, pk):
        supervisee = selectors.supervisee_get(user=request.user, pk=pk)
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "checklist" in data:
            # An intake with its checklist (v1.1): the checklist is recorded with the move.
            services.supervisee_intake(
                supervisee=supervisee,
                by=request.user,
                on=data["date"],
                checklist=data["checklist"],
                note=data["reason"],
            )
        else:
            services.supervisee_transition(
                supervisee=supervisee,
                by=request.user,
                to=data["to"],
                on=data["date"],
                reason=data["reason"],
                ground=data["ground"],
            )
        return Response(CaseSerializer(_case(request.user, pk), context={"request": request}).data)


class SuperviseeTimelineView(generics.GenericAPIView):
    serializer_class = TimelineEventSerializer

    filter_backends = []  # none: the list is of one case (and the schema then looks for no model's filters)

    # A paginated list, though not a ListAPIView: `many=True` makes the schema say so.
    @extend_schema(responses=TimelineEventSerializer(many=True))
    def get(self, request, pk):
        supervisee = selectors.supervisee_get(user=request.user, pk=pk)
        with transaction.atomic():
            services.supervisee_open(user=request.user, supervisee=supervisee, ip_address=client_ip(request))
        page = self.paginate_queryset(timeline_for(supervisee, user=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
