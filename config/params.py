"""Reading query parameters: the one helper every API and page filter uses (API.md "Operating": no
malformed query parameter gives a 500; each is a 400 naming the parameter).

A view describes its filters once, as `{name: reader}`, and `parse(query, spec)` returns `{name: value}`
(None for a parameter that is absent or blank) or raises one ValidationError naming every parameter at
fault. A parameter given more than once is refused: reading only one of `?status=open&status=resolved`
would answer a question the caller did not ask. The API's exception handler answers it as
`{"name": ["message"]}`; on a page or an export, `config.middleware.BadInputMiddleware` answers a 400
page naming them.

Every value is refused first if it holds a NUL character: PostgreSQL stores none in a text column or in
JSONB (the audit row of a search), and no clerk types one. Ids are whole numbers that fit the
database's integers; dates are real ISO dates inside the system's window (config.plausible); a time
carries its offset (API.md "Conventions"), never read silently as local.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .office_time import local_date, start_of_day
from .plausible import date_refusal

Reader = Callable[[str], Any]

NUL = "\x00"
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# At most 18 digits: below 2**63, so it fits a bigint on PostgreSQL and an INTEGER on SQLite.
WHOLE_NUMBER = re.compile(r"^\d{1,18}$")


def refuse_nul(value: str) -> str:
    if NUL in value:
        raise ValidationError(_("The value holds an invisible NUL character; type it again."), code="null")
    return value


def text(max_length: int = 200) -> Reader:
    """Free text (a search, a username), at most `max_length` characters."""

    def read(value: str) -> str:
        if len(value) > max_length:
            raise ValidationError(
                _("Use at most %(count)d characters.") % {"count": max_length}, code="max_length"
            )
        return value

    return read


TEXT = text()


def whole_number(value: str) -> int:
    """An id: a positive whole number."""
    if not WHOLE_NUMBER.match(value) or int(value) < 1:
        raise ValidationError(_("Give the id as a whole number, for example 12."), code="invalid")
    return int(value)


ID = whole_number

# The largest id a table holds (BigAutoField: a signed 64-bit integer). A body's id above it is refused by
# its field (400): Django answers an out-of-range `pk=` with "does not exist", but not every lookup
# (`pk__in`) is guarded, and the database driver then overflows (SQLite) or errs (PostgreSQL).
MAX_ID = 2**63 - 1


FLAGS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def flag(value: str) -> bool:
    """A yes-or-no switch: 1, true or yes; 0, false or no."""
    if value.lower() not in FLAGS:
        raise ValidationError(_("Use true or false."), code="invalid")
    return FLAGS[value.lower()]


def choice(values: Iterable[str]) -> Reader:
    """One of the stable lowercase codes (API.md "Conventions")."""
    allowed = list(values)

    def read(value: str) -> str:
        if value not in allowed:
            raise ValidationError(
                _("Use one of: %(values)s.") % {"values": ", ".join(v for v in allowed if v)},
                code="invalid_choice",
            )
        return value

    return read


def day(value: str) -> dt.date:
    """A date written YYYY-MM-DD that exists and lies in the system's window."""
    match = DATE.match(value)
    try:
        parsed = dt.date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(_("Give a real date as YYYY-MM-DD, for example 2026-11-25."), code="invalid")
    refusal = date_refusal(parsed)
    if refusal:
        raise ValidationError(refusal, code="implausible")
    return parsed


def _time_with_offset(value: str) -> dt.datetime:
    # A "+08:00" offset arrives as " 08:00" when the client did not percent-encode the "+".
    candidate = value.replace(" ", "+") if "T" in value else value
    try:
        moment = parse_datetime(candidate)
    except ValueError:  # well formed, but no such day or hour (2026-02-30T10:00)
        moment = None
    if moment is None:
        raise ValidationError(
            _("Give a date (2026-11-25) or a time with its offset (2026-11-25T09:30:00+08:00)."),
            code="invalid",
        )
    if moment.tzinfo is None:
        raise ValidationError(
            _("Give the time with its offset, for example 2026-11-25T09:30:00+08:00."), code="naive"
        )
    try:
        refusal = date_refusal(local_date(moment))
    except OverflowError:  # 9999-12-31T23:00:00-10:00 is in year 10000 anywhere east of it
        refusal = date_refusal(dt.date.max)
    if refusal:
        raise ValidationError(refusal, code="implausible")
    return moment


def since(value: str) -> dt.datetime:
    """A lower bound: a date is the start of that office day; a time with offset is that moment."""
    if DATE.match(value):
        return start_of_day(day(value))
    return _time_with_offset(value)


def until(value: str) -> dt.datetime:
    """An upper bound, exclusive: a date includes that whole office day; a time is that moment."""
    if DATE.match(value):
        return start_of_day(day(value) + dt.timedelta(days=1))
    return _time_with_offset(value)


def parse(query: Mapping[str, Any], spec: Mapping[str, Reader]) -> dict[str, Any]:
    """`{name: value}` for every parameter of `spec` (None when absent or blank), or one
    ValidationError naming each parameter that is wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, read in spec.items():
        if hasattr(query, "getlist") and len(query.getlist(name)) > 1:
            errors[name] = [_("Give this parameter once.")]
            continue
        raw = query.get(name)
        text_value = "" if raw is None else str(raw).strip()
        if not text_value:
            values[name] = None
            continue
        try:
            values[name] = read(refuse_nul(text_value))
        except ValidationError as error:
            errors[name] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return values
