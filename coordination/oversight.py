"""The procuratorate's exceptions view (docs/rules.md#oversight: "sees the exceptions that need oversight"):
cases where the record shows something the law does not allow, or a decision that is late.

CCL 8, 62: the procuratorate supervises community correction by law and issues notices where it finds
a breach. This view only points at cases; a person reads the file and decides.

Each code is one set-based query over the caller's cases (`supervisees_visible_to`: the district for a
procuratorate reviewer or a bureau supervisor); the combined list is sorted in Python and paginated by
the API. Four queries, whatever the number of cases.

Codes, and the day each item is dated by (`since`):
- `lost_contact_without_warning`: the case is absconded and no approved warning has been decided since
  it went out of contact. `since`: the latest status change to absconded (the intake date if the history
  lacks one).
- `leave_beyond_tier`: approved leave (approved, or approved and since returned) longer than the
  `max_days` of the leave tier in force for its approval level on its start date
  (accounts.local_rules, in SQL). `since`: the leave's start date.
- `proposal_without_decision`: a revocation or recommitment proposal sent or accepted whose answer was
  due before today (CCL 48 para. 1: the court rules on a revocation proposal within 30 days; CCL 49
  para. 2: the deciding agency on a recommitment proposal within 30 days). `since`: the due date that passed.
- `released_while_proposal_pending`: the case ended as expired while such a proposal was pending
  (docs/rules.md#oversight: never released while a revocation proposal is pending). Pending at the exit date
  is approximated as "sent on or before the exit date (office's local date) and still sent or accepted today":
  a proposal completed or withdrawn after the release is not counted, although it was pending at the time.
  `since`: the exit date.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.local_rules import in_force_value
from accounts.models import User
from config.office_time import local_date, local_day, office_today
from config.sql import InclusiveDays
from corrections.constants import ExitReason, Status
from corrections.models import StatusChange, Supervisee
from corrections.scoping import supervisees_visible_to
from supervision.constants import ApprovalLevel, LeaveStatus, MeasureKind, MeasureStatus
from supervision.models import LeaveRequest, LeaveTier, Measure

from .constants import ReferralKind, ReferralStatus
from .models import Referral

PROPOSAL_KINDS = (ReferralKind.REVOCATION_PROPOSAL, ReferralKind.RECOMMITMENT_PROPOSAL)
PENDING_PROPOSAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)
# Leave that was granted: still away, or back.
GRANTED_LEAVE_STATUSES = (LeaveStatus.APPROVED, LeaveStatus.RETURNED)


class ExceptionCode:
    LOST_CONTACT_WITHOUT_WARNING = "lost_contact_without_warning"
    LEAVE_BEYOND_TIER = "leave_beyond_tier"
    PROPOSAL_WITHOUT_DECISION = "proposal_without_decision"
    RELEASED_WHILE_PROPOSAL_PENDING = "released_while_proposal_pending"


def _item(supervisee: Supervisee, code: str, since: dt.date | None, detail: str) -> dict[str, Any]:
    # Case number, not name: a list across the district must not name minors (CCL 54, 58); the reviewer
    # opens the case (an audited read) to see who it is.
    return {
        "supervisee": supervisee.pk,
        "case_number": supervisee.case_number,
        "code": code,
        "since": since,
        "detail": detail,
    }


def lost_contact_without_warning(*, cases: QuerySet[Supervisee]) -> list[dict[str, Any]]:
    latest_absconding = (
        StatusChange.objects.filter(supervisee=OuterRef("pk"), to_status=Status.ABSCONDED)
        .order_by("-date", "-id")
        .values("date")[:1]
    )
    warned_since = Measure.objects.filter(
        supervisee=OuterRef("pk"),
        kind=MeasureKind.WARNING,
        status=MeasureStatus.APPROVED,
        decided_on__gte=OuterRef("lost_on"),
    )
    rows = (
        cases.filter(status=Status.ABSCONDED)
        .annotate(lost_on=Coalesce(Subquery(latest_absconding), F("intake_date")))
        .filter(~Exists(warned_since))
        .only("pk", "case_number")
    )
    return [
        _item(
            case,
            ExceptionCode.LOST_CONTACT_WITHOUT_WARNING,
            case.lost_on,
            _("Out of contact since %(date)s and no warning decided since then.")
            % {"date": case.lost_on.isoformat() if case.lost_on else _("an unknown date")},
        )
        for case in rows
    ]


def leave_beyond_tier(*, cases: QuerySet[Supervisee]) -> list[dict[str, Any]]:
    rows = (
        LeaveRequest.objects.filter(supervisee__in=cases, status__in=GRANTED_LEAVE_STATUSES)
        .annotate(
            district_id=F("supervisee__justice_office__district_id"),
            leave_days=InclusiveDays("start_date", "end_date"),
        )
        .annotate(
            # The tier in force for the leave's approval level on its start date (accounts.local_rules).
            tier_max_days=in_force_value(
                LeaveTier,
                field="max_days",
                district=OuterRef("district_id"),
                on=OuterRef("start_date"),
                approval_level=OuterRef("approval_level"),
            )
        )
        # No limit (the top tier) or no tier at all for the level: nothing to exceed.
        .filter(tier_max_days__isnull=False, leave_days__gt=F("tier_max_days"))
        .select_related("supervisee")
        .only(
            "pk",
            "start_date",
            "end_date",
            "approval_level",
            "supervisee__id",
            "supervisee__case_number",
        )
    )
    return [
        _item(
            leave.supervisee,
            ExceptionCode.LEAVE_BEYOND_TIER,
            leave.start_date,
            _(
                "Leave of %(days)d days (%(start)s to %(end)s) approved at the %(level)s, "
                "whose limit is %(max)d days."
            )
            % {
                "days": leave.leave_days,
                "start": leave.start_date.isoformat(),
                "end": leave.end_date.isoformat(),
                "level": ApprovalLevel(leave.approval_level).label,
                "max": leave.tier_max_days,
            },
        )
        for leave in rows
    ]


def proposal_without_decision(*, cases: QuerySet[Supervisee], today: dt.date) -> list[dict[str, Any]]:
    rows = (
        Referral.objects.filter(
            supervisee__in=cases,
            kind__in=PROPOSAL_KINDS,
            status__in=PENDING_PROPOSAL_STATUSES,
            due_date__lt=today,
        )
        .select_related("supervisee", "to_agency")
        .only(
            "pk",
            "kind",
            "due_date",
            "sent_at",
            "supervisee__id",
            "supervisee__case_number",
            "to_agency__name",
        )
    )
    return [
        _item(
            referral.supervisee,
            ExceptionCode.PROPOSAL_WITHOUT_DECISION,
            referral.due_date,
            _("%(kind)s sent to %(agency)s on %(sent)s: the decision was due on %(due)s and has not come.")
            % {
                "kind": ReferralKind(referral.kind).label,
                "agency": referral.to_agency.name,
                "sent": local_date(referral.sent_at).isoformat() if referral.sent_at else "-",
                "due": referral.due_date.isoformat(),
            },
        )
        for referral in rows
    ]


def released_while_proposal_pending(*, cases: QuerySet[Supervisee]) -> list[dict[str, Any]]:
    pending = (
        Referral.objects.annotate(sent_on=local_day("sent_at"))
        .filter(
            supervisee=OuterRef("pk"),
            kind__in=PROPOSAL_KINDS,
            status__in=PENDING_PROPOSAL_STATUSES,
            sent_on__lte=OuterRef("exit_date"),
        )
        .order_by("sent_at", "id")
    )
    rows = (
        cases.filter(status=Status.TERMINATED, exit_reason=ExitReason.EXPIRED)
        .annotate(pending_kind=Subquery(pending.values("kind")[:1]))
        .filter(pending_kind__isnull=False)
        .only("pk", "case_number", "exit_date")
    )
    return [
        _item(
            case,
            ExceptionCode.RELEASED_WHILE_PROPOSAL_PENDING,
            case.exit_date,
            _("Released at the end of the period on %(date)s while a %(kind)s was pending.")
            % {"date": case.exit_date.isoformat(), "kind": ReferralKind(case.pending_kind).label},
        )
        for case in rows
    ]


EXCEPTION_CODES: tuple[str, ...] = (
    ExceptionCode.LOST_CONTACT_WITHOUT_WARNING,
    ExceptionCode.LEAVE_BEYOND_TIER,
    ExceptionCode.PROPOSAL_WITHOUT_DECISION,
    ExceptionCode.RELEASED_WHILE_PROPOSAL_PENDING,
)


def oversight_exception_list(
    *, user: User, code: str | None = None, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The exceptions among the caller's cases, oldest first (the longest-standing first), one query per
    code. `code` keeps one code only."""
    today = today or office_today()
    cases = supervisees_visible_to(user)
    selectors: dict[str, Callable[[], list[dict[str, Any]]]] = {
        ExceptionCode.LOST_CONTACT_WITHOUT_WARNING: lambda: lost_contact_without_warning(cases=cases),
        ExceptionCode.LEAVE_BEYOND_TIER: lambda: leave_beyond_tier(cases=cases),
        ExceptionCode.PROPOSAL_WITHOUT_DECISION: lambda: proposal_without_decision(cases=cases, today=today),
        ExceptionCode.RELEASED_WHILE_PROPOSAL_PENDING: lambda: released_while_proposal_pending(cases=cases),
    }
    items: list[dict[str, Any]] = []
    for name in EXCEPTION_CODES:
        if code in (None, "", name):
            items.extend(selectors[name]())
    items.sort(key=lambda item: (item["since"] or dt.date.min, item["code"], item["supervisee"]))
    return items
