"""Routes of the oversight views, included by coordination.api_urls under /api/v1/."""

from django.urls import path

from . import api_oversight

urlpatterns = [
    path(
        "oversight/exceptions/",
        api_oversight.OversightExceptionListView.as_view(),
        name="api-oversight-exceptions",
    ),
]
