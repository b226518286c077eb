from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import health


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links: sent to the static file, looked up per request
    (its name is hashed in production) and with a temporary redirect, which a new release may change."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    # Probes (API.md "Operating"): exact paths, no slash, no sign-in.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script), not inline, so
    # the Content-Security-Policy needs no exception for it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("config.api_urls")),
    path("", include("workspace.urls")),
    path("", include("documents.urls")),
    path("", include("supervision.urls")),
    path("", include("coordination.urls")),
    path("", include("community.urls")),
    path("", include("accounts.urls")),
    path("", include("reports.urls")),
]

# An unknown path under /api/ answers JSON like the API's own 404s; other paths the 404 page.
handler404 = "config.api.not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
