"""Electronic positioning (CCL 29): the rules every consumer shares, one home each.

- How long an order may run: `latest_end(start)`, three months counted as every term here (a term of N
  months from day D ends the day before the same date N months later: corrections.periods.term_end),
  so an order from 2026-11-25 may run until 2027-02-24, and one from 2026-11-30 until 2027-02-27 (there
  is no 30 February: the same date three months later is the 28th, as for every term).
- Which orders are in force on a day: `in_force_on(day)`, one Q the register, the check-in link and
  the tests use; an order is in force from its first day to its last (`end_date`, or `ended_on` when it
  was ended early), once approved.
- Who reads orders and locations (need to know, CCL 29 para. 3): the case's office, the bureau's
  supervisors and the procuratorate (`may_read_positioning`), each within their scope.
- Which law each ground is, and how the law words it (the decision document quotes it).
"""

import datetime as dt

from django.db.models import Q

from accounts.constants import Role
from accounts.models import User
from corrections import law
from corrections.periods import term_end

from .constants import POSITIONING_MAX_MONTHS, PositioningGround, PositioningStatus

# Who reads electronic positioning orders and the locations check-ins carry (CCL 29 para. 3: the
# information is strictly confidential and used only for community correction work). Officers see only
# their office's cases and the other two their district's (corrections.scoping).
POSITIONING_READERS = frozenset({Role.JUSTICE_OFFICER, Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})
# Who keeps the register of orders in force: the bureau that approves them and the procuratorate.
REGISTER_READERS = frozenset({Role.JUSTICE_SUPERVISOR, Role.PROCURATORATE})

GROUND_LAW = {
    PositioningGround.PROHIBITION_VIOLATED: law.POSITIONING_PROHIBITION_VIOLATED,
    PositioningGround.LEFT_WITHOUT_APPROVAL: law.POSITIONING_LEFT_WITHOUT_APPROVAL,
    PositioningGround.WARNED_FOR_NOT_REPORTING: law.POSITIONING_WARNED_FOR_NOT_REPORTING,
    PositioningGround.PUBLIC_SECURITY_PENALTY: law.POSITIONING_PUBLIC_SECURITY_PENALTY,
    PositioningGround.REVOCATION_PENDING: law.POSITIONING_REVOCATION_PENDING,
}
# CCL 29 para. 1, items 1 to 5, as the law words them (the decision is written in Chinese).
GROUND_WORDING = {
    PositioningGround.PROHIBITION_VIOLATED: "违反人民法院禁止令",
    PositioningGround.LEFT_WITHOUT_APPROVAL: "无正当理由，未经批准离开所居住的市、县",
    PositioningGround.WARNED_FOR_NOT_REPORTING: "拒不按照规定报告自己的活动情况，被给予警告",
    PositioningGround.PUBLIC_SECURITY_PENALTY: "违反监督管理规定，被给予治安管理处罚",
    PositioningGround.REVOCATION_PENDING: "拟提请撤销缓刑、假释或者暂予监外执行收监执行",
}
# The statuses of an order that was approved (an order ended early was in force until it ended).
WAS_APPROVED = (PositioningStatus.APPROVED, PositioningStatus.ENDED)


def latest_end(start: dt.date) -> dt.date:
    """The last day an order (or an extension) that begins on `start` may run: CCL 29 para. 2."""
    return term_end(start, months=POSITIONING_MAX_MONTHS)


def in_force_on(day: dt.date, prefix: str = "") -> Q:
    """Q over PositioningOrder (or, with `prefix`, a relation to it): approved, and `day` between its
    first and last day (its `end_date`, or `ended_on` for an order ended early)."""
    p = prefix
    return Q(**{f"{p}status__in": WAS_APPROVED, f"{p}start_date__lte": day}) & (
        Q(**{f"{p}ended_on__isnull": True, f"{p}end_date__gte": day})
        | Q(**{f"{p}ended_on__isnull": False, f"{p}end_date__gte": day, f"{p}ended_on__gte": day})
    )


def may_read_positioning(user: User) -> bool:
    return bool(user.is_authenticated and user.role in POSITIONING_READERS)
