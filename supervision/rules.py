"""The *local* rules in force on a day: reporting duties, leave tiers, discipline thresholds.

Each table holds district-wide defaults (district null) and a district's own rows; the row in force
for a district on a day is its own latest row effective by then, else the default's."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Model, QuerySet

from .constants import Duty
from .models import DisciplineRule, LeaveTier, ReportingRule


def _in_force(rows: Iterable[Model], key) -> dict:
    """From rows ordered oldest first, keep the latest per key, a district's own over the default."""
    chosen: dict = {}
    for row in rows:
        chosen[key(row)] = row
    return chosen


def reporting_rules_in_force(
    *, on: dt.date, duty: str = Duty.REPORT
) -> dict[tuple[int | None, str], ReportingRule]:
    """`{(district_id or None, management_level): rule}` for one duty, as of `on`."""
    rows: QuerySet[ReportingRule] = ReportingRule.objects.filter(duty=duty, effective_from__lte=on).order_by(
        "effective_from", "id"
    )
    return _in_force(rows, key=lambda rule: (rule.district_id, rule.management_level))


def rule_for(
    rules: dict[tuple[int | None, str], ReportingRule], *, district_id: int | None, level: str
) -> ReportingRule | None:
    """From `reporting_rules_in_force`, the rule a district's level follows: its own, else the default.
    Callers load the rules once and look up many cases (no query per case)."""
    return rules.get((district_id, level)) or rules.get((None, level))


def leave_tiers_for(*, district_id: int, on: dt.date) -> list[LeaveTier]:
    """The tiers in force, shortest first; the last has no upper bound."""
    rows = LeaveTier.objects.filter(effective_from__lte=on).order_by("effective_from", "id")
    own = _in_force((t for t in rows if t.district_id == district_id), key=lambda t: t.approval_level)
    default = _in_force((t for t in rows if t.district_id is None), key=lambda t: t.approval_level)
    tiers = list((own or default).values())
    return sorted(tiers, key=lambda t: (t.max_days is None, t.max_days or 0))


def discipline_rule_for(*, district_id: int, on: dt.date) -> DisciplineRule:
    rows = DisciplineRule.objects.filter(effective_from__lte=on).order_by("effective_from", "id")
    own = [r for r in rows if r.district_id == district_id]
    default = [r for r in rows if r.district_id is None]
    if own:
        return own[-1]
    if default:
        return default[-1]
    return DisciplineRule(effective_from=on)  # the model's defaults, when an administrator removed all rows


def report_intervals_for(*, user, on: dt.date) -> dict[str, int]:
    """`{management_level: every_days}` of the report duty in force for the user's district."""
    district_id = user.agency.district_id if user.agency_id else None
    rules = reporting_rules_in_force(on=on)
    levels = {level for _district, level in rules}
    chosen = {level: rule_for(rules, district_id=district_id, level=level) for level in levels}
    return {level: rule.every_days for level, rule in chosen.items() if rule and rule.every_days}
