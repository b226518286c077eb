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
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from corrections.constants import Category, Status
from corrections.models import Supervisee
from corrections.periods import intake_deadline

from .constants import AlertKind, Duty, LeaveStatus
from .models import Alert, CheckIn, LeaveRequest, SweepRun
from .rules import reporting_rules_in_force

logger = logging.getLogger(__name__)
AlertRule = Callable[[dt.date], Iterable[tuple[int, dt.date]]]
_rules: dict[str, AlertRule] = {}
BATCH = 5000
# CCL 21: 10 days to report; PRODUCT.md: term_ending 30 days before the end of the period.
TERM_ENDING_DAYS = 30


def register_alert_rule(kind: str, rule: AlertRule) -> None:
    _rules[kind] = rule


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`, as an aware datetime (compares with stored UTC)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.OFFICE_TIME_ZONE))


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.OFFICE_TIME_ZONE)).date()


def missed_reports(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """Under supervision, and no qualifying report within the level's interval after the last one (or
    after intake): the due date is the last report's day + interval, and it is before `as_of`."""
    cutoff = start_of_day(as_of)
    rules = reporting_rules_in_force(on=as_of - dt.timedelta(days=1), duty=Duty.REPORT)
    districts_with_own = {(d, level) for d, level in rules if d is not None}
    for (district_id, level), rule in rules.items():
        if not rule.every_days:
            continue
        last_report = (
            CheckIn.objects.filter(
                supervisee=OuterRef("pk"), kind__in=rule.qualifying_kinds, occurred_at__lt=cutoff
            )
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
        latest_allowed_day = as_of - dt.timedelta(days=rule.every_days + 1)
        cases = Supervisee.objects.filter(
            status=Status.UNDER_SUPERVISION, management_level=level, intake_date__isnull=False
        )
        if district_id is None:
            for own_district, own_level in districts_with_own:
                if own_level == level:
                    cases = cases.exclude(justice_office__district_id=own_district)
        else:
            cases = cases.filter(justice_office__district_id=district_id)
        cases = cases.annotate(last_report_at=Subquery(last_report)).filter(
            Q(last_report_at__lt=start_of_day(latest_allowed_day + dt.timedelta(days=1)))
            | Q(last_report_at__isnull=True, intake_date__lte=latest_allowed_day)
        )
        for pk, last_at, intake in cases.values_list("pk", "last_report_at", "intake_date").iterator(BATCH):
            last_day = max(local_date(last_at), intake) if last_at else intake
            yield pk, last_day + dt.timedelta(days=rule.every_days)


def intakes_overdue(as_of: dt.date) -> Iterable[tuple[int, dt.date]]:
    """CCL 21: still not reported 10 days after the judgment took effect (or the release)."""
    latest = as_of - dt.timedelta(days=11)  # deadline = base + 10 < as_of
    cases = Supervisee.objects.filter(status=Status.PENDING_REPORT).filter(
        Q(sentence__category__in=[Category.PROBATION, Category.CONTROL], sentence__effective_date__lte=latest)
        | Q(sentence__category=Category.PAROLE, sentence__release_date__lte=latest)
        | Q(sentence__category=Category.TEMPORARY_EXECUTION, sentence__release_date__lte=latest)
        | Q(
            sentence__category=Category.TEMPORARY_EXECUTION,
            sentence__release_date__isnull=True,
            sentence__effective_date__lte=latest,
        )
    )
    rows = cases.values_list("pk", "sentence__category", "sentence__effective_date", "sentence__release_date")
    for pk, category, effective, release in rows.iterator(BATCH):
        yield pk, intake_deadline(category=category, effective_date=effective, release_date=release)


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


register_alert_rule(AlertKind.MISSED_REPORT, missed_reports)
register_alert_rule(AlertKind.INTAKE_OVERDUE, intakes_overdue)
register_alert_rule(AlertKind.LEAVE_OVERDUE, leave_overdue)
register_alert_rule(AlertKind.TERM_ENDING, terms_ending)


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
    report_kinds = sorted(
        {
            kind
            for rule in reporting_rules_in_force(on=timezone.localdate()).values()
            for kind in rule.qualifying_kinds
        }
    )
    later_reports = (
        CheckIn.objects.filter(supervisee=OuterRef("supervisee_id"), kind__in=report_kinds)
        .annotate(day=TruncDate("occurred_at", tzinfo=ZoneInfo(settings.OFFICE_TIME_ZONE)))
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
