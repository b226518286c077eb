"""The commission clocks (CCL 20): the deciding agency notifies the execution place's institution within
5 days of the judgment, ruling or decision taking effect, and delivers the legal documents within 10.

The one home of the rule: the case page shows both clocks (`commission_clocks`), the supervisor's
dashboard lists the open cases where either is overdue (`commission_overdue_condition`, in SQL), and
the service refuses an arrival date the clock cannot have (`arrival_date_errors`).

Counting: "自...生效之日起五日内" counts from the day after the decision took effect, so the notice is
due on `effective_date + 5` at the latest: arriving on that day is on time, on the next day it is late
(the same counting as the intake deadline's 10 days, corrections.intake).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from config.plausible import date_refusal

from . import law

# CCL 20: notify within 5 days, deliver the documents within 10.
NOTICE_DAYS = 5
DOCUMENTS_DAYS = 10
# The sentence's field of each clock's arrival, and its days.
CLOCKS = (("notice_received_date", NOTICE_DAYS), ("documents_received_date", DOCUMENTS_DAYS))


@dataclass(frozen=True)
class Clock:
    """One of the two clocks of a case: due on `due`, arrived on `received` (None: not recorded)."""

    field: str
    due: dt.date
    received: dt.date | None
    today: dt.date

    @property
    def state(self) -> str:
        """`on_time` or `late` once received; `waiting` (due today or later) or `overdue` before."""
        if self.received is not None:
            return "on_time" if self.received <= self.due else "late"
        return "waiting" if self.today <= self.due else "overdue"

    @property
    def days_late(self) -> int:
        """Days past the due day: of the arrival once received, of today before; 0 when not late."""
        return max(0, ((self.received or self.today) - self.due).days)

    @property
    def days_left(self) -> int:
        return max(0, (self.due - self.today).days)


def commission_clocks(
    *,
    effective_date: dt.date,
    notice_received_date: dt.date | None,
    documents_received_date: dt.date | None,
    today: dt.date,
) -> tuple[Clock, Clock]:
    """The notice's clock and the documents' clock of a decision that took effect on `effective_date`."""
    received = {
        "notice_received_date": notice_received_date,
        "documents_received_date": documents_received_date,
    }
    notice, documents = (
        Clock(field=name, due=effective_date + dt.timedelta(days=days), received=received[name], today=today)
        for name, days in CLOCKS
    )
    return notice, documents


def commission_overdue_condition(today: dt.date, sentence: str = "sentence__") -> Q:
    """SQL over supervisees (or, with `sentence=""`, over sentences): the notice or the documents not
    received, and their due day is before `today` (due = effective + N < today, written as
    effective < today - N so that it compares a column with a constant)."""
    condition = Q()
    for name, days in CLOCKS:
        condition |= Q(
            **{
                f"{sentence}{name}__isnull": True,
                f"{sentence}effective_date__lt": today - dt.timedelta(days=days),
            }
        )
    return condition


def arrival_date_errors(
    *,
    effective_date: dt.date | None,
    notice_received_date: dt.date | None,
    documents_received_date: dt.date | None,
    today: dt.date,
) -> dict[str, list]:
    """Why an arrival date cannot be right, by field (`sentence.<field>`): outside the believable window
    (config.plausible), in the future, or before the decision took effect (nothing is notified about a
    decision before it takes effect, CCL 20)."""
    errors: dict[str, list] = {}
    for name, value in (
        ("notice_received_date", notice_received_date),
        ("documents_received_date", documents_received_date),
    ):
        if value is None:
            continue
        key = f"sentence.{name}"
        refusal = date_refusal(value, latest=today)
        if value > today:
            errors[key] = [_("The day it arrived cannot be in the future.")]
        elif refusal:
            errors[key] = [refusal]
        elif effective_date is not None and value < effective_date:
            errors[key] = [
                _("It cannot arrive before the decision took effect (%(date)s; %(ref)s).")
                % {"date": effective_date.isoformat(), "ref": law.DECIDER_NOTIFIES_AND_DELIVERS}
            ]
    return errors
