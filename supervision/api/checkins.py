import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from accounts.idempotency import idempotent
from config.office_time import as_office_time, start_of_day
from corrections.selectors import supervisee_get

from ..selectors import checkin_list
from ..serializers import CheckInCreateSerializer, CheckInSerializer
from ..services.checkins import checkin_record


def _moment(value: str, *, field: str, end: bool = False) -> dt.datetime:
    """A filter bound: a date means its local day (inclusive for `until`), a datetime as given."""
    day = parse_date(value)
    if day is not None:
        return start_of_day(day + dt.timedelta(days=1) if end else day)
    moment = parse_datetime(value)
    if moment is None:
        raise ValidationError({field: [_("Give a date (2026-11-25) or a time with offset.")]})
    return as_office_time(moment)


# On `get` and `post`, not on `list` and `create`: drf-spectacular reads those only on viewsets.
@extend_schema_view(
    get=extend_schema(
        parameters=[OpenApiParameter(n, str) for n in ("supervisee", "since", "until", "kind")]
    ),
    post=extend_schema(request=CheckInCreateSerializer, responses={201: CheckInSerializer}),
)
class CheckInListView(generics.ListCreateAPIView):
    serializer_class = CheckInSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {"supervisee": params.get("supervisee"), "kind": params.get("kind")}
        if params.get("since"):
            filters["since"] = _moment(params["since"], field="since")
        if params.get("until"):
            filters["until"] = _moment(params["until"], field="until", end=True)
        return checkin_list(user=self.request.user, filters=filters)

    @idempotent
    def create(self, request, *args, **kwargs):
        body = CheckInCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # Out of scope is 404, whatever the body says, and so is an id that does not exist.
        supervisee = supervisee_get(user=request.user, pk=data["supervisee"])
        checkin = checkin_record(
            supervisee=supervisee,
            by=request.user,
            kind=data["kind"],
            at=data["occurred_at"],
            notes=data["notes"],
            hours=data.get("hours"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )
        return Response(self.get_serializer(checkin).data, status=status.HTTP_201_CREATED)
