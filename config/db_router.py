"""Reads that may go to a read replica (issue 14): the monthly statistics and the exports, which scan
whole districts, read from the `replica` database alias when `DATABASE_REPLICA_URL` is set; every write,
and every other read (sign-in, sessions, the case pages a clerk has just changed), stays on `default`.

Only the code inside `reading_replica()` (a context variable, so one request's choice never leaks into
another's) is routed; `on_replica()` does the same for a streamed response's chunks, which are made after
the view has returned. A replica lags its primary by a little: the statistics count dated events of
past days, and an export is a listing; neither needs a write of the last second. Django's docs:
https://docs.djangoproject.com/en/5.2/topics/db/multi-db/#automatic-database-routing
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "READ_REPLICA_ENABLED", False)) and REPLICA in settings.DATABASES


@contextmanager
def reading_replica():
    """Inside: reads of every model go to the replica when one is configured (else to `default`)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def on_replica(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed body whose chunks are each made inside `reading_replica()` (never across a `yield`,
    so nothing else that runs between two chunks is routed)."""
    iterator = iter(chunks)
    while True:
        with reading_replica():
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() and replica_enabled() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; `migrate` runs on `default` only.
        return db != REPLICA
