"""The reporting duty: the one expression of "the next report that counts is due on day D".

Under the reporting rule in force for the case's district and management level (*local* data,
accounts.local_rules), the next report is due `every_days` after the later of the day reporting counts
from (`reporting_from`: the intake date, or the day of the last return from custody) and the office's
day of the last report of a kind the rule counts (`qualifying_kinds`). A case not under supervision, or
whose level has no report duty in force, has none (null): while a case is in custody no report falls due,
and on its return the count starts again from the day it came back (docs/rules.md, "Custody and
arrest"). A return from absconding does not restart it: the reports missed while out of contact stay
missed.

Everything that asks "is a report due?" reads it from here: the sweep's `missed_report` (a report due
on D and not made by the end of D raises one alert dated D), the officer's dashboard, the caseload's
colours, the case header, the API's `next_report_due`, and the statistics' count of reports expected.

`with_next_report_due` annotates a queryset of supervisees in SQL: per row, one correlated subquery for
the last report and one for the last return from custody, each written once in the expression (the
rules in force are loaded once, in one query, and become a CASE over district and level).

The reporting clock: the last report is also kept on the case's row (`Supervisee.last_report_at`, the
last check-in of the kinds named in `last_report_kinds`), so that the pages that show the duty of
thousands of cases (the supervisor's dashboard: a district's 10,000 under supervision) read it from the
row instead of probing the check-ins case by case (issue 14). The duty uses the row only where its kinds
are exactly those the rule in force counts; anywhere else (never set, a new level, another district's
rule, a rule come into force since) it reads the check-ins as before, so a stale clock is never used,
only a slower path. Check-ins are only ever added (no service edits or deletes one): `checkin_record`
moves the clock forward (`report_clock_after_checkin`), and `report_clock_refresh` sets it for the cases
whose kinds differ (a nightly task, and the bulk loaders). `tests/supervision/test_report_clock.py`
checks that the clock never drifts from the check-ins. The sweep counts reports made before a cutoff
(`reported_before`) and reads the check-ins always.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from accounts.local_rules import RulesInForce, rules_in_force
from config.office_time import local_day
from config.sql import AddDays
from corrections.constants import Status
from corrections.models import StatusChange, Supervisee

from .constants import Duty
from .models import CheckIn, ReportingRule

DISTRICT = "justice_office__district_id"
# The caseload and dashboard say "due soon" this many days before the due day.
DUE_SOON_DAYS = 2


def report_rules(*, on: dt.date, duty: str = Duty.REPORT):
    """The report duty's rules in force on `on` (or another duty's counted in days: the home visit), for
    every district (one query)."""
    return rules_in_force(ReportingRule, on=on, duty=duty)


def _branches(*, on: dt.date, duty: str = Duty.REPORT) -> list[tuple[Q, tuple[str, ...], int]]:
    """`(condition on a supervisee, qualifying kinds, every_days)` for every rule that applies somewhere,
    those with the same kinds and interval merged (usually one per level, whatever the districts)."""
    merged: dict[tuple[tuple[str, ...], int], Q] = {}
    for scope, rules in report_rules(on=on, duty=duty).scopes(DISTRICT):
        for rule in rules.values():
            if not rule.every_days:
                continue
            key = (tuple(sorted(rule.qualifying_kinds)), rule.every_days)
            condition = scope & Q(management_level=rule.management_level)
            merged[key] = merged[key] | condition if key in merged else condition
    return [(condition, kinds, every) for (kinds, every), condition in merged.items()]


def _last_return_from_custody() -> Case:
    """The day of the case's last return from custody to supervision (null if none): one correlated
    subquery on the status history's (supervisee, date) index, asked only of the cases that ever
    returned (`id IN` every return's case: on PostgreSQL one hashed set per statement when many cases are
    read). The probe once a case was a third of the sweep's index reads at 700,000 people, for a few
    thousand returns (issue 14)."""
    returns = StatusChange.objects.filter(from_status=Status.IN_CUSTODY, to_status=Status.UNDER_SUPERVISION)
    last = returns.filter(supervisee=OuterRef("pk")).order_by("-date", "-id").values("date")[:1]
    return Case(
        When(pk__in=returns.values("supervisee_id"), then=Subquery(last, output_field=DateField())),
        default=None,
        output_field=DateField(),
    )


def reporting_from():
    """The day the reporting duty counts from, as an expression over supervisees: the intake date, or
    the day of the case's last return from custody to supervision if later (custody pauses the duty;
    the first report after it is due a full interval after the return)."""
    # GREATEST ignores nulls on PostgreSQL but not on SQLite: a case never in custody falls back to intake.
    return Greatest(
        Coalesce(_last_return_from_custody(), F("intake_date")),
        F("intake_date"),
        output_field=DateField(),
    )


def with_next_report_due(
    supervisees: QuerySet[Supervisee],
    *,
    on: dt.date,
    reported_before: dt.datetime | None = None,
    duty: str = Duty.REPORT,
    name: str = "next_report_due",
) -> QuerySet[Supervisee]:
    """`supervisees` annotated with `next_report_due` (a date, or null), under the rules in force on
    `on`, counting the reports made before `reported_before` (default: every report recorded).

    The same rule serves the other duty counted in days, the home visit (`duty=Duty.HOME_VISIT`,
    annotated as `name`, see `with_next_home_visit_due`): due `every_days` after the later of intake and
    the last check-in of a kind its rule counts."""
    branches = _branches(on=on, duty=duty)
    if not branches:
        return supervisees.annotate(**{name: Value(None, output_field=DateField())})

    def last_report(kinds: tuple[str, ...]) -> Subquery | Case:
        reports = CheckIn.objects.filter(supervisee=OuterRef("pk"), kind__in=kinds)
        if reported_before is not None:
            reports = reports.filter(occurred_at__lt=reported_before)
        from_checkins = Subquery(reports.order_by("-occurred_at").values("occurred_at")[:1])
        if reported_before is not None or duty != Duty.REPORT:
            return from_checkins
        # The reporting clock where it counts these kinds; the check-ins elsewhere (PostgreSQL runs the
        # subquery only for the rows that reach it).
        return Case(
            When(last_report_kinds=report_clock_key(kinds), then=F("last_report_at")),
            default=from_checkins,
            output_field=DateTimeField(),
        )

    last_report_at = Case(
        *(When(condition, then=last_report(kinds)) for condition, kinds, _every in branches),
        output_field=DateTimeField(),
    )
    every_days = Case(
        *(When(condition, then=Value(every)) for condition, _kinds, every in branches),
        output_field=IntegerField(),
    )
    # The day the interval runs from: the latest of the last report's day, the last return from custody
    # and intake (a report made before custody does not count after the return) -- `reporting_from` and
    # the last report, each subquery written once. Django inlines an alias wherever it is referenced, so
    # the earlier GREATEST(COALESCE(last, from), from) repeated the custody subquery and the whole
    # expression ran its subqueries several times per row (issue 14). GREATEST ignores nulls on
    # PostgreSQL but not on SQLite, hence each falls back to the intake date. The expression is the same
    # for every consumer (sweep, case header, caseload, API, dashboard).
    intake = F("intake_date")
    reference = Greatest(
        Coalesce(local_day(last_report_at), intake),
        Coalesce(_last_return_from_custody(), intake),
        intake,
        output_field=DateField(),
    )
    return supervisees.annotate(
        **{
            name: Case(
                When(status=Status.UNDER_SUPERVISION, then=AddDays(reference, every_days)),
                default=None,
                output_field=DateField(),
            )
        }
    )


def report_clock_key(kinds) -> str:
    """`Supervisee.last_report_kinds` for a rule counting `kinds`: sorted, and comma-delimited at both
    ends, so that one kind is found in it as `,kind,`."""
    return "," + ",".join(sorted(kinds)) + ","


def report_clock_after_checkin(*, kind: str, at: dt.datetime) -> dict:
    """The UPDATE of the case's row that a check-in of `kind` at `at` makes to the reporting clock (for
    `Supervisee.objects.filter(pk=...).update(**...)`, in the check-in service's own UPDATE): the clock
    moves to `at` if it counts `kind` and `at` is later (a check-in may be recorded after the fact). A
    clock that does not count `kind` is left as it is: the last report of its kinds has not changed."""
    counts = Q(last_report_kinds__contains=f",{kind},") & (
        Q(last_report_at__isnull=True) | Q(last_report_at__lt=at)
    )
    return {
        "last_report_at": Case(
            When(counts, then=Value(at, output_field=DateTimeField())),
            default=F("last_report_at"),
            output_field=DateTimeField(),
        )
    }


# Cases whose clock is set in one transaction (a few hundred statements for 700,000 people; under
# SQLite's limit of variables in one statement).
REFRESH_CHUNK = 900


def report_clock_refresh(supervisees: QuerySet[Supervisee] | None = None, *, on: dt.date) -> int:
    """Set the reporting clock, under the rules in force on `on`, of those of `supervisees` (default
    every case) whose clock does not count the kinds of their rule: new cases, a new level or district,
    a rule come into force. Per rule (kinds and interval merged as `_branches` does), the cases to set,
    then, a few hundred at a time, each locked and set to the kinds and the last check-in of those kinds.
    Returns how many clocks were set.

    The lock keeps a check-in recorded meanwhile from being missed: `checkin_record` locks the case
    before it writes, so one recorded before the lock was granted has committed and the UPDATE (a later
    statement) sees it; one recorded after waits for this commit and then moves the clock itself."""
    supervisees = Supervisee.objects.all() if supervisees is None else supervisees
    changed = 0
    for condition, kinds, _every in _branches(on=on):
        key = report_clock_key(kinds)
        stale = supervisees.filter(condition).filter(
            Q(last_report_kinds__isnull=True) | ~Q(last_report_kinds=key)
        )
        ids = list(stale.order_by("pk").values_list("pk", flat=True))
        latest = CheckIn.objects.filter(supervisee=OuterRef("pk"), kind__in=kinds).order_by("-occurred_at")
        for start in range(0, len(ids), REFRESH_CHUNK):
            with transaction.atomic():
                locked = list(
                    Supervisee.objects.filter(pk__in=ids[start : start + REFRESH_CHUNK])
                    .select_for_update()
                    .values_list("pk", flat=True)
                )
                changed += Supervisee.objects.filter(pk__in=locked).update(
                    last_report_kinds=key, last_report_at=Subquery(latest.values("occurred_at")[:1])
                )
    return changed


def with_next_home_visit_due(supervisees: QuerySet[Supervisee], *, on: dt.date) -> QuerySet[Supervisee]:
    """`supervisees` annotated with `next_home_visit_due`: the home-visit duty of the same rules
    (`ReportingRule` with `duty=home_visit`; defaults every 30, 60 and 90 days by level)."""
    return with_next_report_due(supervisees, on=on, duty=Duty.HOME_VISIT, name="next_home_visit_due")


def next_report_due(supervisee: Supervisee, *, on: dt.date) -> dt.date | None:
    """The same for one case (two queries: the rules, then the case)."""
    return (
        with_next_report_due(Supervisee.objects.filter(pk=supervisee.pk), on=on)
        .values_list("next_report_due", flat=True)
        .first()
    )


def report_urgency(due: dt.date | None, *, today: dt.date) -> str:
    """How urgent a report due on `due` is on `today`: `overdue` (the day has passed), `due` (today or
    within DUE_SOON_DAYS), `ok`, or `none` (no report due)."""
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due"
    return "ok"


URGENCIES = ("overdue", "due", "ok", "none")


def filter_by_report_urgency(supervisees: QuerySet[Supervisee], urgency: str, *, today: dt.date) -> QuerySet:
    """Those of `supervisees` (annotated by `with_next_report_due`) whose next report is of `urgency` as
    `report_urgency` says it, in SQL: the same four cases, so a filter and a row's words never differ."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    conditions = {
        "overdue": Q(next_report_due__lt=today),
        "due": Q(next_report_due__gte=today, next_report_due__lte=soon),
        "ok": Q(next_report_due__gt=soon),
        "none": Q(next_report_due__isnull=True),
    }
    return supervisees.filter(conditions[urgency])


def reports_expected(population: QuerySet[Supervisee], *, first: dt.date, last: dt.date) -> Decimal:
    """How many reports the duty expected of `population` from `first` to `last`: for each person, the
    days under correction in the span divided by their level's `every_days` (the rule in force on
    `last`). Days absconded or in custody count as days under correction. One query grouped by district
    and level, whatever the population (and one for the rules)."""
    return reports_expected_by_span(population, spans=[(first, last)])[0]


def reports_expected_by_span(
    population: QuerySet[Supervisee], *, spans: list[tuple[dt.date, dt.date]]
) -> list[Decimal]:
    """`reports_expected` of each `(first, last)` of `spans`, in their order: one query grouped by
    district and level with one sum per span, and one query for the rules (those in force on the
    latest `last`, narrowed in Python to each span's `last`), whatever the number of spans."""
    if not spans:
        return []
    sums = {}
    anyone = Q()
    for index, (first, last) in enumerate(spans):
        after_last = last + dt.timedelta(days=1)
        start = Greatest(F("intake_date"), Value(first, output_field=DateField()), output_field=DateField())
        end = Least(
            Coalesce(F("exit_date"), Value(after_last, output_field=DateField())),
            Value(after_last, output_field=DateField()),
            output_field=DateField(),
        )
        during = Q(intake_date__lte=last) & (Q(exit_date__isnull=True) | Q(exit_date__gt=first))
        sums[f"days_{index}"] = Sum(
            ExpressionWrapper(end - start, output_field=DurationField()), filter=during
        )
        anyone |= during
    days_by_level = list(
        population.filter(anyone).order_by().values(DISTRICT, "management_level").annotate(**sums)
    )
    days = [
        {(row[DISTRICT], row["management_level"]): row[f"days_{index}"] for row in days_by_level}
        for index in range(len(spans))
    ]
    return expected_from_days(
        [{key: value.days for key, value in span.items() if value} for span in days],
        lasts=[last for _first, last in spans],
    )


def expected_from_days(days: list[dict[tuple[int, str], int]], *, lasts: list[dt.date]) -> list[Decimal]:
    """For each span (its `last` day in `lasts`), the reports expected of `{(district id, management
    level): days under correction}`: the days divided by the level's `every_days` under the rule in
    force on `last`. One query for the rules of every span (those in force on the latest `last`,
    narrowed in Python to each span's)."""
    if not lasts:
        return []
    every_rule = list(
        ReportingRule.objects.filter(effective_from__lte=max(lasts), duty=Duty.REPORT).order_by(
            "effective_from", "id"
        )
    )
    expected = []
    for span_days, last in zip(days, lasts, strict=True):
        # The same choice as rules_in_force(on=last): the rows effective by then, oldest first.
        rules = RulesInForce(ReportingRule, [rule for rule in every_rule if rule.effective_from <= last])
        total = Decimal(0)
        for (district, level), count in span_days.items():
            rule = rules.get(district, level, Duty.REPORT)
            if rule is None or not rule.every_days or not count:
                continue
            total += Decimal(count) / Decimal(rule.every_days)
        expected.append(total)
    return expected


def report_kinds(*, on: dt.date) -> list[str]:
    """Every check-in kind that counts as a report somewhere under the rules in force on `on`."""
    rules = report_rules(on=on)
    every = [*rules.defaults.values(), *(rule for own in rules.own.values() for rule in own.values())]
    return sorted({kind for rule in every for kind in rule.qualifying_kinds})
