"""API v1: each app contributes its routes; the paths are fixed by docs/api.md#resources."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("corrections.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("supervision.api_urls")),
    path("", include("coordination.api_urls")),
    path("", include("community.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("workspace.api_urls")),
]
