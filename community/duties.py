"""The monthly hours duty: the one home of "how many study and community-service hours did this case
do in a month, against how many its reporting rule asks".

The hours asked are the reporting rule's `hours_per_month` for the duties `education` and
`community_service` (supervision.models.ReportingRule, *local* data with defaults in
supervision/migrations/0002_default_rules.py: 8 hours a month of each for the strict level, none for
the others). The law sets no hours: CCL 36 and 42 name education and public-interest activities; the
numbers are local practice (docs/rules.md#reporting-duties).

The hours done in a month are, per duty, the hours of the check-ins of a kind the rule counts
(`qualifying_kinds`, the office's day of `occurred_at`) plus each participation in an activity of a kind
that counts toward the duty (community.constants.DUTY_ACTIVITY_KINDS, on the activity's date).

Everything that asks reads it from here: the sweep's `hours_short` (registered below), the case header
and the officer's dashboard (workspace), in SQL, one correlated subquery per duty and source.

A month is judged only for a case under supervision from its first day (intake on or before it) that is
still under supervision: a part month asks nothing, and a case that left has no alert to act on.
"""

import datetime as dt
import operator
from decimal import Decimal
from functools import reduce

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.local_rules import rules_in_force
from config.office_time import start_of_day
from corrections.constants import Status
from corrections.models import Supervisee
from supervision.constants import AlertKind, Duty
from supervision.duties import DISTRICT, reporting_from
from supervision.models import CheckIn, ReportingRule
from supervision.sweep import AlertRows, alert_rows, on_day, register_alert_rule

from .constants import DUTY_ACTIVITY_KINDS
from .models import Participation

HOURS_DUTIES = (Duty.EDUCATION, Duty.COMMUNITY_SERVICE)
HOURS = DecimalField(max_digits=7, decimal_places=1)
ZERO = Value(Decimal(0), output_field=HOURS)


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month `day` falls in."""
    first = day.replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month before the one `day` falls in."""
    return month_of(day.replace(day=1) - dt.timedelta(days=1))


def _branches(*, on: dt.date) -> dict[str, list[tuple[Q, tuple[str, ...], Decimal]]]:
    """For each duty of HOURS_DUTIES, `(condition on a supervisee, check-in kinds that count, hours
    asked)` for each rule in force on `on` that asks hours somewhere, those alike merged (as
    supervision.duties does). One query for the rules of every district."""
    merged: dict[str, dict[tuple[tuple[str, ...], Decimal], Q]] = {duty: {} for duty in HOURS_DUTIES}
    rules_of_every_district = rules_in_force(ReportingRule, on=on, duty__in=HOURS_DUTIES)
    for scope, rules in rules_of_every_district.scopes(DISTRICT):
        for rule in rules.values():
            if not rule.hours_per_month:
                continue
            key = (tuple(sorted(rule.qualifying_kinds)), rule.hours_per_month)
            condition = scope & Q(management_level=rule.management_level)
            of_duty = merged[rule.duty]
            of_duty[key] = of_duty[key] | condition if key in of_duty else condition
    return {
        duty: [(condition, kinds, hours) for (kinds, hours), condition in of_duty.items()]
        for duty, of_duty in merged.items()
    }


def _sum(rows, field: str = "hours") -> Subquery:
    return Subquery(
        rows.order_by().values("supervisee_id").annotate(total=Sum(field)).values("total")[:1],
        output_field=HOURS,
    )


def with_monthly_hours(
    supervisees: QuerySet[Supervisee], *, first: dt.date, last: dt.date, only_asked: bool = False
) -> QuerySet[Supervisee]:
    """`supervisees` annotated, for each duty D of HOURS_DUTIES, with `D_hours_required` (the rule's
    hours a month, or null where it asks none) and `D_hours_done` (from `first` to `last`, both
    inclusive), under the rules in force on `last`. `only_asked`: only the cases some rule asks hours of
    (a plain condition on district and level the planner can use an index for, where `short_condition`
    alone would compute every case's hours first; the sweep's `hours_short`, issue 14)."""
    annotations = {}
    since, before = start_of_day(first), start_of_day(last + dt.timedelta(days=1))
    branches_of = _branches(on=last)
    if only_asked:
        asked = [condition for duty in HOURS_DUTIES for condition, _kinds, _hours in branches_of[duty]]
        supervisees = supervisees.filter(reduce(operator.or_, asked, Q(pk__in=[])))
    for duty in HOURS_DUTIES:
        branches = branches_of[duty]
        activities = _sum(
            Participation.objects.filter(
                supervisee=OuterRef("pk"),
                activity__kind__in=sorted(DUTY_ACTIVITY_KINDS[duty]),
                activity__date__gte=first,
                activity__date__lte=last,
            )
        )

        def checkins(kinds):
            return _sum(
                CheckIn.objects.filter(
                    supervisee=OuterRef("pk"),
                    kind__in=kinds,
                    occurred_at__gte=since,
                    occurred_at__lt=before,
                    hours__isnull=False,
                )
            )

        if branches:
            required = Case(
                *(When(condition, then=Value(hours)) for condition, _kinds, hours in branches),
                default=None,
                output_field=HOURS,
            )
            from_checkins = Case(
                *(When(condition, then=checkins(kinds)) for condition, kinds, _hours in branches),
                default=ZERO,
                output_field=HOURS,
            )
        else:
            required = Value(None, output_field=HOURS)
            from_checkins = ZERO
        annotations[f"{duty}_hours_required"] = required
        annotations[f"{duty}_hours_done"] = ExpressionWrapper(
            Coalesce(from_checkins, ZERO) + Coalesce(activities, ZERO), output_field=HOURS
        )
    return supervisees.annotate(**annotations)


def short_condition() -> Q:
    """Over a queryset annotated by `with_monthly_hours`: some duty asks hours and got fewer."""
    condition = Q(pk__in=[])
    for duty in HOURS_DUTIES:
        condition |= Q(**{f"{duty}_hours_required__isnull": False}) & Q(
            **{f"{duty}_hours_done__lt": F(f"{duty}_hours_required")}
        )
    return condition


def judged_cases(cases: QuerySet[Supervisee], *, first: dt.date) -> QuerySet[Supervisee]:
    """Those of `cases` whose month beginning `first` is judged: under supervision from its first day,
    and still. The duty counts from the day the reporting duty does (`supervision.duties.reporting_from`:
    intake, or the last return from custody), so a month with days in custody is not judged."""
    return cases.alias(hours_from=reporting_from()).filter(
        status=Status.UNDER_SUPERVISION, hours_from__lte=first
    )


def hours_short(as_of: dt.date) -> AlertRows:
    """The previous calendar month fell short of a monthly hours duty: one alert per case and month,
    dated the month's last day (the sweep's unique (case, kind, due date) keeps it to one)."""
    first, last = previous_month(as_of)
    cases = with_monthly_hours(
        judged_cases(Supervisee.objects.all(), first=first), first=first, last=last, only_asked=True
    ).filter(short_condition())
    return alert_rows(cases, due=on_day(last))


def case_hours(supervisee: Supervisee, *, day: dt.date) -> list[dict]:
    """For the case header: the month of `day` and the one before, each duty's hours done and asked
    (only the duties that ask hours of the case). Two queries per month (the rules, the case)."""
    months = []
    for first, last in (previous_month(day), month_of(day)):
        row = (
            with_monthly_hours(Supervisee.objects.filter(pk=supervisee.pk), first=first, last=last)
            .values(*(f"{d}_hours_{part}" for d in HOURS_DUTIES for part in ("required", "done")))
            .first()
        )
        duties = [
            {
                "duty": Duty(duty),
                "required": row[f"{duty}_hours_required"],
                "done": row[f"{duty}_hours_done"] or Decimal(0),
            }
            for duty in HOURS_DUTIES
            if row and row[f"{duty}_hours_required"] is not None
        ]
        if duties:
            months.append(
                {
                    "first": first,
                    "complete": last < day,
                    "duties": duties,
                    "short": any(d["done"] < d["required"] for d in duties),
                }
            )
    return months


def short_of_hours(visible: QuerySet[Supervisee], *, day: dt.date, limit: int) -> list[Supervisee]:
    """For the officer's dashboard: the cases among `visible` whose previous month (before the month of
    `day`) fell short, with their hours, by name; the same rule as the sweep's. Two queries. Only the
    cases some rule asks hours of are judged (`only_asked`, as the sweep's): the others cannot fall short,
    and the month's judgement (its last return from custody, its hours) is not computed for them."""
    first, last = previous_month(day)
    cases = with_monthly_hours(
        judged_cases(visible.prefetch_related(None), first=first), first=first, last=last, only_asked=True
    ).filter(short_condition())
    return list(cases.order_by("name", "pk")[:limit])


def register() -> None:
    register_alert_rule(AlertKind.HOURS_SHORT, hours_short)
