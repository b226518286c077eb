"""Cross-cutting middleware: response headers, and refused input answered with 400, never 500
(docs/api.md#conventions)."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render
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


def refusal_lines(error: ValidationError) -> list[tuple[str, str]]:
    """(parameter, message) for each message of a ValidationError; "" where it names no parameter."""
    if hasattr(error, "error_dict"):
        return [
            ("" if name == NON_FIELD_ERRORS else name, str(message))
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [("", str(message)) for message in error.messages]


class BadInputMiddleware:
    """A ValidationError that a page's view lets through (a query parameter refused by config.params)
    is answered with a 400 page naming the parameter. The API answers its own, as JSON
    (config.api.exception_handler): DRF views never let an exception reach a middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ValidationError):
            return None
        return render(request, "400.html", {"refusals": refusal_lines(exception)}, status=400)
