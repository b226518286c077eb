from django.urls import path

from . import api

urlpatterns = [
    path("reports/monthly/", api.MonthlyStatisticsView.as_view(), name="api-reports-monthly"),
    path(
        "reports/monthly.xlsx", api.MonthlyStatisticsWorkbookView.as_view(), name="api-reports-monthly-xlsx"
    ),
]
