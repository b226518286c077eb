"""The alert sweep: every alert rule, as of a day, set-based, raising nothing twice.

A rule is a function `(as_of) -> iterable of (supervisee_id, due_date)`: one query over the population
(no Python loop over supervisees). The sweep inserts with `bulk_create(ignore_conflicts=True)` against
the unique (supervisee, kind, due_date) constraint, so a second run, or two runs at once, raise nothing
new; it counts exactly what its own run inserted by tagging rows with the run's id. Higher apps add
rules with `register_alert_rule` (coordination adds `referral_overdue`).

"As of day D" means the world as it stood at the end of day D-1 in the office's time zone: a report
made on D itself, even before the sweep runs, does not hide a due date missed on D-1.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from config.office_time import local_day, office_today, start_of_day
from corrections.constants import Status
from corrections.intake import intake_deadline_expression
from corrections.models import Supervisee

from .constants import POSITIONING_ENDING_DAYS, AlertKind, LeaveStatus, PositioningStatus
from .duties import report_kinds, with_next_report_due
from .medical import medical_reports_missing, reexaminations_overdue
from .models import Alert, CheckIn, LeaveRequest, PositioningOrder, SweepRun

logger = logging.getLogger(__name__)
AlertRule = Callable[[dt.date], Iterable[tuple[int, dt.date]]]
_rules: dict[str, AlertRule] = {}
BATCH = 5000
# term_ending: 30 days before the end of the period.
TERM_ENDING_DAYS = 30


def register_alert_rule(kind: str, rule: AlertRule) -> None:
    _rules[kind] = rule


def missed_reports(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """Under supervision, and the next report that counts (supervision.duties, under the rules in force
    on the day before `as_of`, counting the reports made before `as_of` began) was due before `as_of`."""
    cases = with_next_report_due(
        Supervisee.objects.filter(status=Status.UNDER_SUPERVISION),
        on=as_of - dt.timedelta(days=1),
        reported_before=start_of_day(as_of),
    ).filter(next_report_due__lt=as_of)
    return cases.order_by().values_list("pk", "next_report_due").iterator(BATCH)


def intakes_overdue(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """CCL 21: still not reported when the intake deadline (corrections.intake) has passed."""
    cases = (
        Supervisee.objects.filter(status=Status.PENDING_REPORT)
        .annotate(deadline=intake_deadline_expression())
        .filter(deadline__lt=as_of)
    )
    return cases.order_by().values_list("pk", "deadline").iterator(BATCH)


def leave_overdue(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """Approved leave whose last day has passed with no return recorded."""
    leave = LeaveRequest.objects.filter(
        status=LeaveStatus.APPROVED, end_date__lt=as_of, supervisee__status=Status.UNDER_SUPERVISION
    )
    return leave.values_list("supervisee_id", "end_date").iterator(BATCH)


def terms_ending(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """The period ends within 30 days: prepare the release (or note why not)."""
    cases = Supervisee.objects.filter(
        status__in=[Status.UNDER_SUPERVISION, Status.ABSCONDED, Status.IN_CUSTODY],
        sentence__end_date__gte=as_of,
        sentence__end_date__lte=as_of + dt.timedelta(days=TERM_ENDING_DAYS),
    )
    return cases.values_list("pk", "sentence__end_date").iterator(BATCH)


def positioning_ending(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """An approved electronic positioning order ends within 7 days and no approved extension follows it:
    assess whether it is still needed, and propose its extension or let it end (CCL 29 para. 2). Due on
    the order's last day."""
    extended = PositioningOrder.objects.filter(extends=OuterRef("pk"), status=PositioningStatus.APPROVED)
    orders = PositioningOrder.objects.filter(
        status=PositioningStatus.APPROVED,
        end_date__gte=as_of,
        end_date__lte=as_of + dt.timedelta(days=POSITIONING_ENDING_DAYS),
        supervisee__status__in=[Status.UNDER_SUPERVISION, Status.ABSCONDED, Status.IN_CUSTODY],
    ).exclude(Exists(extended))
    return orders.values_list("supervisee_id", "end_date").iterator(BATCH)


register_alert_rule(AlertKind.MISSED_REPORT, missed_reports)
register_alert_rule(AlertKind.INTAKE_OVERDUE, intakes_overdue)
register_alert_rule(AlertKind.LEAVE_OVERDUE, leave_overdue)
register_alert_rule(AlertKind.TERM_ENDING, terms_ending)
register_alert_rule(AlertKind.POSITIONING_ENDING, positioning_ending)
# Temporary execution (CPL 265): the monthly health report and the re-examination (supervision.medical).
register_alert_rule(AlertKind.MEDICAL_REPORT_MISSING, medical_reports_missing)
register_alert_rule(AlertKind.REEXAMINATION_OVERDUE, reexaminations_overdue)


def _insert(kind: str, rows: Iterable[tuple[int, dt.date]], run: uuid.UUID) -> None:
    batch: list[Alert] = []
    for supervisee_id, due_date in rows:
        batch.append(Alert(supervisee_id=supervisee_id, kind=kind, due_date=due_date, sweep_run=run))
        if len(batch) >= BATCH:
            Alert.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Alert.objects.bulk_create(batch, ignore_conflicts=True)


def mark_made_up_reports(*, supervisee_ids: Iterable[int] | None = None) -> int:
    """Note on open missed_report alerts that the person has reported since the due date. Set-based;
    the check-in's follow-up task runs it for one case, the sweep for all (catching up on a broker
    that was down)."""
    alerts = Alert.objects.filter(kind=AlertKind.MISSED_REPORT, made_up_at__isnull=True).exclude(
        status="resolved"
    )
    if supervisee_ids is not None:
        alerts = alerts.filter(supervisee_id__in=list(supervisee_ids))
    # Any report-qualifying kind made on a later local day than the due date makes it up.
    later_reports = (
        CheckIn.objects.filter(supervisee=OuterRef("supervisee_id"), kind__in=report_kinds(on=office_today()))
        .annotate(day=local_day("occurred_at"))
        .filter(day__gt=OuterRef("due_date"))
        .order_by("occurred_at")
    )
    updated = alerts.filter(Exists(later_reports)).update(
        made_up_at=Subquery(later_reports.values("occurred_at")[:1])
    )
    return updated


def sweep_run(*, as_of: dt.date) -> dict[str, int]:
    """Run every registered rule as of `as_of`; return how many alerts each raised in this run."""
    run = SweepRun.objects.create(id=uuid.uuid4(), as_of=as_of, started_at=timezone.now())
    raised: dict[str, int] = {}
    for kind, rule in _rules.items():
        _insert(kind, rule(as_of), run.id)
        raised[kind] = Alert.objects.filter(sweep_run=run.id, kind=kind).count()
        logger.debug("sweep %s as of %s: %s raised %d", run.id, as_of, kind, raised[kind])
    mark_made_up_reports()
    SweepRun.objects.filter(pk=run.id).update(finished_at=timezone.now(), raised=raised)
    return raised
