from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("agencies/", api.AgencyListView.as_view(), name="api-agencies"),
]

urlpatterns += [
    path("audit-events/", api.AuditEventListView.as_view(), name="api-audit-event-list"),
]
