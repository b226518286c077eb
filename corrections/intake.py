"""The intake deadline (CCL 21): by when a person placed under community correction must report to the
justice office (or be handed over to it), and the day the count starts from.

The one home of the rule: the sweep's `intake_overdue`, the transition checks of corrections.services
and the case page call it, in Python (`intake_base`, `intake_deadline`) or in SQL over many cases
(`intake_deadline_expression`), and both read the same table of base dates below.
"""

import datetime as dt

from django.db.models import Case, F, When
from django.db.models.functions import Coalesce

from config.sql import AddDays

from .constants import Category

# CCL 21: report (or be handed over) within 10 days.
INTAKE_DAYS = 10


def intake_base(
    *, category: str, effective_date: dt.date | None, release_date: dt.date | None
) -> dt.date | None:
    """The day the intake count starts from, and before which nothing of the correction can be dated;
    None while it is unknown. Probation and control: the judgment takes effect; parole and temporary
    execution: the person is released (temporary execution decided by a court, which takes effect
    before any release, falls back to the decision's effective date)."""
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
    effective, release = F(f"{sentence}effective_date"), F(f"{sentence}release_date")
    base = Case(
        When(**{f"{sentence}category__in": [Category.PROBATION, Category.CONTROL]}, then=effective),
        When(**{f"{sentence}category": Category.PAROLE}, then=release),
        When(**{f"{sentence}category": Category.TEMPORARY_EXECUTION}, then=Coalesce(release, effective)),
    )
    return AddDays(base, INTAKE_DAYS)
