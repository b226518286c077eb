"""The dates this system believes: one window for every date a record carries or a filter asks about.

A date outside it is a typo (0001-01-01 for 2001-01-01, 9999-12-31 for "no end"), refused with a
message naming the field rather than stored, counted from, or overflowed (Python's dates end with
year 9999, so a day after 9999-12-31 is an error, not a date).

- The earliest: 1 January 1980, the day the Criminal Law of 1979 took effect. No judgment this system
  carries was given under an older law, and every later event of a case (release, report, leave,
  referral) follows its judgment.
- The latest: a year after the office's today. A judgment or a release is not dated in the future at
  all, but a case may be registered shortly before its decision takes effect, and an answer or a leave
  may be planned ahead; more than a year ahead is no plan anyone records. Where a field looks further
  ahead by nature (the day a long sentence would end), its rule names its own limit.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .office_time import office_today

EARLIEST_DATE = dt.date(1980, 1, 1)
AHEAD = dt.timedelta(days=366)


def latest_date(today: dt.date | None = None) -> dt.date:
    return (today or office_today()) + AHEAD


def date_refusal(
    value: dt.date, *, earliest: dt.date = EARLIEST_DATE, latest: dt.date | None = None
) -> str | None:
    """Why `value` is not a date this system believes, or None when it is."""
    latest = latest or latest_date()
    if earliest <= value <= latest:
        return None
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }


def check_date(
    value: dt.date | None, *, field: str, earliest: dt.date = EARLIEST_DATE, latest: dt.date | None = None
) -> None:
    """Raise `ValidationError({field: [message]})` for a date outside the window."""
    if value is None:
        return
    message = date_refusal(value, earliest=earliest, latest=latest)
    if message:
        raise ValidationError({field: [message]})
