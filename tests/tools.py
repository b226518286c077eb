"""Helpers shared by tests."""

import os
import shutil

import pytest
from django import forms


def require_tool(command: str, *, install: str) -> str:
    """The path of a system tool a test needs. Missing in CI: the test fails (.ci/run installs it, so a
    skip there would hide a broken install step). Missing on a developer's machine: the test is skipped
    with the install command, so `make test` still passes where only Python is installed."""
    path = shutil.which(command)
    if path is None:
        message = f"{command} is not installed: {install}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def admin_form_data(page, **changes) -> dict:
    """The POST body of saving the admin form on `page` (a GET of an add or change page) with
    `changes` (field: value, as the browser sends it) over what the form shows."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = changes.pop(name) if name in changes else form[name].value()
        if isinstance(field.widget, forms.MultiWidget):  # a date and a time in two inputs
            parts = field.widget.decompress(value)
            data.update({f"{name}_{i}": "" if part is None else part for i, part in enumerate(parts)})
        elif isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else value
    assert not changes, f"not fields of this form: {sorted(changes)}"
    return {**data, "_save": "Save"}
