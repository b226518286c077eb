"""Supervision's *local* rules in force on a day, as its services need them. Which row is in force is
decided in one place, accounts.local_rules; the reporting duty's own rule is supervision.duties."""

import datetime as dt

from accounts.local_rules import in_force

from .models import DisciplineRule, LeaveTier


def leave_tiers_for(*, district_id: int, on: dt.date) -> list[LeaveTier]:
    """The tiers in force, shortest first; the last has no upper bound."""
    tiers = in_force(LeaveTier, district=district_id, on=on).values()
    return sorted(tiers, key=lambda t: (t.max_days is None, t.max_days or 0))


def discipline_rule_for(*, district_id: int, on: dt.date) -> DisciplineRule:
    rule = in_force(DisciplineRule, district=district_id, on=on).get(())
    # The model's defaults, when an administrator removed every row.
    return rule or DisciplineRule(effective_from=on)
