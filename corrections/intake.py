"""The intake deadline (CCL 21): by when a person placed under community correction must report to the
justice office (or be handed over to it), and the day the count starts from.

The one home of the rule: the sweep's `intake_overdue`, the transition checks of corrections.services
and the case page call it, in Python (`intake_base`, `intake_deadline`) or in SQL over many cases
(`intake_deadline_expression`), and both read the same base date below. `earliest_event_date` is the
other date of intake: the day before which nothing can be dated (the transition checks).
"""

import datetime as dt

from django.db.models import Case, F, When

from config.sql import AddDays

from .constants import Category

# CCL 21: report (or be handed over) within 10 days.
INTAKE_DAYS = 10


def intake_base(
    *, category: str, effective_date: dt.date | None, release_date: dt.date | None
) -> dt.date | None:
    """The day the 10 days of intake count from; None while it is unknown.

    CCL 21 para. 1: control, probation and parole report within 10 days of the judgment or the parole
    ruling taking effect (not of the release, which usually follows the ruling but need not).
    CCL 21 para. 2, 3: for temporary execution the custodian (the detention house, the police, the
    prison) hands the person over within 10 days of receiving the decision. The day of receipt is not
    recorded, so the decision's effective date stands in for it (the earliest it can be received).
    `release_date` is accepted so callers need not know which categories read it: none does now."""
    if category in (Category.PROBATION, Category.CONTROL, Category.PAROLE, Category.TEMPORARY_EXECUTION):
        return effective_date
    raise ValueError(f"unknown correction category {category!r}")


def earliest_event_date(
    *, category: str, effective_date: dt.date | None, release_date: dt.date | None
) -> dt.date | None:
    """The day before which nothing of the correction can be dated: the decision taking effect, and for
    parole and temporary execution the release (a person still in prison is not under community
    correction). None while it is unknown."""
    if category in (Category.PROBATION, Category.CONTROL):
        return effective_date
    if category == Category.PAROLE:
        return release_date
    if category == Category.TEMPORARY_EXECUTION:
        return release_date or effective_date
    raise ValueError(f"unknown correction category {category!r}")


def intake_deadline(
    *, category: str, effective_date: dt.date | None, release_date: dt.date | None
) -> dt.date | None:
    """The last day to report for intake, or None while the day it counts from is unknown."""
    base = intake_base(category=category, effective_date=effective_date, release_date=release_date)
    return base + dt.timedelta(days=INTAKE_DAYS) if base else None


def intake_deadline_expression(sentence: str = "sentence__"):
    """SQL over supervisees (or, with `sentence=""`, over sentences): `intake_deadline`, row by row."""
    base = Case(
        When(**{f"{sentence}category__in": Category.values}, then=F(f"{sentence}effective_date")),
    )
    return AddDays(base, INTAKE_DAYS)
