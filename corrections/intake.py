"""The intake deadline (CCL 21): by when a person placed under community correction must report to the
justice office (or be handed over to it), and the day the count starts from; and the intake checklist
(CCL 22): what the institution does when the person reports (`INTAKE_CHECKLIST`).

The one home of the rule: the sweep's `intake_overdue`, the transition checks of corrections.services
and the case page call it, in Python (`intake_base`, `intake_deadline`) or in SQL over many cases
(`intake_deadline_expression`), and both read the same base date below. `earliest_event_date` is the
other date of intake: the day before which nothing can be dated (the transition checks).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, When
from django.utils.translation import gettext as _

from config.sql import AddDays

from . import law
from .constants import Category, IntakeItem

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


# --- the intake checklist -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the intake checklist: its code (an `IntakeItem`, a field of `IntakeRecord`), the law
    it comes from, and whether the step itself is the office's practice rather than the law's."""

    code: str
    source: law.Ref | None
    practice: bool = False

    @property
    def label(self) -> str:
        return IntakeItem(self.code).label

    @property
    def basis(self) -> str:
        """Where the item comes from, in the reader's language."""
        if not self.practice:
            return str(self.source)
        if self.source is None:
            return _("office practice")
        return _("office practice; the rules are those of %(ref)s") % {"ref": self.source}


# CCL 22: the institution receives the person "依法接收", checks the legal documents (核对法律文书),
# verifies the identity (核实身份), registers the receipt and opens the file (办理接收登记、建立档案), and
# announces the crime, the period of correction and the rules to obey (宣告...犯罪事实、执行社区矫正的期限
# 以及应当遵守的规定). CCL 25 para. 1: it sets up the correction team (确定矫正小组). CCL 23 names the
# rules the person must follow (reporting, visitors, leave, moving, medical parole): explaining them
# is how the office makes the announcement practical. The exit ban (出境报备: asking the police's
# exit-entry administration to bar the person from leaving the country) is the office's practice; no
# text checked here (corrections.law) asks for it.
# Every item is required for intake (the office's decision): the software refuses an intake that leaves
# one undone, naming it, rather than record a half-done reception.
INTAKE_CHECKLIST = (
    ChecklistItem(IntakeItem.DOCUMENTS_CHECKED, law.INTAKE_REGISTRATION),
    ChecklistItem(IntakeItem.IDENTITY_VERIFIED, law.INTAKE_REGISTRATION),
    ChecklistItem(IntakeItem.REGISTERED, law.INTAKE_REGISTRATION),
    ChecklistItem(IntakeItem.ANNOUNCED, law.INTAKE_REGISTRATION),
    ChecklistItem(IntakeItem.TEAM_SET_UP, law.CORRECTION_TEAM),
    ChecklistItem(IntakeItem.RULES_EXPLAINED, law.REPORTING_DUTY, practice=True),
    ChecklistItem(IntakeItem.EXIT_BAN_REQUESTED, None, practice=True),
)
