"""The alert sweep: every alert rule, as of a day, set-based, per district, raising nothing twice.

A rule is a function `(as_of) -> AlertRows` (or a list of them): a queryset, the path from its model to
the supervisee, and the due date as an expression. The sweep never loads the rows: for each rule and
district it sends one `INSERT INTO alert (...) SELECT ... ON CONFLICT DO NOTHING` built from the
queryset's compiled SQL, against the unique (supervisee, kind, due_date) constraint, so a second run, or
two runs at once, raise nothing new; the statement's row count is exactly what this run inserted (each
row is also tagged with the run's id). No default ordering reaches these queries (`order_by()`): on
PostgreSQL an ORDER BY name made the planner walk the name index (issue 14). Higher apps add rules with
`register_alert_rule` (coordination adds `referral_overdue`, community `hours_short`).

The sweep runs per district (`sweep_district`): one SweepRun per district and run, so that Celery can
share the districts among workers (supervision.tasks); `sweep_run` runs every district here, in turn.
A (district, day) has as many runs as attempts, not one row with a count of them: a crashed attempt stays
visible as a run that started and never finished, beside the retry that finished, and two attempts at
once (two beats) each keep the count of what they themselves inserted, adding up to what was raised.
The day's state of a district is read across its runs (`supervision.tasks._days_to_sweep`: a day is done
once one of its runs finished).

"As of day D" means the world as it stood at the end of day D-1 in the office's time zone: a report
made on D itself, even before the sweep runs, does not hide a due date missed on D-1.
"""

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import Agency, District
from config.office_time import local_day, office_today, start_of_day, utc_midnight
from corrections.constants import Status
from corrections.intake import intake_deadline_expression
from corrections.models import Supervisee, Transfer
from corrections.transfers import overdue_condition as transfer_overdue_condition

from .alert_rows import AlertRows, alert_rows, on_day  # noqa: F401 (the rules' API, re-exported)
from .constants import POSITIONING_ENDING_DAYS, AlertKind, AlertStatus, LeaveStatus, PositioningStatus
from .duties import report_kinds, with_next_report_due
from .medical import medical_reports_missing, reexaminations_overdue
from .models import Alert, CheckIn, LeaveRequest, PositioningOrder, SweepRun

logger = logging.getLogger(__name__)
BATCH = 5000
# term_ending: 30 days before the end of the period.
TERM_ENDING_DAYS = 30


AlertRule = Callable[[dt.date], "AlertRows | list[AlertRows] | Iterable[tuple[int, dt.date]]"]
_rules: dict[str, AlertRule] = {}


def register_alert_rule(kind: str, rule: AlertRule) -> None:
    _rules[kind] = rule


def missed_reports(as_of: dt.date) -> AlertRows:
    """Under supervision, and the next report that counts (supervision.duties, under the rules in force
    on the day before `as_of`, counting the reports made before `as_of` began) was due before `as_of`."""
    cases = with_next_report_due(
        Supervisee.objects.filter(status=Status.UNDER_SUPERVISION),
        on=as_of - dt.timedelta(days=1),
        reported_before=start_of_day(as_of),
    )
    # "due before as_of" applied by the sweep outside the query: the duty's subqueries run once a case.
    return alert_rows(cases, due="next_report_due", due_before=as_of)


def intakes_overdue(as_of: dt.date) -> AlertRows:
    """CCL 21: still not reported when the intake deadline (corrections.intake) has passed."""
    cases = (
        Supervisee.objects.filter(status=Status.PENDING_REPORT)
        .annotate(deadline=intake_deadline_expression())
        .filter(deadline__lt=as_of)
    )
    return alert_rows(cases, due="deadline")


def leave_overdue(as_of: dt.date) -> AlertRows:
    """Approved leave whose last day has passed with no return recorded."""
    leave = LeaveRequest.objects.filter(
        status=LeaveStatus.APPROVED, end_date__lt=as_of, supervisee__status=Status.UNDER_SUPERVISION
    )
    return alert_rows(leave, due="end_date", supervisee="supervisee")


def terms_ending(as_of: dt.date) -> AlertRows:
    """The period ends within 30 days: prepare the release (or note why not)."""
    # A join on the sentences ending in the window: their (end_date) index holds the supervisee, so each
    # district's statement reads the window's entries without visiting a sentence, and PostgreSQL may
    # hash them against the district's cases (the office/status index holds what is read of a case) or
    # probe each case's sentence, whichever is cheaper (issue 14: the probe once a case, the only plan of
    # the earlier subquery, read 67,000 pages for a district of 24,000).
    cases = Supervisee.objects.filter(
        status__in=[Status.UNDER_SUPERVISION, Status.ABSCONDED, Status.IN_CUSTODY],
        sentence__end_date__gte=as_of,
        sentence__end_date__lte=as_of + dt.timedelta(days=TERM_ENDING_DAYS),
    )
    return alert_rows(cases, due="sentence__end_date")


def positioning_ending(as_of: dt.date) -> AlertRows:
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
    return alert_rows(orders, due="end_date", supervisee="supervisee")


def transfers_overdue(as_of: dt.date) -> AlertRows:
    """A transfer of the place of execution (CCL 27 para. 2) that the receiving district had not answered
    by the end of its due day (corrections.transfers `overdue_condition` on `as_of`: the end of the day
    before, so a due day before `as_of` has passed), due on that day. Raised on the case, so the sending
    office, which still holds it, and the receiving bureau, which reads it while it decides, both see it."""
    transfers = Transfer.objects.filter(transfer_overdue_condition(as_of))
    return alert_rows(transfers, due="reply_due", supervisee="supervisee")


register_alert_rule(AlertKind.MISSED_REPORT, missed_reports)
register_alert_rule(AlertKind.INTAKE_OVERDUE, intakes_overdue)
register_alert_rule(AlertKind.LEAVE_OVERDUE, leave_overdue)
register_alert_rule(AlertKind.TERM_ENDING, terms_ending)
register_alert_rule(AlertKind.POSITIONING_ENDING, positioning_ending)
# Temporary execution (CPL 265): the monthly health report and the re-examination (supervision.medical).
register_alert_rule(AlertKind.MEDICAL_REPORT_MISSING, medical_reports_missing)
register_alert_rule(AlertKind.REEXAMINATION_OVERDUE, reexaminations_overdue)
register_alert_rule(AlertKind.TRANSFER_OVERDUE, transfers_overdue)


def _insert_select(
    kind: str,
    rows: QuerySet,
    run: uuid.UUID,
    *,
    due_before: dt.date | None = None,
    due_from: dt.date | None = None,
) -> int:
    """One `INSERT ... SELECT ... ON CONFLICT DO NOTHING` of `rows` (supervisee id, due date) as alerts of
    `kind` (only those due before `due_before` and from `due_from`, if given); returns how many it
    inserted (the row count counts only rows inserted, on both databases)."""
    try:
        select_sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    except EmptyResultSet:  # a condition that matches nothing (`pk__in=[]`): nothing to insert
        return 0
    connection = connections[rows.db]
    quote = connection.ops.quote_name
    postgresql = connection.vendor == "postgresql"
    where, where_params = "TRUE", ()
    bounds = [(op, day) for op, day in (("<", due_before), (">=", due_from)) if day is not None]
    if bounds:
        # The due date compared where it has been computed, once a row: OFFSET 0 keeps the rule's query a
        # subquery of its own (PostgreSQL would otherwise pull it up and write the expression out again in
        # the WHERE); SQLite's grammar wants a LIMIT before an OFFSET.
        select_sql += " OFFSET 0" if postgresql else " LIMIT -1 OFFSET 0"
        due_field = Alert._meta.get_field("due_date")
        where = " AND ".join(f"alert_rows.alert_due {op} %s" for op, _day in bounds)
        where_params = tuple(due_field.get_db_prep_value(day, connection) for _op, day in bounds)
    columns = ", ".join(
        quote(Alert._meta.get_field(name).column)
        for name in ("supervisee", "kind", "due_date", "status", "created_at", "sweep_run", "resolution_note")
    )
    # SQLite's parser needs a WHERE before ON CONFLICT in an INSERT ... SELECT (its "upsert" notes).
    sql = (
        f"INSERT INTO {quote(Alert._meta.db_table)} ({columns}) "  # noqa: S608 (meta's names; values as params)
        f"SELECT alert_rows.alert_supervisee, %s, alert_rows.alert_due, %s, %s, %s, %s "
        f"FROM ({select_sql}) AS alert_rows WHERE {where} "
        f"ON CONFLICT DO NOTHING"
    )
    # No JIT compilation (config/settings/base.py turns it off for every connection): the sweep sends one
    # statement per rule and district, and compiling each took as long as running it (issue 14).
    status = AlertStatus.OPEN.value
    created_at = Alert._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    run_id = Alert._meta.get_field("sweep_run").get_db_prep_value(run, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, (kind, status, created_at, run_id, "", *params, *where_params))
        return cursor.rowcount


def _insert_rows(kind: str, rows: Iterable[tuple[int, dt.date]], run: uuid.UUID) -> int:
    """A rule that still yields `(supervisee id, due date)` pairs (a test's): inserted in batches."""
    batch: list[Alert] = []
    for supervisee_id, due_date in rows:
        batch.append(Alert(supervisee_id=supervisee_id, kind=kind, due_date=due_date, sweep_run=run))
        if len(batch) >= BATCH:
            Alert.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        Alert.objects.bulk_create(batch, ignore_conflicts=True)
    return Alert.objects.filter(sweep_run=run, kind=kind).count()


def _raise(kind: str, rule: AlertRule, *, as_of: dt.date, offices: list[int] | None, run: uuid.UUID) -> int:
    result = rule(as_of)
    selections = [result] if isinstance(result, AlertRows) else result
    if isinstance(selections, list) and all(isinstance(s, AlertRows) for s in selections):
        return sum(
            _insert_select(
                kind, s.select(justice_offices=offices), run, due_before=s.due_before, due_from=s.due_from
            )
            for s in selections
        )
    # Pairs are not filtered by district: the unique constraint still raises each alert once.
    return _insert_rows(kind, result, run)


def mark_made_up_reports(
    *,
    supervisee_ids: Iterable[int] | None = None,
    sweep_run: uuid.UUID | None = None,
) -> int:
    """Note on open missed_report alerts that the person has reported since the due date. Set-based;
    the check-in's follow-up task runs it for one case, a district's sweep for the alerts its run raised
    (`sweep_run`), and the whole sweep once over every alert (catching up on a broker that was down).

    Not once per district over the district's alerts: without a district column, finding a district's
    alerts meant reading every open missed_report alert and its case, in each of the 50 districts'
    statements (issue 14: 8-15 s of a 40 s sweep at 700,000 people); once over every alert is one read."""
    alerts = Alert.objects.filter(kind=AlertKind.MISSED_REPORT, made_up_at__isnull=True).exclude(
        status="resolved"
    )
    if supervisee_ids is not None:
        alerts = alerts.filter(supervisee_id__in=list(supervisee_ids))
    if sweep_run is not None:
        alerts = alerts.filter(sweep_run=sweep_run)
    # Any report-qualifying kind made on a later local day than the due date makes it up. The bound on
    # occurred_at lets the (supervisee, occurred_at) index skip the reports before the due date instead
    # of reading every report of the case to compute its local day (issue 14).
    later_reports = (
        CheckIn.objects.filter(
            supervisee=OuterRef("supervisee_id"),
            kind__in=report_kinds(on=office_today()),
            occurred_at__gte=utc_midnight(OuterRef("due_date")),
        )
        .annotate(day=local_day("occurred_at"))
        .filter(day__gt=OuterRef("due_date"))
        .order_by("occurred_at")
    )
    first_later = Subquery(later_reports.values("occurred_at")[:1])
    # Filtered on the first later report itself, not on EXISTS: PostgreSQL turned the EXISTS into a join
    # through the check-ins' supervisee index, visiting every report of every case in the table.
    updated = (
        alerts.alias(first_later=first_later).filter(first_later__isnull=False).update(made_up_at=first_later)
    )
    return updated


def sweep_districts() -> list[int | None]:
    """The districts a sweep covers, one run each; [None] (one run over everything) when there is none."""
    return list(District.objects.order_by("pk").values_list("pk", flat=True)) or [None]


def sweep_district(*, as_of: dt.date, district_id: int | None) -> dict[str, int]:
    """Run every registered rule as of `as_of` over one district's cases (None: every case): one SweepRun,
    one INSERT ... SELECT per rule; return how many alerts each raised in this run. Running it again, or
    beside another run of the same district and day, raises nothing twice (the unique constraint), and
    each run counts only what it inserted."""
    run = SweepRun.objects.create(
        id=uuid.uuid4(), as_of=as_of, district_id=district_id, started_at=timezone.now()
    )
    # The district's justice offices, once (see AlertRows.select for why a list and not a join).
    offices = (
        None
        if district_id is None
        else list(Agency.objects.filter(district_id=district_id).order_by().values_list("pk", flat=True))
    )
    raised: dict[str, int] = {}
    for kind, rule in _rules.items():
        # Each rule's statement commits on its own (autocommit): a run killed half way keeps what it raised.
        raised[kind] = _raise(kind, rule, as_of=as_of, offices=offices, run=run.id)
        logger.debug("sweep %s as of %s in %s: %s raised %d", run.id, as_of, district_id, kind, raised[kind])
    # The reports made before this run's alerts existed (on the day swept, before the sweep): no check-in
    # task was there to note them. Older alerts are caught up once per sweep (sweep_run, tasks.sweep).
    mark_made_up_reports(sweep_run=run.id)
    SweepRun.objects.filter(pk=run.id).update(finished_at=timezone.now(), raised=raised)
    return raised


def sweep_run(*, as_of: dt.date) -> dict[str, int]:
    """Run every registered rule as of `as_of` for every district, in turn, here (the management command;
    Celery shares the districts among workers instead); return how many alerts each rule raised."""
    raised: dict[str, int] = dict.fromkeys(_rules, 0)
    for district_id in sweep_districts():
        for kind, count in sweep_district(as_of=as_of, district_id=district_id).items():
            raised[kind] = raised.get(kind, 0) + count
    # Then every district's older alerts at once (a check-in whose follow-up task never ran).
    mark_made_up_reports()
    return raised
