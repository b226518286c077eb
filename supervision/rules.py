"""Supervision's *local* rules in force on a day, as its services need them. Which row is in force is
decided in one place, accounts.local_rules; the reporting duty's own rule is supervision.duties."""

import datetime as dt

from accounts.local_rules import in_force

from .models import DisciplineRule, LeaveReason, LeaveRule, LeaveTier


def leave_tiers_for(*, district_id: int, on: dt.date) -> list[LeaveTier]:
    """The tiers in force, shortest first; the last has no upper bound."""
    tiers = in_force(LeaveTier, district=district_id, on=on).values()
    return sorted(tiers, key=lambda t: (t.max_days is None, t.max_days or 0))


def discipline_rule_for(*, district_id: int, on: dt.date) -> DisciplineRule:
    rule = in_force(DisciplineRule, district=district_id, on=on).get(())
    # The model's defaults, when an administrator removed every row.
    return rule or DisciplineRule(effective_from=on)


def leave_reasons_for(*, district_id: int, on: dt.date) -> list[LeaveReason]:
    """The office's proper reasons for leave on the list on `on`, in the list's order."""
    reasons = [r for r in in_force(LeaveReason, district=district_id, on=on).values() if r.active]
    return sorted(reasons, key=lambda r: (r.position, r.code))


def leave_notice_days_for(*, district_id: int, on: dt.date) -> int:
    """How many days ahead leave is asked for, unless urgent."""
    rule = in_force(LeaveRule, district=district_id, on=on).get(())
    return rule.notice_days if rule else LeaveRule._meta.get_field("notice_days").default
