"""Helpers shared by tests."""

import os
import shutil

import pytest


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
