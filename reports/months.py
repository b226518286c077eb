"""Reading the month a report is asked for: `YYYY-MM`, not in the future (office time zone)."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
# Nothing in this system predates the Community Correction Law's pilots (2003); a typo is refused.
EARLIEST_YEAR = 2000


def parse_month(text: str | None, *, today: dt.date) -> dt.date:
    """The first day of the month written as `YYYY-MM`; refused with a clerk's message otherwise."""
    match = MONTH.match((text or "").strip())
    if not match:
        raise ValidationError(_("Give the month as YYYY-MM, for example 2026-10."), code="format")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < EARLIEST_YEAR:
        raise ValidationError(_("Give the month as YYYY-MM, for example 2026-10."), code="format")
    first = dt.date(year, month, 1)
    if first > today.replace(day=1):
        raise ValidationError(_("This month has not begun yet."), code="future")
    return first


def previous_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
