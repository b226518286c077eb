"""Cross-cutting response headers."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` (with Django's other never-cache directives) on every response under
    NO_STORE_PATH_PREFIXES: case pages, the API and the exports carry personal data, which neither a
    browser's cache nor a proxy may keep. Whatever answered (view, redirect, error page)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.NO_STORE_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefixes):
            add_never_cache_headers(response)
        return response
