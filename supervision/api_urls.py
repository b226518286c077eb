from django.urls import path

from .api import alerts, checkins, leave, measures, medical, positioning

urlpatterns = [
    path("checkins/", checkins.CheckInListView.as_view(), name="api-checkin-list"),
    path("alerts/", alerts.AlertListView.as_view(), name="api-alert-list"),
    path("alerts/<int:pk>/", alerts.AlertDetailView.as_view(), name="api-alert-detail"),
    path("alerts/<int:pk>/acknowledge/", alerts.AlertAcknowledgeView.as_view(), name="api-alert-acknowledge"),
    path("alerts/<int:pk>/resolve/", alerts.AlertResolveView.as_view(), name="api-alert-resolve"),
    path("leave-requests/", leave.LeaveRequestListView.as_view(), name="api-leave-list"),
    path("leave-requests/<int:pk>/", leave.LeaveRequestDetailView.as_view(), name="api-leave-detail"),
    path(
        "leave-requests/<int:pk>/approve/", leave.LeaveRequestApproveView.as_view(), name="api-leave-approve"
    ),
    path("leave-requests/<int:pk>/reject/", leave.LeaveRequestRejectView.as_view(), name="api-leave-reject"),
    path("leave-requests/<int:pk>/return/", leave.LeaveRequestReturnView.as_view(), name="api-leave-return"),
    path("leave-reasons/", leave.LeaveReasonListView.as_view(), name="api-leave-reasons"),
    path("leave-permits/", leave.LeavePermitListView.as_view(), name="api-leave-permit-list"),
    path("leave-permits/<int:pk>/", leave.LeavePermitDetailView.as_view(), name="api-leave-permit-detail"),
    path(
        "leave-permits/<int:pk>/approve/",
        leave.LeavePermitApproveView.as_view(),
        name="api-leave-permit-approve",
    ),
    path(
        "leave-permits/<int:pk>/reject/",
        leave.LeavePermitRejectView.as_view(),
        name="api-leave-permit-reject",
    ),
    path("measures/", measures.MeasureListView.as_view(), name="api-measure-list"),
    path("measures/<int:pk>/", measures.MeasureDetailView.as_view(), name="api-measure-detail"),
    path("measures/<int:pk>/approve/", measures.MeasureApproveView.as_view(), name="api-measure-approve"),
    path("measures/<int:pk>/reject/", measures.MeasureRejectView.as_view(), name="api-measure-reject"),
    path("positioning-orders/", positioning.PositioningOrderListView.as_view(), name="api-positioning-list"),
    path(
        "positioning-orders/<int:pk>/",
        positioning.PositioningOrderDetailView.as_view(),
        name="api-positioning-detail",
    ),
    path(
        "positioning-orders/<int:pk>/approve/",
        positioning.PositioningOrderApproveView.as_view(),
        name="api-positioning-approve",
    ),
    path(
        "positioning-orders/<int:pk>/reject/",
        positioning.PositioningOrderRejectView.as_view(),
        name="api-positioning-reject",
    ),
    path(
        "positioning-orders/<int:pk>/end/",
        positioning.PositioningOrderEndView.as_view(),
        name="api-positioning-end",
    ),
    path(
        "prohibition-violations/",
        positioning.ProhibitionViolationListView.as_view(),
        name="api-violation-list",
    ),
    path(
        "prohibition-violations/<int:pk>/",
        positioning.ProhibitionViolationDetailView.as_view(),
        name="api-violation-detail",
    ),
    path("medical-reports/", medical.MedicalReportListView.as_view(), name="api-medical-report-list"),
    path(
        "medical-reports/<int:pk>/document/",
        medical.MedicalReportDocumentView.as_view(),
        name="api-medical-report-document",
    ),
    path(
        "supervisees/<int:pk>/suggestions/",
        measures.SuperviseeSuggestionsView.as_view(),
        name="api-supervisee-suggestions",
    ),
]
