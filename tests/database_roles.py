"""Tests connect as the application's database role, as production does (README "Database roles").

With DATABASE_OWNER_URL set (CI sets it), the test database is created and migrated as the owner role
(which CI allows CREATEDB): pytest-django creates it with the connection's own role, and migrations are
the owner's job. Then every test connects as DATABASE_URL's role, which owns nothing and may only read
and add audit rows; so do the Celery workers that tests start (they get the connection's settings).
Only what the test runner itself does between tests runs as the owner: emptying every table after a
transactional test (a TRUNCATE, which the application may not do to the audit trail) and dropping the
test database at the end. Without DATABASE_OWNER_URL (SQLite, or one role) nothing changes.

tests/conftest.py puts these two fixtures in place of pytest-django's.
"""

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


def _credentials(settings_dict: dict) -> dict:
    return {"USER": settings_dict["USER"], "PASSWORD": settings_dict["PASSWORD"]}


@functools.cache
def two_roles() -> tuple[dict, dict] | None:
    """(owner, application) credentials when the tests run with two roles, else None. Read once, before
    the fixtures below change the connection."""
    from django.conf import settings
    from django.db import connections

    owner = getattr(settings, "DATABASE_OWNER", None)
    application = _credentials(connections["default"].settings_dict)
    if not owner or connections["default"].vendor != "postgresql" or owner["USER"] == application["USER"]:
        return None
    return _credentials(owner), application


@contextmanager
def connected_as(credentials: dict) -> Iterator[None]:
    """Reconnect the default database with other credentials; back to the previous ones after."""
    from django.conf import settings
    from django.db import connections

    connection = connections["default"]
    dicts = {id(d): d for d in (connection.settings_dict, settings.DATABASES["default"])}.values()
    previous = _credentials(connection.settings_dict)
    connection.close()
    for settings_dict in dicts:
        settings_dict.update(credentials)
    try:
        yield
    finally:
        connection.close()
        for settings_dict in dicts:
            settings_dict.update(previous)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """pytest-django's, then the owner's credentials for creating, migrating and dropping the test
    database (django_db_setup runs inside this fixture's lifetime)."""
    roles = two_roles()
    if roles is None:
        yield
        return
    owner, _application = roles
    with connected_as(owner):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's (as the owner), then every test as the application role, except the runner's
    emptying of the tables after a transactional test, which stays the owner's."""
    roles = two_roles()
    if roles is None:
        yield
        return
    from django.test import TransactionTestCase

    owner, application = roles
    original_teardown = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        with connected_as(owner):
            original_teardown(self)

    TransactionTestCase._fixture_teardown = _fixture_teardown
    try:
        with connected_as(application):
            yield
    finally:
        TransactionTestCase._fixture_teardown = original_teardown
