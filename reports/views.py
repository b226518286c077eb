"""The reports page (`/reports/`): pick a month and an office, read the tables, download the workbook.
Views translate: parse, call one selector, render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.constants import Role
from corrections.services import office_today

from .labels import breakdown_sections, figure_rows
from .months import parse_month, previous_month
from .selectors import check_may_read_reports, monthly_statistics_get, report_office_list


@login_required
def monthly_report(request):
    check_may_read_reports(request.user)
    today = office_today()
    errors: dict[str, list[str]] = {}
    month = previous_month(today)
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"], today=today)
        except ValidationError as error:
            errors["month"] = error.messages
    office_param = (request.GET.get("justice_office") or "").strip()
    if office_param and not office_param.isdigit():
        raise Http404
    office_id = int(office_param) if office_param else None
    statistics, office = monthly_statistics_get(user=request.user, month=month, justice_office_id=office_id)
    query = {"month": f"{month:%Y-%m}", **({"justice_office": office.pk} if office else {})}
    return render(
        request,
        "reports/monthly.html",
        {
            "month": month,
            "max_month": f"{today:%Y-%m}",
            "office": office,
            "offices": report_office_list(user=request.user),
            "district_choice": request.user.role != Role.JUSTICE_OFFICER,
            "errors": errors,
            "figures": [
                (key, label, f"{value:.2%}" if key == "report_compliance" else value)
                for key, label, value in figure_rows(statistics)
            ],
            "breakdowns": breakdown_sections(statistics),
            "closing": statistics["closing"],
            "xlsx_url": reverse("api-reports-monthly-xlsx") + "?" + urlencode(query),
            "json_url": reverse("api-reports-monthly") + "?" + urlencode(query),
        },
        status=400 if errors else 200,
    )
