"""The office's time: its time zone, its today, where its days begin, and the day a moment falls on.

Store UTC, count days in the office's time zone (docs/rules.md#time-the-offices-day): "missed a report due on
the 3rd" means no report before local midnight. The zone comes from one setting, `OFFICE_TIME_ZONE` (which
also sets Django's `TIME_ZONE` and Celery's), and no other module names a zone: every day boundary, in Python
or in SQL, goes through these functions.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, DateTimeField
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone


def office_zone() -> ZoneInfo:
    """The office's time zone (ZoneInfo caches one instance per key)."""
    return ZoneInfo(settings.OFFICE_TIME_ZONE)


def office_now() -> dt.datetime:
    return timezone.now().astimezone(office_zone())


def office_today() -> dt.date:
    """Today in the office's time zone, whatever the server's clock zone."""
    return office_now().date()


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`, as an aware datetime (compares with stored UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=office_zone())


def at_office_time(day: dt.date, time: dt.time) -> dt.datetime:
    """`time` o'clock on `day` in the office's time zone, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=office_zone())


def local_date(moment: dt.datetime) -> dt.date:
    """The office's day that an aware moment falls on."""
    return moment.astimezone(office_zone()).date()


def as_office_time(moment: dt.datetime) -> dt.datetime:
    """An aware moment as it is; a naive one read as the office's local time."""
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, office_zone())


def local_day(expression) -> TruncDate:
    """SQL: the office's day of a datetime column or expression (`__date` and a bare TruncDate would use
    the active time zone)."""
    return TruncDate(expression, tzinfo=office_zone(), output_field=DateField())


def utc_midnight(day_expression) -> Cast:
    """SQL: the start of a date (column or expression) in UTC. Every moment of a later day of the office
    falls after it, whatever the office's zone (less than a day from UTC), so `moment >= utc_midnight(day)`
    may stand beside the exact `local_day(moment) > day` as a bound that an index on the moment can use
    (`local_day` of a column is computed row by row)."""
    return Cast(day_expression, output_field=DateTimeField())
