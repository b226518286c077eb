"""The monthly statistics (docs/api.md#monthly-statistics): set-based, from dated events.

`monthly_statistics(supervisees=..., month=...)` answers with a handful of aggregate queries whatever the
population (no Python loop over supervisees). Every figure is computed from a date column, never from
the current status, so a past month's report reads the same after later edits:

- *under correction on day D*: `intake_date <= D` and (`exit_date` is null or `exit_date > D`).
- `opening`: under correction on the last day of the previous month; `closing`: on the month's last day.
- `intake`: `intake_date` in the month. `exits`: `exit_date` in the month (of someone who was taken in:
  a case closed while still awaiting report was never under correction), by `exit_reason`.
  A person taken in and leaving in the same month counts in both. Since an exit is never dated before
  the intake (corrections.services), `closing = opening + intake - sum(exits)` holds by construction.
- `by_*`: breakdowns of `closing`; every code of each enumeration is present, zeros included.
  `by_management_level` uses today's level: the level's history is not dated yet, so a past month shows
  the level its people have now (the breakdown still sums to `closing`).
  `by_age_band`: the age on the month's last day, from `birth_date`.
- `absconded`: whose status on the month's last day was `absconded`, read from the dated status history
  (corrections.StatusChange: the latest change dated on or before that day), not from today's status.
- `measures`: approved measures decided (`decided_on`) in the month, by kind.
- `reoffended`: a PROXY until a reoffending record exists: exits in the month by revocation
  (`probation_revoked` + `parole_revoked`). A revocation usually follows a new crime or a serious breach,
  but not always; and a new crime found after the exit is not counted.
- `report_compliance`: `1 - missed / expected`, rounded to 4 decimals, within 0..1, and 1.0 when nothing
  was due. `missed` = `missed_report` alerts with a due date in the month. `expected` = the reports the
  duty expected in the month (supervision.duties.reports_expected: for each person under correction on
  some day of the month, the days under correction in the month divided by their level's `every_days`
  under the rule in force on the month's last day).
- `cumulative`: `received` = taken in on or before the month's last day; `exited` = of those, left on or
  before it.
- Transfers of the place of execution between districts (corrections.transfers), when the caller names
  the unit the report is about (`offices`: the district's justice offices, or one office): a case counts
  for the unit that held it on each day (`office_on`: the receiver from the transfer date on). The
  sender counts the transfer as an exit `transferred_out` and the receiver as `transferred_in`, both on
  the transfer date; an intake counts for the office that took the case in, an exit for the office that
  held it then. So `closing = opening + intake + transferred_in - sum(exits)`, and the sender's past
  months still count the case while it was theirs. `cumulative.received` adds the cases transferred in
  by the month's end, `cumulative.exited` the cases transferred out. `measures`, `report_compliance` and
  `education` count the people the unit held on some day of the month (in a month with a transfer, both
  units count that month's events of the case).
- `education` (social forces, community.models): over the activities dated in the month with at least one
  participant of the population, `sessions` = how many such activities; `hours` = the population's
  participants' hours in them, summed (one decimal); `participants` = the people of the population who
  took part in at least one (absent not counted); `employment_helped` = of those, the people who took part
  in an `employment_help` activity.
"""

import calendar
import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections, router
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, TruncMonth

from community.constants import ActivityKind, ParticipationOutcome
from community.models import Participation
from corrections.constants import (
    Category,
    CrimeChapter,
    Education,
    ExitReason,
    Gender,
    ManagementLevel,
    Status,
)
from corrections.models import StatusChange, Supervisee
from corrections.transfers import office_on, original_office, transfers_crossing, transfers_touching
from supervision.constants import AlertKind, MeasureKind, MeasureStatus
from supervision.duties import expected_from_days, reports_expected_by_span
from supervision.models import Alert, Measure

AGE_BANDS = ("under_18", "18_45", "46_60", "61_plus")
# Lower bound of each band, in completed years; a band runs up to the next one's bound.
AGE_BAND_FROM = {"under_18": 0, "18_45": 18, "46_60": 46, "61_plus": 61}
REVOCATIONS = (ExitReason.PROBATION_REVOKED, ExitReason.PAROLE_REVOKED)
# The breakdowns of `closing`: key in the JSON -> (the field it counts, every code of the enumeration).
BREAKDOWNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "by_category": ("sentence__category", tuple(Category.values)),
    "by_gender": ("gender", tuple(Gender.values)),
    "by_education": ("education", tuple(Education.values)),
    "by_management_level": ("management_level", tuple(ManagementLevel.values)),
    "by_crime_chapter": ("crime_chapter", tuple(CrimeChapter.values)),
}
COMPLIANCE_PLACES = Decimal("0.0001")


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month that `month` falls in."""
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def born_on_or_before_for_age(years: int, day: dt.date) -> dt.date:
    """The latest birth date of someone who is at least `years` old on `day` (completed years, as
    corrections.services.age_on counts them: a 29 February birthday comes on 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February of a leap year, going back to a common year
        return dt.date(day.year - years, 2, 28)


def under_correction_on(day: dt.date) -> Q:
    return Q(intake_date__lte=day) & (Q(exit_date__isnull=True) | Q(exit_date__gt=day))


def _age_band_conditions(day: dt.date) -> dict[str, Q]:
    conditions = {}
    for index, band in enumerate(AGE_BANDS):
        condition = Q()
        if AGE_BAND_FROM[band]:
            condition &= Q(birth_date__lte=born_on_or_before_for_age(AGE_BAND_FROM[band], day))
        if index + 1 < len(AGE_BANDS):
            next_from = AGE_BAND_FROM[AGE_BANDS[index + 1]]
            condition &= Q(birth_date__gt=born_on_or_before_for_age(next_from, day))
        conditions[band] = condition
    return conditions


# --- the unit a report is about, transfers taken into account (corrections.transfers) -----------------
# Kept apart so that the rest of the module reads as before: with `offices=None` every condition below is
# the plain one (no unit, no transfer).


def unit_aliases(first: dt.date, last: dt.date, offices) -> dict:
    """The aliases `unit_conditions` reads: the case's office at the month's opening and closing, and
    the office that took it in. None without a unit."""
    if offices is None:
        return {}
    never = dt.date(1900, 1, 1)
    return {
        "office_at_opening": office_on(first - dt.timedelta(days=1)),
        "office_at_closing": office_on(last),
        "office_at_intake": original_office(),
        # Booleans as aliases, not conditions inline: an aggregate over an annotated queryset is counted
        # over a subquery, outside which the case's row is no longer in reach.
        "moved_out": transfers_crossing(offices, first=first, last=last, direction="out"),
        "moved_in": transfers_crossing(offices, first=first, last=last, direction="in"),
        "moved_out_by_end": transfers_crossing(offices, first=never, last=last, direction="out"),
        "moved_in_by_end": transfers_crossing(offices, first=never, last=last, direction="in"),
    }


def unit_conditions(first: dt.date, last: dt.date, offices) -> dict[str, Q]:
    """Conditions on a supervisee (with `unit_aliases`): held by the unit at the opening, at the closing,
    at the intake, at an exit (the office now: nothing moves a closed case), and transferred out of or
    into the unit in the month or by its end."""
    if offices is None:
        return {"opening": Q(), "closing": Q(), "intake": Q(), "exit": Q(), "out": None, "in": None}
    return {
        "opening": Q(office_at_opening__in=offices),
        "closing": Q(office_at_closing__in=offices),
        "intake": Q(office_at_intake__in=offices),
        "exit": Q(justice_office_id__in=offices),
        "out": Q(moved_out=True),
        "in": Q(moved_in=True),
        "out_by_end": Q(moved_out_by_end=True),
        "in_by_end": Q(moved_in_by_end=True),
    }


def held_in_month(population: QuerySet[Supervisee], first: dt.date, last: dt.date, offices) -> QuerySet:
    """The people of `population` the unit held on some day of the month (all of them without a unit)."""
    if offices is None:
        return population
    unit = unit_conditions(first, last, offices)
    return population.alias(**unit_aliases(first, last, offices)).filter(
        unit["opening"] | unit["closing"] | unit["in"] | unit["out"]
    )


def _flow_aggregates(
    first: dt.date, last: dt.date, prefix: str = "", unit: dict | None = None
) -> dict[str, Count]:
    """The month's flow, as conditional counts over the supervisee rows: `opening`, `intake`, `closing`,
    `exits__<reason>` and, for a unit (`unit_conditions`), `absconded` and `transferred_in`, each key after
    `prefix` (so that many months fit in one aggregate query). Without a unit, `absconded` is counted
    over the status changes apart (`absconded_by_day`, see `_population_figures`)."""
    unit = unit if unit is not None else unit_conditions(first, last, None)
    opening_day = first - dt.timedelta(days=1)
    exited_in_month = (
        Q(intake_date__isnull=False) & Q(exit_date__gte=first, exit_date__lte=last) & unit["exit"]
    )
    aggregates = {
        f"{prefix}opening": Count("pk", filter=under_correction_on(opening_day) & unit["opening"]),
        f"{prefix}intake": Count(
            "pk", filter=Q(intake_date__gte=first, intake_date__lte=last) & unit["intake"]
        ),
        f"{prefix}closing": Count("pk", filter=under_correction_on(last) & unit["closing"]),
    }
    if unit["in"] is not None:
        aggregates[f"{prefix}absconded"] = Count(
            "pk", filter=status_on(last, Status.ABSCONDED) & unit["closing"]
        )
        aggregates[f"{prefix}transferred_in"] = Count("pk", filter=unit["in"])
    for reason in ExitReason.values:
        condition = exited_in_month & Q(exit_reason=reason)
        if reason == ExitReason.TRANSFERRED_OUT and unit["out"] is not None:
            condition |= unit["out"]  # a transfer to another district on this system, on its date
        aggregates[f"{prefix}exits__{reason}"] = Count("pk", filter=condition)
    return aggregates


def _population_figures(
    population: QuerySet[Supervisee], first: dt.date, last: dt.date, offices=None
) -> dict:
    """Everything counted on the supervisee rows, in one query whatever the population, never a
    subquery per person: the rows grouped by the breakdowns' fields (a few hundred groups, at most the
    product of the enumerations' codes), each group carrying the flow's conditional counts
    (`_flow_aggregates`, the cumulative figures, `closing` in each age band). The flow is the sum over
    the groups, each breakdown the sum of `closing` over the groups of each code (issue 14: a filtered
    count per code evaluated some fifty conditions on every row), the age bands the sums of their counts.
    With a unit (`offices`), a case counts for the unit that held it on each day (`unit_aliases`: probed
    only for cases ever transferred).

    Issue 14, the whole population: the groups are plain columns, not expressions of the dates (whether
    under correction, the age band), so that PostgreSQL estimates them right (a few hundred, not half a
    million) and counts in parallel, each worker its share of the rows, with no sort; and without a unit
    the absconded are counted apart over the changes to `absconded` (`absconded_by_day`): their `IN`
    subquery kept the whole count in one process (a query with a subplan is not run by workers)."""
    unit = unit_conditions(first, last, offices)
    closing = under_correction_on(last) & unit["closing"]
    taken_in = Q(intake_date__isnull=False)
    received = Q(intake_date__lte=last) & unit["intake"]
    exited = taken_in & Q(exit_date__lte=last) & unit["exit"]
    if offices is not None:
        received |= unit["in_by_end"]
        exited |= unit["out_by_end"]
    aggregates = {
        **_flow_aggregates(first, last, unit=unit),
        "cumulative_received": Count("pk", filter=received),
        "cumulative_exited": Count("pk", filter=exited),
        **{
            f"by_age_band__{band}": Count("pk", filter=closing & condition)
            for band, condition in _age_band_conditions(last).items()
        },
    }
    fields = {key: field for key, (field, _codes) in BREAKDOWNS.items()}
    groups = (
        population.alias(**unit_aliases(first, last, offices))
        .order_by()
        .values(*fields.values())
        .annotate(**aggregates)
    )
    figures = dict.fromkeys(aggregates, 0)
    figures.update({f"{key}__{code}": 0 for key, (_field, codes) in BREAKDOWNS.items() for code in codes})
    for group in groups:
        for name in aggregates:
            figures[name] += group[name]
        for key, field in fields.items():
            name = f"{key}__{group[field]}"
            if name in figures:
                figures[name] += group["closing"]
    if offices is None:
        figures["absconded"] = absconded_by_day(population, [last])[last]
    return figures


def _latest_change_on(day: dt.date) -> Q:
    """Condition on a status change: the supervisee's latest change dated on or before `day` (by date,
    then id: the same order as the status history is read everywhere), i.e. it gives their status on
    `day`. An anti-join (NOT EXISTS a later change by then), which the database runs set-based."""
    later = StatusChange.objects.filter(supervisee=OuterRef("supervisee"), date__lte=day).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return Q(date__lte=day) & ~Q(Exists(later))


def status_on(day: dt.date, status: str) -> Q:
    """Condition on a supervisee: their status on `day` was `status`, read from the dated status history
    (the latest change dated on or before `day`), not from today's status. An uncorrelated `IN`: the
    database reads the few changes to `status` once (PostgreSQL hashes them) and probes each row, so a
    count under this condition stays one pass over the supervisees, not a subquery per person."""
    changes = StatusChange.objects.filter(to_status=status).filter(_latest_change_on(day))
    return Q(pk__in=changes.values("supervisee_id"))


def _measures(population: QuerySet[Supervisee], first: dt.date, last: dt.date) -> dict[str, int]:
    decided = of_population(Measure.objects, population).filter(
        status=MeasureStatus.APPROVED, decided_on__gte=first, decided_on__lte=last
    )
    counts = decided.aggregate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in MeasureKind.values})
    return {kind: counts[kind] for kind in MeasureKind.values}


def report_compliance_by_month(
    population: QuerySet[Supervisee], months: list[dt.date]
) -> dict[dt.date, float]:
    """`report_compliance` of each month of `months` (first days): three queries whatever the number of
    months (the missed reports counted per month in one, the reports expected in one, the rules)."""
    bounds = [month_bounds(month) for month in months]
    missed = (
        of_population(Alert.objects, population)
        .filter(kind=AlertKind.MISSED_REPORT)
        .filter(due_date__gte=min(bounds)[0], due_date__lte=max(bounds)[1])
        .aggregate(
            **{
                f"month_{index}": Count("pk", filter=Q(due_date__gte=first, due_date__lte=last))
                for index, (first, last) in enumerate(bounds)
            }
        )
    )
    expected = reports_expected_by_span(population, spans=bounds)
    return {
        month: _compliance(missed[f"month_{index}"], expected[index]) for index, month in enumerate(months)
    }


def _compliance(missed: int, expected: Decimal) -> float:
    if expected <= 0:
        return 1.0
    share = max(Decimal(0), min(Decimal(1), 1 - Decimal(missed) / expected))
    return float(share.quantize(COMPLIANCE_PLACES, rounding=ROUND_HALF_UP))


def _report_compliance(population: QuerySet[Supervisee], first: dt.date, last: dt.date) -> float:
    return report_compliance_by_month(population, [first])[first]


def _took_part(first: dt.date, last: dt.date, **more) -> Q:
    """Condition on a supervisee: took part (not absent) in an activity dated in the month."""
    rows = Participation.objects.filter(
        supervisee=OuterRef("pk"), activity__date__gte=first, activity__date__lte=last, **more
    ).exclude(outcome=ParticipationOutcome.ABSENT)
    return Q(Exists(rows))


def education_by_month(
    population: QuerySet[Supervisee], first: dt.date, last: dt.date
) -> dict[dt.date, dict]:
    """The `education` block of every month from `first` to `last` (each keyed by its first day, a month
    with no activity absent): one aggregate query over the participation rows of the population, grouped
    by the month of the activity's date."""
    took_part = ~Q(outcome=ParticipationOutcome.ABSENT)
    rows = (
        of_population(Participation.objects, population)
        .filter(activity__date__gte=first, activity__date__lte=last)
        .annotate(month=TruncMonth("activity__date"))
        .order_by()
        .values("month")
        .annotate(
            sessions=Count("activity_id", distinct=True),
            hours=Sum("hours"),
            participants=Count("supervisee_id", distinct=True, filter=took_part),
            employment_helped=Count(
                "supervisee_id",
                distinct=True,
                filter=took_part & Q(activity__kind=ActivityKind.EMPLOYMENT_HELP),
            ),
        )
    )
    return {
        _first_day(row["month"]): {
            "sessions": row["sessions"],
            "hours": float(Decimal(row["hours"] or 0).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
            "participants": row["participants"],
            "employment_helped": row["employment_helped"],
        }
        for row in rows
    }


EMPTY_EDUCATION = {"sessions": 0, "hours": 0.0, "participants": 0, "employment_helped": 0}


def _first_day(value) -> dt.date:
    # TruncMonth gives a date on PostgreSQL and SQLite alike; a datetime is taken for its date.
    return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)


def _education(population: QuerySet[Supervisee], first: dt.date, last: dt.date) -> dict:
    return education_by_month(population, first, last).get(first, dict(EMPTY_EDUCATION))


_counting: ContextVar[bool] = ContextVar("statistics_counting", default=False)


@contextmanager
def counting_plans():
    """PostgreSQL's planner set for the statistics' aggregates while they count (on the database the
    counting reads: the replica inside config.db_router.reading_replica), then reset. (JIT, which compiled
    these aggregates for longer than they ran -- 22 s of the `/reports/` page at 700,000 -- is off for every
    connection: config/settings/base.py.)
    - Sorting off: where a count groups by expressions of the dates (the trend's months of intake and
      exit; `_population_figures` grouped by whether under correction and by age band until issue 14's
      third pass), the planner estimates the groups as the product of the date columns' distinct values
      (560,000 at 700,000 people) and sorts every row to group them; there are a few thousand at most,
      which a hash table holds in a few MB: 4.8 s instead of 9.7 s for the whole population on this
      machine under load. The few ORDER BYs of a count (the rules) still sort: `enable_sort` only makes
      the planner prefer another plan where one exists.
    - Not `work_mem`: at the default 4 MB the whole population's join of the supervisees to their
      sentences is hashed in 8 batches through temporary files, yet counted in one process it took more
      CPU time with 64 MB (one 46 MB hash table, beyond the processor's caches) than in batches.
      A failed count rolls its transaction back, and the SET with it (PostgreSQL's SET is transactional).
    One statement each way (SET, RESET) around the whole count, none when nested."""
    connection = connections[router.db_for_read(Supervisee)]
    if connection.vendor != "postgresql" or _counting.get():
        yield
        return
    token = _counting.set(True)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")
    try:
        yield
    finally:
        _counting.reset(token)
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_sort")


def population_of(supervisees: QuerySet[Supervisee]) -> QuerySet[Supervisee]:
    """The people of `supervisees` as a plain set of ids: the scoping rules may join (and OR) other
    tables; counting over a semi-join keeps every person once. An unfiltered queryset (the whole
    population, as a national report asks) is taken as it is: the semi-join of every row with itself cost a
    second pass over 700,000 rows in each of the statistics' queries (issue 14)."""
    query = supervisees.query
    if is_everyone(supervisees):
        return Supervisee.objects.all()
    if supervisees.model is Supervisee and _joins_one_row_each(query):
        # No join that can repeat a person (the scoping's joins are to a case's office and its sentence,
        # and its grants are `IN` subqueries): the scope itself, so that the database reads a unit's cases
        # by the office index rather than every case of the country for the semi-join (issue 14).
        return supervisees.order_by()
    return Supervisee.objects.filter(pk__in=supervisees.order_by().values("pk"))


def is_everyone(population: QuerySet[Supervisee]) -> bool:
    """Whether `population` (from `population_of`) is every supervisee, unfiltered."""
    query = population.query
    return (
        population.model is Supervisee
        and not query.where
        and not query.combinator
        and query.low_mark == 0
        and query.high_mark is None
    )


def of_population(rows: QuerySet, population: QuerySet[Supervisee]) -> QuerySet:
    """`rows` (measures, alerts, status changes, participations: each row has one supervisee, never
    null) of the people of `population`; every row when that is everyone (issue 14: the semi-join with
    every person read the 700,000 supervisees once more in each of those queries, for nothing)."""
    return rows if is_everyone(population) else rows.filter(supervisee__in=population)


def _joins_one_row_each(query) -> bool:
    """Whether every join of `query` is to at most one row per supervisee (foreign keys, one-to-one)."""
    for join in query.alias_map.values():
        field = getattr(join, "join_field", None)
        if field is not None and (field.one_to_many or field.many_to_many):
            return False
    return not query.combinator and query.low_mark == 0 and query.high_mark is None and not query.distinct


@counting_plans()
def monthly_statistics(
    *, supervisees: QuerySet[Supervisee], month: dt.date, education: bool = True, offices=None
) -> dict:
    """The statistics of the month `month` falls in, over `supervisees` (already scoped by the caller:
    corrections.scoping.supervisees_visible_to, and the justice office asked for). `education=False`
    leaves out the `education` block, for a caller that counts it for many months at once
    (`education_by_month`). `offices`: the ids of the justice offices the report is about (the
    district's, or one), so that transfers count out and in on their date; None counts every case of
    `supervisees` by its dates alone (no `transferred_in`)."""
    first, last = month_bounds(month)
    population = population_of(supervisees)
    figures = _population_figures(population, first, last, offices)
    held = held_in_month(population, first, last, offices)
    exits = {reason: figures[f"exits__{reason}"] for reason in ExitReason.values}
    statistics = {
        "month": first.strftime("%Y-%m"),
        "opening": figures["opening"],
        "intake": figures["intake"],
        "exits": exits,
        "closing": figures["closing"],
    }
    if offices is not None:
        # Additive key (API v1.1+): cases transferred into the unit from another district in the month.
        statistics["transferred_in"] = figures["transferred_in"]
    for key, (_field, codes) in BREAKDOWNS.items():
        statistics[key] = {code: figures[f"{key}__{code}"] for code in codes}
    statistics["by_age_band"] = {band: figures[f"by_age_band__{band}"] for band in AGE_BANDS}
    statistics.update(
        {
            "absconded": figures["absconded"],
            "measures": _measures(held, first, last),
            "reoffended": sum(exits[reason] for reason in REVOCATIONS),
            "report_compliance": _report_compliance(held, first, last),
            "cumulative": {
                "received": figures["cumulative_received"],
                "exited": figures["cumulative_exited"],
            },
        }
    )
    if education:
        statistics["education"] = _education(held, first, last)
    return statistics


def absconded_by_day(population: QuerySet[Supervisee], days: list[dt.date]) -> dict[dt.date, int]:
    """How many of `population` were absconded on each of `days` (their latest status change by then
    was to `absconded`, as `status_on` reads it): one aggregate over the changes to `absconded` only,
    whatever the population. Each person has one latest change a day, so counting changes counts people."""
    if not days:
        return {}
    changes = of_population(StatusChange.objects, population).filter(
        to_status=Status.ABSCONDED, date__lte=max(days)
    )
    counts = changes.aggregate(
        **{f"day_{index}": Count("pk", filter=_latest_change_on(day)) for index, day in enumerate(days)}
    )
    return {day: counts[f"day_{index}"] for index, day in enumerate(days)}


def _month_of(field: str, *, before: dt.date, after: dt.date, late_is_none: bool) -> Case:
    """The first day of the month of the date in `field`, with every month before `before` as `before`'s
    month before it (they count alike for every month of the window) and, for an exit, every month after
    `after` as none (still under correction for the whole window): a handful of groups, whatever the
    years of history."""
    earliest = (before - dt.timedelta(days=1)).replace(day=1)
    whens = [When(**{f"{field}__lt": before}, then=Value(earliest))]
    if late_is_none:
        whens.append(When(**{f"{field}__gt": after}, then=Value(None, output_field=DateField())))
    return Case(*whens, default=TruncMonth(field), output_field=DateField())


def _flow_of(statistics: dict) -> dict:
    """The trend's keys of a month's full statistics."""
    keys = ("month", "opening", "intake", "exits", "closing", "absconded", "report_compliance")
    return {key: statistics[key] for key in keys}


@counting_plans()
def monthly_flow_by_month(
    *, supervisees: QuerySet[Supervisee], months: list[dt.date], offices=None
) -> dict[dt.date, dict]:
    """The trend's figures of each month of `months` (first days), counted for all of them at once:
    `{"month", "opening", "intake", "exits": {reason: N}, "closing", "absconded", "report_compliance"}`,
    each the same number as `monthly_statistics` gives for that month (tests/reports/test_statistics.py
    checks them one against the other and against the independent count).

    Four queries whatever the population and the number of months (issue 14: 12 x monthly_statistics):
    one GROUP BY over the population's rows by district, level, month of intake, month of exit and exit
    reason, with the days of the month at intake and exit summed, from which every month's flow and
    days under correction (the reports expected) follow by arithmetic on a few hundred groups; the
    absconded (over the changes to `absconded`); the missed reports; the rules in force."""
    if not months:
        return {}
    population = population_of(supervisees)
    if offices is not None and transfers_touching(offices, until=month_bounds(max(months))[1]):
        # A unit that sent or received a case by transfer counts each month by `monthly_statistics`, which
        # follows the case from office to office (the grouping below knows each case's office today only).
        return {
            month: _flow_of(
                monthly_statistics(supervisees=supervisees, month=month, education=False, offices=offices)
            )
            for month in months
        }
    bounds = {month: month_bounds(month) for month in months}
    window_first, window_last = min(bounds.values())[0], max(bounds.values())[1]
    groups = list(
        population.filter(intake_date__isnull=False, intake_date__lte=window_last)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=window_first - dt.timedelta(days=1)))
        .annotate(
            intake_month=_month_of("intake_date", before=window_first, after=window_last, late_is_none=False),
            exit_month=_month_of("exit_date", before=window_first, after=window_last, late_is_none=True),
        )
        .order_by()
        .values(
            "justice_office__district_id", "management_level", "intake_month", "exit_month", "exit_reason"
        )
        .annotate(
            n=Count("pk"), intake_days=Sum(ExtractDay("intake_date")), exit_days=Sum(ExtractDay("exit_date"))
        )
    )
    absconded = absconded_by_day(population, [last for _first, last in bounds.values()])
    missed = (
        of_population(Alert.objects, population)
        .filter(kind=AlertKind.MISSED_REPORT)
        .filter(due_date__gte=window_first, due_date__lte=window_last)
        .aggregate(
            **{
                f"month_{index}": Count("pk", filter=Q(due_date__gte=first, due_date__lte=last))
                for index, (first, last) in enumerate(bounds.values())
            }
        )
    )
    result, days_under_correction = {}, []
    for first, last in bounds.values():
        length = (last - first).days + 1
        figures = {"opening": 0, "intake": 0, "closing": 0, "exits": dict.fromkeys(ExitReason.values, 0)}
        days: dict[tuple[int, str], int] = {}
        for group in groups:
            entered, left, n = _first_day(group["intake_month"]), group["exit_month"], group["n"]
            left = _first_day(left) if left is not None else None
            # Days of the month at intake and exit, counted from the month's first day (0 on the 1st).
            into = (group["intake_days"] or 0) - n
            out = (group["exit_days"] or 0) - n
            if entered < first and (left is None or left >= first):
                figures["opening"] += n
            if entered <= first and (left is None or left > first):
                figures["closing"] += n
            if entered == first:
                figures["intake"] += n
            if left == first and group["exit_reason"] in figures["exits"]:
                figures["exits"][group["exit_reason"]] += n
            # Days under correction in the month: from max(intake, first) to min(exit, last + 1).
            if entered > first or (left is not None and left < first):
                continue
            if entered == first and left != first:
                span = length * n - into
            elif entered == first:
                span = out - into
            elif left == first:
                span = out
            else:
                span = length * n
            key = (group["justice_office__district_id"], group["management_level"])
            days[key] = days.get(key, 0) + span
        days_under_correction.append(days)
        result[first] = figures
    expected = expected_from_days(days_under_correction, lasts=[last for _first, last in bounds.values()])
    for index, (first, last) in enumerate(bounds.values()):
        result[first] = {
            "month": first.strftime("%Y-%m"),
            "opening": result[first]["opening"],
            "intake": result[first]["intake"],
            "exits": result[first]["exits"],
            "closing": result[first]["closing"],
            "absconded": absconded[last],
            "report_compliance": _compliance(missed[f"month_{index}"], expected[index]),
        }
    return result


# --- the cases behind a figure (the page's drill-down) ------------------------------------------------


def flat_figures(statistics: dict) -> dict[str, object]:
    """`{"exits.expired": 3, ...}`: every figure under its dotted key, to compare two sets of figures."""
    flat: dict[str, object] = {}
    for key, value in statistics.items():
        if key in ("month", "justice_office", "signed", "changed_since_signing"):
            continue
        if isinstance(value, dict):
            for code, inner in value.items():
                flat[f"{key}.{code}"] = inner
        else:
            flat[key] = value
    return flat


# The figures counted person by person without a breakdown's code (`figure_condition`).
PERSON_FIGURES = (
    "opening",
    "intake",
    "exits",
    "exits.transferred_out",
    "closing",
    "absconded",
    "reoffended",
    "cumulative.received",
    "cumulative.exited",
    "education.participants",
    "education.employment_helped",
)


def figure_counts_people(key: str, *, unit: bool = False) -> bool:
    """Whether `key` names a figure counted person by person (one `figure_condition` gives), without
    building the condition: the page asks it of every figure (`unit`: the report names its offices)."""
    if key in PERSON_FIGURES or (unit and key == "transferred_in"):
        return True
    group, _dot, code = key.partition(".")
    return (
        (group == "exits" and code in ExitReason.values)
        or (group in BREAKDOWNS and code in BREAKDOWNS[group][1])
        or (group == "by_age_band" and code in AGE_BANDS)
    )


def figure_condition(key: str, month: dt.date, offices=None) -> Q | None:
    """The condition on a supervisee (annotated with `unit_aliases`, see
    `figure_cases`) that makes them one of the people counted in the figure `key` of the month, or None
    for a figure that counts no people one by one (measures, report compliance; `figure_counts_people`).
    The same conditions as `_population_figures`."""
    if not figure_counts_people(key, unit=offices is not None):
        return None
    first, last = month_bounds(month)
    unit = unit_conditions(first, last, offices)
    closing = under_correction_on(last) & unit["closing"]
    taken_in = Q(intake_date__isnull=False)
    exited_in_month = taken_in & Q(exit_date__gte=first, exit_date__lte=last) & unit["exit"]
    received = Q(intake_date__lte=last) & unit["intake"]
    exited = taken_in & Q(exit_date__lte=last) & unit["exit"]
    transferred_out = exited_in_month & Q(exit_reason=ExitReason.TRANSFERRED_OUT)
    if offices is not None:
        received |= unit["in_by_end"]
        exited |= unit["out_by_end"]
        transferred_out |= unit["out"]
    simple = {
        "opening": under_correction_on(first - dt.timedelta(days=1)) & unit["opening"],
        "intake": Q(intake_date__gte=first, intake_date__lte=last) & unit["intake"],
        "exits": exited_in_month | unit["out"] if offices is not None else exited_in_month,
        "exits.transferred_out": transferred_out,
        "closing": closing,
        "absconded": status_on(last, Status.ABSCONDED) & unit["closing"],
        "reoffended": exited_in_month & Q(exit_reason__in=REVOCATIONS),
        "cumulative.received": received,
        "cumulative.exited": exited,
        "education.participants": _took_part(first, last),
        "education.employment_helped": _took_part(first, last, activity__kind=ActivityKind.EMPLOYMENT_HELP),
    }
    if offices is not None:
        simple["transferred_in"] = unit["in"]
        held = unit["opening"] | unit["closing"] | unit["in"] | unit["out"]
        for education_key in ("education.participants", "education.employment_helped"):
            simple[education_key] &= held
    if key in simple:
        return simple[key]
    group, _dot, code = key.partition(".")
    if group == "exits" and code in ExitReason.values:
        return exited_in_month & Q(exit_reason=code)
    if group in BREAKDOWNS and code in BREAKDOWNS[group][1]:
        return closing & Q(**{BREAKDOWNS[group][0]: code})
    if group == "by_age_band" and code in AGE_BANDS:
        return closing & _age_band_conditions(last)[code]
    return None


def figure_cases(
    *, supervisees: QuerySet[Supervisee], month: dt.date, key: str, offices=None
) -> QuerySet[Supervisee] | None:
    """The supervisees counted in the figure `key` of the month, over `supervisees` (already scoped);
    None when `key` names no figure counted person by person."""
    condition = figure_condition(key, month, offices)
    if condition is None:
        return None
    first, last = month_bounds(month)
    population = population_of(supervisees)
    return population.alias(**unit_aliases(first, last, offices)).filter(condition)
