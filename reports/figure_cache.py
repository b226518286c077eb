"""A cache of a closed month's figures, keyed by the report's unit and by the latest change of the
records they count (issue 14: the `/reports/` page counted the month and its twelve-month trend on every
request: 18 s for the largest district at 700,000 people).

Django's cache (Redis when REDIS_URL is set, config.settings.base; each process's memory otherwise). The
figures themselves are still counted by reports.statistics, the one home of each rule; this module only
keeps what it counted.

A closed month's figures CAN change: a check-in entered late is no figure, but a status change or an exit
with an earlier date, a transfer, a measure decided, a missed report found by the sweep, an activity
recorded afterwards all move them. So the key carries a change stamp, read in one query on every read:
- the latest `FigureChange` row: every save or delete of a record the statistics count appends one
  (`record_change`, connected to those models' signals in reports.apps), inside the writer's transaction
  (so the stamp moves with the data), and once more after it commits (a reader that took the stamp while
  the write was uncommitted, and counted without it, cached under a stamp no one reads after the commit);
- the latest alert and the latest supervisee: the sweep inserts alerts, and the loaders supervisees, in
  bulk, without signals.
A figure is therefore never read from the cache after a write that can move it has committed. The
entries also expire (FIGURES_TTL) so that a process killed between a commit and its second stamp cannot
keep a stale figure for long.
"""

import datetime as dt
import hashlib
import logging

from django.core.cache import cache
from django.db import connections, router, transaction

from config.office_time import office_today
from corrections.models import Supervisee
from supervision.models import Alert

from .models import FigureChange

logger = logging.getLogger(__name__)
FIGURES_TTL = 6 * 3600
# Bumped when the shape of a cached value changes, so that a deploy never reads an older shape.
VERSION = 1


def record_change(**_signal_kwargs) -> None:
    """A record the statistics count was written: move the stamp now and again after the commit."""
    FigureChange.objects.create()
    connection_ = transaction.get_connection()
    if connection_.in_atomic_block and not any(
        getattr(callback, "is_figure_stamp", False) for _ids, callback, _robust in connection_.run_on_commit
    ):
        transaction.on_commit(_stamp_after_commit)


def _stamp_after_commit() -> None:
    FigureChange.objects.create()


_stamp_after_commit.is_figure_stamp = True


def change_stamp() -> str:
    """The latest figure change, alert and supervisee, in one query."""
    latest = {
        "change": FigureChange.objects.order_by("-pk").values("pk")[:1],
        "alert": Alert.objects.order_by("-pk").values("pk")[:1],
        "case": Supervisee.objects.order_by("-pk").values("pk")[:1],
    }
    # The database the figures are counted on (the replica inside reading_replica): the stamp and the
    # records it stamps are committed together, so a lagging replica's stamp is as old as its records.
    with connections[router.db_for_read(FigureChange)].cursor() as cursor:
        parts, params = [], []
        for query in latest.values():
            sql, query_params = query.query.sql_with_params()
            parts.append(f"({sql})")
            params.extend(query_params)
        cursor.execute("SELECT " + ", ".join(parts), params)
        return "-".join(str(value or 0) for value in cursor.fetchone())


def is_closed(month: dt.date) -> bool:
    """A month that has ended, in the office's time: the only ones cached."""
    return month.replace(day=1) < office_today().replace(day=1)


def _key(kind: str, office_ids: list[int], month: dt.date, stamp: str) -> str:
    unit = hashlib.sha256(",".join(map(str, sorted(office_ids))).encode()).hexdigest()[:24]
    return f"reports:v{VERSION}:{kind}:{unit}:{month:%Y-%m}:{stamp}"


def cached_months(
    kind: str, *, office_ids: list[int], months: list[dt.date], count, stamp: str | None = None
):
    """`{month: figures}` for `months`: the closed months from the cache, the others by
    `count(months_missing) -> {month: figures}` (the closed ones among them kept for next time)."""
    closed = [month for month in months if is_closed(month)]
    found: dict = {}
    if closed:
        stamp = stamp if stamp is not None else change_stamp()
        keys = {_key(kind, office_ids, month, stamp): month for month in closed}
        try:
            found = {keys[key]: value for key, value in cache.get_many(list(keys)).items()}
        except Exception:  # noqa: BLE001 - the cache is a shortcut: with Redis down, count
            logger.warning("reports: the figures' cache could not be read", exc_info=True)
    missing = [month for month in months if month not in found]
    if missing:
        counted = count(missing)
        found.update(counted)
        fresh = {_key(kind, office_ids, month, stamp): counted[month] for month in missing if month in closed}
        if fresh:
            try:
                cache.set_many(fresh, FIGURES_TTL)
            except Exception:  # noqa: BLE001 - as above
                logger.warning("reports: the figures' cache could not be written", exc_info=True)
    return found
