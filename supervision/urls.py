from django.urls import path

from . import views

urlpatterns = [
    path("alerts/", views.alert_ledger, name="alert-list"),
    path("alerts/acknowledge/", views.alert_acknowledge_bulk_view, name="alert-acknowledge-bulk"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge_view, name="alert-acknowledge"),
    path("alerts/<int:pk>/resolve/", views.alert_resolve_view, name="alert-resolve"),
    path("approvals/", views.approvals, name="approvals"),
    # One route per decision: nothing else resolves, so an unknown decision is a plain 404.
    path(
        "approvals/leave/<int:pk>/approve/", views.leave_decide, {"decision": "approve"}, name="leave-approve"
    ),
    path("approvals/leave/<int:pk>/reject/", views.leave_decide, {"decision": "reject"}, name="leave-reject"),
    path(
        "approvals/measures/<int:pk>/approve/",
        views.measure_decide,
        {"decision": "approve"},
        name="measure-approve",
    ),
    path(
        "approvals/measures/<int:pk>/reject/",
        views.measure_decide,
        {"decision": "reject"},
        name="measure-reject",
    ),
    path(
        "approvals/positioning/<int:pk>/approve/",
        views.positioning_decide,
        {"decision": "approve"},
        name="positioning-approve",
    ),
    path(
        "approvals/positioning/<int:pk>/reject/",
        views.positioning_decide,
        {"decision": "reject"},
        name="positioning-reject",
    ),
    # The register of electronic positioning orders in force (CCL 29).
    path("positioning-orders/", views.positioning_register_page, name="positioning-register"),
]
