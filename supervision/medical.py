"""When a temporary-execution case's health reports are due: the one home of the two rules, used by the
sweep (set-based, `medical_reports_missing`, `reexaminations_overdue`), the case header and the
suggestions (API.md "Special supervision").

- Monthly report: every calendar month from the month after the intake month needs a monthly report
  dated in it; a month without one is missing from the day after its last day (`medical_report_missing`,
  due its last day).
- Re-examination (the ground of serious illness only: SPC 516(5) names it for medical parole): due on
  the same day three months after intake, or after the last re-examination (corrections.periods
  .add_months, clamped to a shorter month's last day); overdue from the day after
  (`reexamination_overdue`, due that day).

"As of day D" is the sweep's: the world at the end of D-1; a due date before D has passed.
"""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

from config.sql import AddMonths
from corrections.constants import Category, Status
from corrections.models import Supervisee
from corrections.periods import add_months

from .alert_rows import AlertRows, alert_rows, on_day
from .constants import REEXAMINATION_EVERY_MONTHS, REEXAMINATION_GROUNDS, MedicalReportKind
from .models import MedicalReport

# The sweep looks back this many finished months, so a day it did not run loses no missing month (each
# alert is unique per case, kind and due date, so looking again raises nothing twice).
MONTHS_LOOKED_BACK = 3


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return add_months(month_start(day), months=1) - dt.timedelta(days=1)


def first_reporting_month(intake_date: dt.date) -> dt.date:
    """The first day of the first month that needs a monthly report: the month after intake."""
    return add_months(month_start(intake_date), months=1)


def reexamination_due(base: dt.date) -> dt.date:
    """The day a re-examination is due after intake or the last re-examination on `base`."""
    return add_months(base, months=REEXAMINATION_EVERY_MONTHS)


def _reexamination_cutoff(as_of: dt.date) -> dt.date:
    """The first base day whose re-examination is not yet overdue as of `as_of`: a base before it is
    (add_months is monotonic, so the bases that are overdue are exactly those before one day)."""
    cutoff = add_months(as_of, months=-REEXAMINATION_EVERY_MONTHS)
    while reexamination_due(cutoff) < as_of:
        cutoff += dt.timedelta(days=1)
    while reexamination_due(cutoff - dt.timedelta(days=1)) >= as_of:
        cutoff -= dt.timedelta(days=1)
    return cutoff


def _temporary_execution_cases():
    return Supervisee.objects.filter(
        status=Status.UNDER_SUPERVISION,
        sentence__category=Category.TEMPORARY_EXECUTION,
        intake_date__isnull=False,
    )


def medical_reports_missing(as_of: dt.date) -> list[AlertRows]:
    """For each of the last finished calendar months (the month after intake or later), the cases with
    no monthly report dated in it; due its last day (the sweep's rows, one selection per month)."""
    queries = []
    end = month_start(as_of) - dt.timedelta(days=1)  # the last day of the last finished month
    for _ in range(MONTHS_LOOKED_BACK):
        start = month_start(end)
        reported = MedicalReport.objects.filter(
            supervisee=OuterRef("pk"),
            kind=MedicalReportKind.MONTHLY_REPORT,
            date__gte=start,
            date__lte=end,
        )
        cases = _temporary_execution_cases().filter(intake_date__lt=start).exclude(Exists(reported))
        queries.append(alert_rows(cases, due=on_day(end)))
        end = start - dt.timedelta(days=1)
    return queries


def _last_reexamination(*, before: dt.date | None = None):
    reexaminations = MedicalReport.objects.filter(
        supervisee=OuterRef("pk"), kind=MedicalReportKind.REEXAMINATION
    )
    if before is not None:
        reexaminations = reexaminations.filter(date__lt=before)
    return Subquery(
        reexaminations.order_by().values("supervisee").annotate(last=Max("date")).values("last")[:1]
    )


def reexaminations_overdue(as_of: dt.date) -> AlertRows:
    """Serious-illness cases whose re-examination (three months after intake or the last one made before
    `as_of`) was due before `as_of`; due that day (`reexamination_due`, in SQL)."""
    cases = (
        _temporary_execution_cases()
        .filter(sentence__temporary_execution_ground__in=REEXAMINATION_GROUNDS)
        .annotate(base=Coalesce(_last_reexamination(before=as_of), "intake_date"))
        .filter(base__lt=_reexamination_cutoff(as_of))
    )
    return alert_rows(cases, due=AddMonths("base", REEXAMINATION_EVERY_MONTHS))


def needs_reexamination(supervisee: Supervisee) -> bool:
    sentence = supervisee.sentence
    return (
        sentence.category == Category.TEMPORARY_EXECUTION
        and sentence.temporary_execution_ground in REEXAMINATION_GROUNDS
    )


def medical_dues(supervisee: Supervisee, *, on: dt.date) -> dict[str, dt.date | None] | None:
    """For the case header: the next monthly report due (the last day of the first month from the month
    after intake that has no report: a past day when one is missing) and the next re-examination due
    (serious illness only). None for a case that is not temporary execution under supervision. Two
    queries."""
    if (
        supervisee.sentence.category != Category.TEMPORARY_EXECUTION
        or supervisee.status != Status.UNDER_SUPERVISION
        or supervisee.intake_date is None
    ):
        return None
    first = first_reporting_month(supervisee.intake_date)
    reported = {
        month_start(day)
        for day in MedicalReport.objects.filter(
            supervisee=supervisee, kind=MedicalReportKind.MONTHLY_REPORT, date__gte=first
        ).values_list("date", flat=True)
    }
    month = first
    while month in reported:
        month = add_months(month, months=1)
    reexamination = None
    if needs_reexamination(supervisee):
        last = (
            MedicalReport.objects.filter(supervisee=supervisee, kind=MedicalReportKind.REEXAMINATION)
            .order_by("-date")
            .values_list("date", flat=True)
            .first()
        )
        reexamination = reexamination_due(last or supervisee.intake_date)
    return {"monthly_report": month_end(month), "reexamination": reexamination}
