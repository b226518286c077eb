"""How a page's form calls a service (README.md#where-things-are: views only translate).

`run_service(form, call)` runs `call(form.cleaned_data)` for a valid form and puts a refusal on the form: a
ValidationError by its field (above the form when the form has no such field), a StateConflict above
the form. It returns `(result, status)`: 200 when done, 400 for invalid or refused input, 409 when the
record's state forbids it, so the page re-renders with what was typed and the message where it
belongs. PermissionDenied is left to Django (403)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .api import StateConflict


def add_refusal(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def run_service(form: forms.Form, call: Callable[[dict], Any]) -> tuple[Any, int]:
    if not form.is_valid():
        return None, 400
    try:
        return call(form.cleaned_data), 200
    except ValidationError as error:
        add_refusal(form, error)
        return None, 400
    except StateConflict as error:
        form.add_error(None, error.message)
        return None, 409
