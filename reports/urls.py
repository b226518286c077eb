from django.urls import path, re_path

from . import views

urlpatterns = [
    path("reports/", views.monthly_report, name="reports-monthly"),
    path("reports/sign/", views.monthly_sign, name="reports-monthly-sign"),
    path("reports/cases/", views.figure_cases, name="reports-figure-cases"),
    path("reports/import/", views.ledger_import, name="reports-import"),
    path("reports/import/template.xlsx", views.ledger_import_template, name="reports-import-template"),
    path("reports/import/<int:pk>/", views.ledger_import_detail, name="reports-import-detail"),
    path("reports/import/<int:pk>/confirm/", views.ledger_import_confirm, name="reports-import-confirm"),
    path("reports/import/<int:pk>/status/", views.ledger_import_status, name="reports-import-status"),
    re_path(
        r"^reports/exports/caseload\.(?P<export_format>xlsx|csv)$",
        views.caseload_export,
        name="reports-export-caseload",
    ),
    re_path(
        r"^reports/exports/checkins\.(?P<export_format>xlsx|csv)$",
        views.checkin_export,
        name="reports-export-checkins",
    ),
]
