"""API v1: the monthly statistics (docs/api.md#monthly-statistics). Views translate: parse, call one
selector (and, for an export, the service that audits it), render.

`GET /api/v1/reports/monthly/?month=YYYY-MM[&justice_office=ID]` answers JSON;
`GET /api/v1/reports/monthly.xlsx?month=...` the same figures as a workbook. A bad or future month is
400 `{"month": [...]}`; a role that reads no district figures is 403; an office out of reach is 404.
"""

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.receivers import client_ip
from config.office_time import office_today

from .excel import CONTENT_TYPE, monthly_workbook_stream
from .months import parse_month
from .selectors import check_may_read_reports, monthly_statistics_get, report_scope, scope_label
from .services import monthly_statistics_export_record

PARAMETERS = [
    OpenApiParameter("month", str, required=True, description="YYYY-MM, not in the future"),
    OpenApiParameter("justice_office", int, description="one justice office (default: the district)"),
    OpenApiParameter(
        "district",
        int,
        description="one district (a city bureau's supervisor: default the whole city; others: their own)",
    ),
]


class MonthlyQuerySerializer(serializers.Serializer):
    month = serializers.CharField(required=False, allow_blank=True)
    justice_office = serializers.IntegerField(required=False, min_value=1)
    district = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        try:
            attrs["month"] = parse_month(attrs.get("month"), today=office_today())
        except ValidationError as error:
            raise serializers.ValidationError({"month": error.messages}) from error
        return attrs


def _query(request):
    # The role comes first: a court or police user learns nothing, not even that the month is wrong.
    check_may_read_reports(request.user)
    query = MonthlyQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return (
        query.validated_data["month"],
        query.validated_data.get("justice_office"),
        query.validated_data.get("district"),
    )


def _statistics(request):
    month, office_id, district_id = _query(request)
    statistics, office = monthly_statistics_get(
        user=request.user, month=month, justice_office_id=office_id, district_id=district_id
    )
    return month, statistics, office, district_id


class MonthlyStatisticsView(APIView):
    @extend_schema(parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        month, statistics, office, _district_id = _statistics(request)
        monthly_statistics_export_record(
            user=request.user, month=month, office=office, export_format="json", ip_address=client_ip(request)
        )
        return Response(statistics)


class MonthlyStatisticsWorkbookView(APIView):
    @extend_schema(
        parameters=PARAMETERS,
        responses={(200, CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx workbook")},
    )
    def get(self, request):
        # Everything that can refuse the request is checked first (role, month, office or district in reach:
        # 403, 400, 404, no audit row); the figures are counted while the workbook's first parts are sent.
        month, office_id, district_id = _query(request)
        _scope, office = report_scope(user=request.user, justice_office_id=office_id, district_id=district_id)
        scope_name = office.name if office else scope_label(user=request.user, district_id=district_id)
        user = request.user

        def count():
            return monthly_statistics_get(
                user=user, month=month, justice_office_id=office_id, district_id=district_id
            )[0]

        monthly_statistics_export_record(
            user=request.user, month=month, office=office, export_format="xlsx", ip_address=client_ip(request)
        )
        response = StreamingHttpResponse(
            monthly_workbook_stream(statistics=count, month=month, scope_name=scope_name),
            content_type=CONTENT_TYPE,
        )
        suffix = f"-office-{office.pk}" if office else ""
        response["Content-Disposition"] = (
            f'attachment; filename="monthly-statistics-{month:%Y-%m}{suffix}.xlsx"'
        )
        return response
