"""A cache of a closed month's figures, keyed by the report's unit and by the latest change of the
records they count (issue 14: the `/reports/` page counted the month and its twelve-month trend on every
request: 18 s for the largest district at 700,000 people).

Django's cache (Redis when REDIS_URL is set, config.settings.base; each process's memory otherwise). The
figures themselves are still counted by reports.statistics, the one home of each rule; this module only
keeps what it counted.

A closed month's figures CAN change: a check-in entered late is no figure, but a status change or an exit
with an earlier date, a transfer, a measure decided, a missed report found by the sweep, an activity
recorded afterwards all move them. So the key carries a change stamp, read in one query on every read:
- the latest `FigureChange` row of the unit's districts, and the latest for every district: every save
  or delete of a record the statistics count appends one (`record_change`, connected to those models'
  signals in reports.apps) with the district the record belongs to, inside the writer's transaction (so
  the stamp moves with the data), and once more after it commits (a reader that took the stamp while
  the write was uncommitted, and counted without it, cached under a stamp no one reads after the
  commit). A write that can move two districts (a transfer) or any (an agency, a default rule, a bulk
  load: `config.signals.records_loaded`) stamps every district;
- the latest alert: the sweep inserts alerts in bulk, without signals (once a day, so every district's
  cache lasts from one sweep to the next at most).
A figure is therefore never read from the cache after a write that can move it has committed, and a
write in one district does not empty the others' cache: at national scale a stamp shared by every
district moved with every intake, status change or alert handled anywhere in the country, so the cache
was rarely hit (benchmarks/README.md). The entries also expire (FIGURES_TTL) so that a process
killed between a commit and its second stamp cannot keep a stale figure for long.
"""

import datetime as dt
import functools
import hashlib
import logging

from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Agency
from config.office_time import office_today
from supervision.models import Alert

from .models import FigureChange

logger = logging.getLogger(__name__)
FIGURES_TTL = 6 * 3600
# Bumped when the shape of a cached value changes, so that a deploy never reads an older shape.
VERSION = 2

# model -> how a saved or deleted record finds its district: (the foreign key on the record, the path
# from that key's model to the district's id), or None for "every district". Filled by `watch`.
_WATCHED: dict[type, tuple[str, str] | None] = {}


def watch(model, district: tuple[str, str] | None) -> None:
    """Stamp the figures' change on every save and delete of `model` (reports.apps)."""
    _WATCHED[model] = district


def _district_sql(sender, instance) -> tuple[str, list]:
    """SQL for the district of a record just saved or deleted (a scalar subquery), or NULL: any."""
    spec = _WATCHED.get(sender)
    if spec is None:
        return "NULL", []
    key, path = spec
    field = sender._meta.get_field(key)
    related_id = getattr(instance, field.attname)
    if related_id is None:
        return "NULL", []
    if path == "pk":  # the record names its district itself
        return "%s", [related_id]
    # Read in the same statement as the insert: no query is added to the write. Null when the related
    # row is gone (a cascade): then every district is stamped.
    query = field.related_model._base_manager.filter(pk=related_id).values(path)[:1]
    sql, params = query.query.sql_with_params()
    return f"({sql})", list(params)


def _insert(district_sql: str, params: list):
    """Append one change; return its district (None: every district)."""
    table = FigureChange._meta.db_table
    with connections[router.db_for_write(FigureChange)].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (at, district_id) VALUES (%s, {district_sql}) RETURNING district_id",  # noqa: S608 (our table; values as params)
            [timezone.now(), *params],
        )
        return cursor.fetchone()[0]


def record_change(sender, instance, **_signal_kwargs) -> None:
    """A record the statistics count was written: move its district's stamp now and again after the
    commit (once per district and transaction)."""
    district_id = _insert(*_district_sql(sender, instance))
    connection_ = transaction.get_connection(router.db_for_write(FigureChange))
    if not connection_.in_atomic_block:
        return
    after = functools.partial(_stamp_after_commit, district_id)
    if not any(
        isinstance(callback, functools.partial)
        and callback.func is _stamp_after_commit
        and callback.args == after.args
        for _ids, callback, _robust in connection_.run_on_commit
    ):
        transaction.on_commit(after, using=connection_.alias)


def _stamp_after_commit(district_id: int | None) -> None:
    _insert("%s", [district_id])


def record_bulk_change(**_signal_kwargs) -> None:
    """Records were loaded in bulk, past the models' signals (`config.signals.records_loaded`): every
    district's stamp moves."""
    _insert("NULL", [])


def change_stamp(office_ids: list[int]) -> str:
    """The latest figure change of the offices' districts and of every district, and the latest alert,
    in one query. Each district's latest change is one step down the (district, id) index."""
    fc, alerts, agencies = (model._meta.db_table for model in (FigureChange, Alert, Agency))
    # Our tables' names; the office ids go as parameters.
    parts = [
        f"(SELECT id FROM {fc} WHERE district_id IS NULL ORDER BY id DESC LIMIT 1)",  # noqa: S608
        f"(SELECT id FROM {alerts} ORDER BY id DESC LIMIT 1)",  # noqa: S608
    ]
    params: list = []
    if office_ids:
        placeholders = ", ".join(["%s"] * len(office_ids))
        parts.append(
            f"(SELECT MAX((SELECT f.id FROM {fc} f WHERE f.district_id = d.district_id "  # noqa: S608
            f"ORDER BY f.id DESC LIMIT 1)) FROM (SELECT DISTINCT district_id FROM {agencies} "
            f"WHERE id IN ({placeholders})) d)"
        )
        params.extend(office_ids)
    # The database the figures are counted on (the replica inside reading_replica): the stamp and the
    # records it stamps are committed together, so a lagging replica's stamp is as old as its records.
    with connections[router.db_for_read(FigureChange)].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        latest = [value or 0 for value in cursor.fetchone()]
    everywhere, alert, districts = latest[0], latest[1], max(latest[2:], default=0)
    return f"{max(everywhere, districts)}-{alert}"


def figure_changes_prune(*, now: dt.datetime | None = None) -> int:
    """Delete the changes older than twice the cache's lifetime, but each district's latest and the
    latest for every district (the stamps must never go back: a figure cached under an older stamp
    could be read again). Returns the number deleted. Daily, from Celery beat."""
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=2 * FIGURES_TTL)
    latest = FigureChange.objects.values("district").annotate(last=Max("id")).values("last")
    deleted, _by_model = FigureChange.objects.filter(at__lt=cutoff).exclude(pk__in=latest).delete()
    return deleted


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
        stamp = stamp if stamp is not None else change_stamp(office_ids)
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
