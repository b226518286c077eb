"""API conventions shared by every app (docs/api.md#conventions)."""

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import params

API_PATH_PREFIX = "/api/"


def _page_number(value: str) -> str:
    """A page: a whole number, or "last" (DRF's own word for the last page)."""
    return value if value == "last" else str(params.whole_number(value))


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        # A page or a size that is not a number is malformed: 400 naming it (API.md "Operating"), where
        # DRF would answer 404 or silently use the default size. A page past the last is still 404.
        params.parse(request.query_params, {"page": _page_number, "page_size": params.whole_number})
        return super().paginate_queryset(queryset, request, view)


class OffsetDateTimeField(serializers.DateTimeField):
    """A time in a request body carries its offset (API.md "Conventions": `2026-11-25T09:30:00+08:00`).
    DRF's own field reads a time without one as the server's local time, silently; a field report
    typed on a phone set to another zone would be off by hours. Refused instead, naming the field."""

    default_error_messages = {
        "naive": _("Give the time with its offset, for example 2026-11-25T09:30:00+08:00."),
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:  # no such day or hour: DRF's own message says so
                parsed = None
            if parsed is not None and parsed.tzinfo is None:
                self.fail("naive")
        return super().to_internal_value(value)


class TextField(serializers.CharField):
    """Text in a JSON body is a JSON string (the OpenAPI document says `type: string`). DRF's CharField also
    takes a number and stores it as text (`{"note": 80}` became the note "80"); found by schemathesis
    (tests/test_schemathesis.py). A number, a list or an object is refused with DRF's own message."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# For a ModelSerializer that takes input: its text columns are read by TextField. (A comment, not a
# docstring: drf-spectacular would print a docstring in every component built on it.)
class JsonModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
    }


# For a ModelSerializer on a hot path (issue 14: a check-in POST answers with one): DRF builds a
# ModelSerializer's fields by reading the model on every instance, about twice the cost of the answer
# itself. Built once per class here, then deep-copied for each instance, which is what DRF does with
# declared fields; the fields, and so the answers and the OpenAPI document, are the same. Only for a
# serializer whose fields do not depend on the instance, the request or its context. (A comment, not a
# docstring, as above.)
class BuiltOnceFieldsMixin:
    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_built_fields")
        if prototype is None:
            prototype = super().get_fields()
            cls._built_fields = prototype
        return copy.deepcopy(prototype)


class StateConflict(Exception):
    """Raised by services when a state machine refuses a move; the API answers 409."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def validation_error_body(error: DjangoValidationError) -> dict:
    """`{"field": ["message", ...]}` or `{"detail": "message"}` from a Django ValidationError."""
    if hasattr(error, "error_dict"):
        body: dict = {}
        for field, messages in error.message_dict.items():
            # Services key a nested object's fields as "sentence.effective_date": answer them nested.
            *parents, name = ("detail" if field == "__all__" else field).split(".")
            node = body
            for parent in parents:
                node = node.setdefault(parent, {})
            node[name] = [str(m) for m in messages]
        return body
    messages = [str(m) for m in error.messages]
    return {"detail": messages[0] if len(messages) == 1 else messages}


def exception_handler(exc, context):
    """Services raise Django's ValidationError and StateConflict; answer them as 400 and 409."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StateConflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        # The services' refusals say why (e.g. separation of duties); a bare one keeps DRF's default.
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """Django's `handler404` (config/urls.py). A path under /api/ that no route takes (an id that is not a
    whole number, `/api/v1/alerts/-1/`) is answered as every other API 404, `{"detail": ...}` in JSON
    (docs/api.md#conventions), not with the pages' HTML; any other path gets the 404 page."""
    if request.path.startswith(API_PATH_PREFIX):
        return JsonResponse(
            {"detail": str(exceptions.NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND
        )
    return defaults.page_not_found(request, exception)
