"""The reports page (`/reports/`): pick a month and an office, read the tables, download the workbook.
Views translate: parse, call one selector, render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.constants import Role
from accounts.receivers import client_ip
from config.api import StateConflict
from corrections.constants import Category
from corrections.scoping import EDITING_ROLES
from corrections.services import office_today

from . import services
from .forms import CheckInExportForm, LedgerConfirmForm, LedgerUploadForm
from .labels import breakdown_sections, figure_rows
from .ledger import COLUMNS
from .models import LedgerImportStatus
from .months import parse_month, previous_month
from .resources import CaseloadResource, CheckInResource, render_export
from .selectors import (
    CASELOAD_EXPORT_FILTERS,
    caseload_export_list,
    check_may_read_reports,
    checkin_export_list,
    ledger_import_get,
    ledger_import_list,
    monthly_statistics_get,
    report_office_list,
)

PREVIEW_ROWS = 200


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
            "may_import": request.user.role in EDITING_ROLES,
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
    dataset = resource.export(queryset)
    content, content_type = render_export(dataset, export_format)
    services.data_export_record(
        user=request.user,
        target_type=target_type,
        filters=filters,
        rows=dataset.height,
        export_format=export_format,
        ip_address=client_ip(request),
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{office_today():%Y%m%d}.{export_format}"'
    return response


@login_required
def caseload_export(request, export_format: str):
    filters = {name: request.GET.get(name, "").strip() for name in CASELOAD_EXPORT_FILTERS}
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
    form = CheckInExportForm(request.GET)
    if not form.is_valid():
        messages = [f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return HttpResponseBadRequest("\n".join(messages), content_type="text/plain; charset=utf-8")
    since, until = form.cleaned_data.get("since"), form.cleaned_data.get("until")
    return _export_response(
        request,
        resource=CheckInResource(),
        queryset=checkin_export_list(user=request.user, since=since, until=until),
        name="checkins",
        export_format=export_format,
        target_type="supervision.checkin",
        filters={"since": since or "", "until": until or ""},
    )
