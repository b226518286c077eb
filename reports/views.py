"""The reports page (`/reports/`): pick a month and an office, read the tables, download the workbook.
Views translate: parse, call one selector, render."""

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from accounts.constants import Role
from accounts.receivers import client_ip
from accounts.services import list_read_record
from config import params
from config.api import StateConflict
from config.db_router import on_replica, reading_replica
from config.office_time import office_today
from corrections.constants import Category
from corrections.scoping import EDITING_ROLES

from . import services
from .charts import trend_bars
from .forms import LedgerConfirmForm, LedgerUploadForm
from .labels import breakdown_sections, figure_label, figure_rows
from .ledger import COLUMNS
from .models import LedgerImportStatus
from .months import parse_month, previous_month
from .resources import XLSX_CONTENT_TYPE, CaseloadResource, CheckInResource, export_stream
from .selectors import (
    CASELOAD_EXPORT_FILTERS,
    caseload_export_list,
    check_may_read_reports,
    checkin_export_list,
    figure_case_list,
    ledger_import_get,
    ledger_import_list,
    monthly_statistics_get,
    monthly_trend_list,
    report_district_list,
    report_office_list,
    report_scope,
    scope_label,
    signed_off_display,
)
from .statistics import figure_counts_people

PREVIEW_ROWS = 200
FIGURE_CASES_PER_PAGE = 50


def _office_id(query) -> int | None:
    """The `justice_office` asked for (config.params: not an id is a 400 naming it; an office out of
    the reader's reach is 404, report_scope)."""
    return params.parse(query, {"justice_office": params.ID})["justice_office"]


def _district_id(query) -> int | None:
    """The `district` asked for: a city bureau's supervisor narrows the city's figures to one district."""
    return params.parse(query, {"district": params.ID})["district"]


def _drill_url(key: str, query: dict) -> str:
    """The address of the cases behind a figure, or "" for a figure not counted person by person."""
    if not figure_counts_people(key):
        return ""
    params = {"month": f"{query['month']:%Y-%m}", "figure": key}
    for name in ("justice_office", "district"):
        if query.get(name):
            params[name] = query[name]
    return reverse("reports-figure-cases") + "?" + urlencode(params)


@login_required
def monthly_report(request, *, problem: str = "", status: int = 200, confirming_sign: bool = False):
    check_may_read_reports(request.user)
    today = office_today()
    errors: dict[str, list[str]] = {}
    month = previous_month(today)
    source = request.POST if request.method == "POST" else request.GET
    if source.get("month"):
        try:
            month = parse_month(source["month"], today=today)
        except ValidationError as error:
            errors["month"] = error.messages
    office_id = _office_id(source)
    district_id = _district_id(source)
    statistics, office = monthly_statistics_get(
        user=request.user, month=month, justice_office_id=office_id, district_id=district_id
    )
    area = {"district": district_id} if district_id else {}
    query = {"month": f"{month:%Y-%m}", **area, **({"justice_office": office.pk} if office else {})}
    drill = {"month": month, "justice_office": office.pk if office else None, **area}
    figures = [
        (key, label, f"{value:.2%}" if key == "report_compliance" else value, _drill_url(key, drill))
        for key, label, value in figure_rows(statistics)
    ]
    breakdowns = [
        (
            key,
            title,
            [(code, label, count, _drill_url(f"{key}.{code}", drill)) for code, label, count in rows],
        )
        for key, title, rows in breakdown_sections(statistics)
    ]
    labels = {key: label for key, label, _value, _url in figures}
    for key, title, rows in breakdowns:
        labels.update({f"{key}.{code}": f"{title}: {label}" for code, label, _count, _url in rows})
    trend = monthly_trend_list(
        user=request.user,
        month=month,
        justice_office_id=office.pk if office else None,
        latest=statistics,
        district_id=district_id,
    )
    city_level = request.user.is_city_level
    offices = report_office_list(user=request.user)
    if district_id:
        offices = offices.filter(district_id=district_id)
    return render(
        request,
        "reports/monthly.html",
        {
            "month": month,
            "max_month": f"{today:%Y-%m}",
            "office": office,
            "offices": offices,
            "district_choice": request.user.role != Role.JUSTICE_OFFICER,
            # A city bureau's supervisor: the city's districts to choose from, and the scope's name.
            "districts": report_district_list(user=request.user) if city_level else None,
            "district_id": district_id,
            "area_name": scope_label(user=request.user, district_id=district_id) if city_level else "",
            "may_import": request.user.role in EDITING_ROLES and not city_level,
            "may_sign": request.user.role == Role.JUSTICE_SUPERVISOR
            and not city_level
            and "signed" not in statistics
            and month < today.replace(day=1),
            # Who signed, by name, and when, in the office's time (the API keeps the username and ISO time).
            "signed": signed_off_display(statistics.get("signed")),
            "changed": [labels.get(key, key) for key in statistics.get("changed_since_signing", [])],
            "problem": problem,
            "confirming_sign": confirming_sign,
            "errors": errors,
            "figures": figures,
            "breakdowns": breakdowns,
            "closing": statistics["closing"],
            "trend": [{**row, "compliance": f"{row['report_compliance']:.2%}"} for row in trend],
            "chart": trend_bars(trend),
            "xlsx_url": reverse("api-reports-monthly-xlsx") + "?" + urlencode(query),
            "json_url": reverse("api-reports-monthly") + "?" + urlencode(query),
        },
        status=400 if errors else status,
    )


@login_required
@require_POST
def monthly_sign(request):
    """The page's "Sign off this month" button: the month and office of the page being read."""
    services.check_may_sign_months(request.user)
    try:
        month = parse_month(request.POST.get("month"), today=office_today())
        office_id = _office_id(request.POST)
        _scope, office = report_scope(user=request.user, justice_office_id=office_id)
        if request.POST.get("confirm") != "yes":
            # Signing cannot be undone: the first submit checks and asks to confirm (issue 13).
            services.monthly_snapshot_sign_check(user=request.user, month=month, justice_office=office)
            return monthly_report(request, confirming_sign=True)
        services.monthly_snapshot_sign(user=request.user, month=month, justice_office=office)
    except ValidationError as error:
        return monthly_report(request, problem=" ".join(error.messages), status=400)
    except StateConflict as conflict:
        return monthly_report(request, problem=conflict.message, status=409)
    query = {"month": f"{month:%Y-%m}", **({"justice_office": office.pk} if office else {})}
    return redirect(reverse("reports-monthly") + "?" + urlencode(query))


@login_required
def figure_cases(request):
    """`/reports/cases/?month=YYYY-MM&figure=<key>[&justice_office=ID]`: the cases behind one figure."""
    check_may_read_reports(request.user)
    query = params.parse(
        request.GET, {"figure": params.TEXT, "justice_office": params.ID, "district": params.ID}
    )
    try:
        month = parse_month(request.GET.get("month"), today=office_today())
    except ValidationError as error:
        raise ValidationError({"month": error.messages}) from error  # a 400 page naming it
    key = query["figure"] or ""
    cases, office = figure_case_list(
        user=request.user,
        month=month,
        key=key,
        justice_office_id=query["justice_office"],
        district_id=query["district"],
    )
    page = Paginator(cases, FIGURE_CASES_PER_PAGE).get_page(request.GET.get("page"))
    # The cases behind a figure are a list of people (API.md: list reads are audited as well).
    list_read_record(
        user=request.user,
        target_type="reports.figure",
        filters={"month": f"{month:%Y-%m}", "figure": key, "justice_office": office.pk if office else None},
        ip_address=client_ip(request),
    )
    district_id = query["district"]
    area = {"district": district_id} if district_id else {}
    query = {
        "month": f"{month:%Y-%m}",
        "figure": key,
        **area,
        **({"justice_office": office.pk} if office else {}),
    }
    back = {"month": query["month"], **area, **({"justice_office": office.pk} if office else {})}
    return render(
        request,
        "reports/figure_cases.html",
        {
            "month": month,
            "office": office,
            "figure": key,
            # The figure in words, as the monthly page names its row (never the raw key).
            "figure_label": figure_label(key),
            "area_name": scope_label(user=request.user, district_id=district_id)
            if request.user.is_city_level
            else "",
            "page": page,
            # CCL 54, 58: a minor's identity is kept confidential; the list names no minor.
            "minor_label": _("Minor (name withheld)"),
            "query": urlencode(query),
            "back_url": reverse("reports-monthly") + "?" + urlencode(back),
        },
    )


# --- ledger import -----------------------------------------------------------------------------------


def _import_page(request, ledger_import, *, confirm_form=None, problem: str = "", status: int = 200):
    errors_by_row: dict = {}
    for error in sorted(ledger_import.errors, key=lambda e: (e["row"] is not None, e["row"] or 0)):
        errors_by_row.setdefault(error["row"], []).append(error)
    preview = ledger_import.preview
    return render(
        request,
        "reports/import_detail.html",
        {
            "ledger_import": ledger_import,
            "errors_by_row": list(errors_by_row.items()),
            "rows_with_errors": len([row for row in errors_by_row if row is not None]),
            "preview": [
                {**row, "category_label": Category(row["category"]).label} for row in preview[:PREVIEW_ROWS]
            ],
            "preview_more": max(0, len(preview) - PREVIEW_ROWS),
            "confirm_form": confirm_form or LedgerConfirmForm(initial={"sha256": ledger_import.sha256}),
            "problem": problem,
            "queued": ledger_import.status == LedgerImportStatus.IMPORTING and not ledger_import.started_at,
        },
        status=status,
    )


@login_required
def ledger_import_template(request):
    """An empty ledger to fill in: one sheet whose first row is the headers the import reads (the first
    spelling of each column, `reports.ledger.COLUMNS`), so a clerk starts from what will be accepted."""
    services.check_may_import(request.user)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ledger")
    sheet.append([headers[0] for headers in COLUMNS.values()])
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(12, 2 * len(str(column[0].value)) + 2)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=_("ledger-template") + ".xlsx", content_type=XLSX_CONTENT_TYPE
    )


@login_required
def ledger_import(request):
    services.check_may_import(request.user)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ledger_import = services.ledger_import_upload(by=request.user, upload=form.cleaned_data["file"])
        return redirect("reports-import-detail", pk=ledger_import.pk)
    return render(
        request,
        "reports/import.html",
        {
            "form": form,
            "imports": ledger_import_list(user=request.user),
            "columns": [(key, headers[0]) for key, headers in COLUMNS.items()],
        },
        status=400 if form.errors else 200,
    )


@login_required
def ledger_import_detail(request, pk: int):
    services.check_may_import(request.user)
    return _import_page(request, ledger_import_get(user=request.user, pk=pk))


@login_required
@require_POST
def ledger_import_confirm(request, pk: int):
    services.check_may_import(request.user)
    ledger_import = ledger_import_get(user=request.user, pk=pk)
    form = LedgerConfirmForm(request.POST)
    if not form.is_valid():
        return _import_page(request, ledger_import, confirm_form=form, status=400)
    try:
        ledger_import = services.ledger_import_confirm(
            ledger_import=ledger_import, by=request.user, sha256=form.cleaned_data["sha256"]
        )
    except ValidationError as error:
        for message in error.message_dict.get("sha256", error.messages):
            form.add_error(None, message)
        return _import_page(request, ledger_import, confirm_form=form, status=400)
    except StateConflict as conflict:
        return _import_page(request, ledger_import, problem=conflict.message, status=409)
    return redirect("reports-import-detail", pk=ledger_import.pk)


@login_required
def ledger_import_status(request, pk: int):
    """JSON for the page's progress poll."""
    services.check_may_import(request.user)
    ledger_import = ledger_import_get(user=request.user, pk=pk)
    services.ledger_import_nudge(ledger_import=ledger_import)
    return JsonResponse(
        {
            "id": ledger_import.pk,
            "status": ledger_import.status,
            "status_label": str(ledger_import.get_status_display()),
            "rows": ledger_import.rows,
            "progress": ledger_import.progress,
            "errors": len(ledger_import.errors),
            "queued": ledger_import.status == LedgerImportStatus.IMPORTING and not ledger_import.started_at,
        }
    )


# --- exports -----------------------------------------------------------------------------------------


def _export_response(
    request, *, resource, queryset, name: str, export_format: str, target_type: str, filters
):
    """The export, streamed (issue 14): the audit row is written first, with the number of rows counted
    in the database (one COUNT), then the file is written as the rows are read (`.iterator()`), so
    memory stays flat whatever the caseload and the first bytes leave at once."""
    with reading_replica():  # the rows come from the replica when there is one (config/db_router.py)
        rows = queryset.count()
    services.data_export_record(
        user=request.user,
        target_type=target_type,
        filters=filters,
        rows=rows,
        export_format=export_format,
        ip_address=client_ip(request),
    )
    content, content_type = export_stream(resource, queryset, export_format)
    response = StreamingHttpResponse(on_replica(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{office_today():%Y%m%d}.{export_format}"'
    return response


# The check-in export's dates: office days, both inclusive (config.params: a bad one is a 400 naming it).
CHECKIN_EXPORT_FILTERS = {"since": params.day, "until": params.day}


@login_required
def caseload_export(request, export_format: str):
    filters = {
        name: value or "" for name, value in params.parse(request.GET, CASELOAD_EXPORT_FILTERS).items()
    }
    return _export_response(
        request,
        resource=CaseloadResource(reader=request.user),
        queryset=caseload_export_list(user=request.user, filters=filters),
        name="caseload",
        export_format=export_format,
        target_type="corrections.supervisee",
        filters=filters,
    )


@login_required
def checkin_export(request, export_format: str):
    query = params.parse(request.GET, CHECKIN_EXPORT_FILTERS)
    since, until = query["since"], query["until"]
    if since and until and until < since:
        raise ValidationError({"until": [_("The end date cannot be before the start date.")]})
    return _export_response(
        request,
        resource=CheckInResource(),
        queryset=checkin_export_list(user=request.user, since=since, until=until),
        name="checkins",
        export_format=export_format,
        target_type="supervision.checkin",
        filters={"since": since or "", "until": until or ""},
    )
