"""Supervision's part of `seed_demo`: months of check-ins, leave and measures for the demo cases.

Registered into corrections' demo registry (corrections.demo.register_demo_step). Idempotent: it works
only on demo cases that have no check-in yet, with a generator per case, so a second run writes nothing
and a larger population adds history only for the new cases. Some cases stop reporting (so the sweep
raises missed_report alerts), a few are not back from leave (leave_overdue), and some have admonitions
and warnings (two warnings make the case show a revocation suggestion).
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from config.office_time import at_office_time
from corrections.constants import Category, Status
from corrections.demo import DemoContext, register_demo_step
from corrections.models import Prohibition, Supervisee
from corrections.periods import add_months

from .constants import (
    ApprovalLevel,
    CheckInKind,
    Duty,
    LeaveStatus,
    MeasureStatus,
    MedicalConclusion,
    MedicalReportKind,
    PermitStatus,
    PositioningGround,
    PositioningStatus,
)
from .duties import report_rules
from .medical import needs_reexamination, reexamination_due
from .models import (
    CheckIn,
    LeavePermit,
    LeaveRequest,
    Measure,
    MedicalReport,
    PositioningOrder,
    ProhibitionViolation,
)
from .positioning import latest_end
from .services.positioning import positioning_decision_write

# "Months of check-ins" (docs/api.md#demo-data), without a benchmark population's millions more.
HISTORY_DAYS = 180
BATCH_SIZE = 5000
# (place, its county-level division code, GB/T 2260): CCL 27 leave goes outside the county of residence.
DESTINATIONS = [
    ("济南市历下区", "370102"),
    ("临沂市兰山区", "371302"),
    ("徐州市云龙区", "320303"),
    ("枣庄市市中区", "370402"),
    ("滕州市", "370481"),
    ("青岛市黄岛区", "370211"),
]
# (what the person says, the office's proper reason it falls under: supervision.models.LeaveReason)
LEAVE_REASONS = [
    ("探望住院的母亲", "family"),
    ("参加亲属婚礼", "family"),
    ("外出务工面试", "work"),
    ("子女入学办理手续", "family"),
    ("就医复查", "medical"),
]
BREACHES = [
    ("admonition", "未按规定时间报到，迟到 3 天", "报到登记表、电话记录"),
    ("admonition", "未经批准离开所居住的县（市）1 日", "村委会证明、本人陈述"),
    ("warning", "经训诫后仍未按规定报到", "训诫决定书、报到登记表"),
    ("warning", "违反禁止令进入酒吧", "公安机关出具的情况说明"),
]


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    """Office hours, in the office's time zone."""
    minutes = rng.randint(8 * 60 + 30, 17 * 60)
    return at_office_time(day, dt.time(minutes // 60, minutes % 60))


def _checkins(
    rng: random.Random,
    case: Supervisee,
    *,
    start: dt.date,
    stop: dt.date,
    every: int,
    kinds: list[str],
    officer_id: int,
    strict: bool,
) -> list[CheckIn]:
    rows = []
    day = start + dt.timedelta(days=rng.randint(1, max(1, every - 1)))
    while day <= stop:
        kind = kinds[0] if rng.random() < 0.8 else rng.choice(kinds)
        rows.append(
            CheckIn(
                supervisee=case,
                kind=kind,
                occurred_at=_moment(rng, day),
                recorded_by_id=officer_id,
                notes="按时报到，居住地和工作无变化。",
            )
        )
        if strict and rng.random() < 0.5:
            rows.append(
                CheckIn(
                    supervisee=case,
                    kind=rng.choice([CheckInKind.EDUCATION, CheckInKind.COMMUNITY_SERVICE]),
                    occurred_at=_moment(rng, day),
                    recorded_by_id=officer_id,
                    hours=Decimal(rng.choice([2, 3, 4])),
                )
            )
        if rng.random() < 0.15:
            rows.append(
                CheckIn(
                    supervisee=case,
                    kind=CheckInKind.HOME_VISIT,
                    occurred_at=_moment(rng, day),
                    recorded_by_id=officer_id,
                    notes="实地查访：家属在家，生活正常。",
                )
            )
        day += dt.timedelta(days=rng.randint(max(1, every - 3), every))
    return rows


def seed_supervision(context: DemoContext) -> str:
    today = context.today
    rules = report_rules(on=today)
    cases = (
        context.supervisees.filter(
            status__in=[Status.UNDER_SUPERVISION, Status.ABSCONDED], intake_date__isnull=False
        )
        .exclude(Exists(CheckIn.objects.filter(supervisee=OuterRef("pk"))))
        .select_related("justice_office__district", "sentence")
        .order_by("pk")
    )
    checkins: list[CheckIn] = []
    leave: list[LeaveRequest] = []
    permits: list[LeavePermit] = []
    measures: list[Measure] = []
    fallback_officer = context.users["officer"].pk
    for case in cases.iterator(chunk_size=2000):
        rng = context.rng_for("supervision", case.case_number)
        rule = rules.get(case.justice_office.district_id, case.management_level, Duty.REPORT)
        if rule is None or not rule.every_days:
            continue
        officer_id = case.officer_id or fallback_officer
        start = max(case.intake_date, today - dt.timedelta(days=HISTORY_DAYS))
        stop = today - dt.timedelta(days=1)
        lapsed = case.status == Status.ABSCONDED or rng.random() < 0.12
        if lapsed:  # stopped reporting some weeks ago: the sweep will find the missed due date
            stop = today - dt.timedelta(days=rng.randint(rule.every_days + 2, rule.every_days + 40))
        rows = _checkins(
            rng,
            case,
            start=start,
            stop=stop,
            every=rule.every_days,
            kinds=rule.qualifying_kinds,
            officer_id=officer_id,
            strict=case.management_level == "strict",
        )
        checkins.extend(rows)
        if not rows or case.status != Status.UNDER_SUPERVISION:
            continue
        draw = rng.random()
        if draw < 0.08:
            length = rng.randint(2, 6)  # up to 7 days: approved at the justice office
            if draw < 0.015:  # approved, ended two days ago, not back: leave_overdue
                first, status, returned = today - dt.timedelta(days=length + 2), LeaveStatus.APPROVED, None
            elif draw < 0.035:  # waiting for approval
                first, status, returned = (
                    today + dt.timedelta(days=rng.randint(2, 10)),
                    LeaveStatus.PENDING,
                    None,
                )
            else:  # gone and back
                first = today - dt.timedelta(days=rng.randint(20, 90))
                status, returned = LeaveStatus.RETURNED, first + dt.timedelta(days=length - 1)
            fits = not (
                first < case.intake_date
                or (case.sentence.end_date and first + dt.timedelta(days=length) > case.sentence.end_date)
            )
            places = [d for d in DESTINATIONS if d[1] != case.justice_office.district.code]
            destination, destination_code = rng.choice(places)
            reason, reason_code = rng.choice(LEAVE_REASONS)
            if fits:
                leave.append(
                    LeaveRequest(
                        supervisee=case,
                        destination=destination,
                        destination_code=destination_code,
                        reason_code=reason_code,
                        reason=reason,
                        start_date=first,
                        end_date=first + dt.timedelta(days=length - 1),
                        status=status,
                        approval_level=ApprovalLevel.JUSTICE_OFFICE,
                        requested_by_id=officer_id,
                        decided_by_id=None if status == LeaveStatus.PENDING else officer_id,
                        returned_on=returned,
                    )
                )
        # A few work across cities every week: a standing permit (CCL 27 para. 1), approved by the
        # bureau's supervisor, for the coming three months.
        if rng.random() < 0.02 and (
            case.sentence.end_date is None or case.sentence.end_date >= today + dt.timedelta(days=90)
        ):
            places = [d[1] for d in DESTINATIONS if d[1] != case.justice_office.district.code][:2]
            permits.append(
                LeavePermit(
                    supervisee=case,
                    reason_code="work",
                    details="每周往返送货、联系客户",
                    places=places,
                    start_date=today,
                    end_date=today + dt.timedelta(days=89),
                    status=PermitStatus.APPROVED,
                    proposed_by_id=officer_id,
                    decided_by_id=context.users["supervisor"].pk,
                    decided_at=timezone.now(),
                )
            )
        draw = rng.random()
        if draw < 0.12:
            count = 2 if draw < 0.02 else 1
            for n in range(count):
                kind, reason, evidence = BREACHES[2 + n] if draw < 0.02 else rng.choice(BREACHES[:2])
                occurred = today - dt.timedelta(days=rng.randint(10 + 40 * n, 40 + 40 * n))
                if occurred <= case.intake_date:
                    continue
                proposed = draw > 0.1  # a few wait for the supervisor
                measures.append(
                    Measure(
                        supervisee=case,
                        kind=kind,
                        reason=reason,
                        evidence=evidence,
                        occurred_on=occurred,
                        status=MeasureStatus.PROPOSED if proposed else MeasureStatus.APPROVED,
                        proposed_by_id=officer_id,
                        decided_by_id=None if proposed else context.users["supervisor"].pk,
                        decided_on=None if proposed else occurred + dt.timedelta(days=3),
                    )
                )
    CheckIn.objects.bulk_create(checkins, batch_size=BATCH_SIZE)
    LeaveRequest.objects.bulk_create(leave, batch_size=BATCH_SIZE)
    LeavePermit.objects.bulk_create(permits, batch_size=BATCH_SIZE)
    Measure.objects.bulk_create(measures, batch_size=BATCH_SIZE)
    # The caseload's "days since last contact", in one statement.
    latest = (
        CheckIn.objects.filter(supervisee=OuterRef("pk")).values("supervisee").annotate(at=Max("occurred_at"))
    )
    context.supervisees.filter(last_contact_at__isnull=True).filter(
        Exists(CheckIn.objects.filter(supervisee=OuterRef("pk")))
    ).update(last_contact_at=Subquery(latest.values("at")))
    context.created.update(checkins=len(checkins), leave_requests=len(leave), measures=len(measures))
    return _("%(checkins)d check-ins, %(leave)d leave requests, %(measures)d measures") % {
        "checkins": len(checkins),
        "leave": len(leave),
        "measures": len(measures),
    }


register_demo_step("supervision", seed_supervision)


# Electronic positioning (CCL 29): one order in force ending within POSITIONING_ENDING_DAYS (the sweep
# raises positioning_ending for it), resting on a violation of a prohibition order recorded against the
# order, with the location checks it yielded and its decision document; one proposed, awaiting a
# supervisor. In the first demo office, so the demo officer and supervisor find them.
ENDING_IN_DAYS = 5
ORDER_DAYS = 80


def _positioning_candidates(context: DemoContext, *, first_day):
    """The first office's cases under supervision since before `first_day`, whose period runs past the
    orders, and which have a prohibition order binding then (for ground 1)."""
    office = context.users["officer"].agency_id
    return (
        context.supervisees.filter(
            justice_office_id=office,
            status=Status.UNDER_SUPERVISION,
            intake_date__lt=first_day,
            sentence__start_date__lt=first_day,
            sentence__end_date__gt=context.today + dt.timedelta(days=120),
            is_minor=False,
        )
        .select_related("sentence")
        .order_by("pk")
    )


def seed_positioning(context: DemoContext) -> str:
    if PositioningOrder.objects.filter(supervisee__in=context.supervisees).exists():
        return _("electronic positioning already seeded")
    today = context.today
    officer, supervisor = context.users["officer"], context.users["supervisor"]
    start = today - dt.timedelta(days=ORDER_DAYS)
    # 85 days in all: within the three months of CCL 29 para. 2 (at least 89 days from any first day).
    end = today + dt.timedelta(days=ENDING_IN_DAYS)
    candidates = list(_positioning_candidates(context, first_day=start - dt.timedelta(days=10))[:50])
    prohibition = next(
        (
            p
            for case in candidates
            for p in Prohibition.objects.filter(sentence=case.sentence)
            if p.binds_on(start - dt.timedelta(days=10))
        ),
        None,
    )
    if prohibition is None or len(candidates) < 2:
        return _("no case fits the electronic positioning demo")
    in_force_case = prohibition.sentence.supervisee
    violation = ProhibitionViolation.objects.create(
        supervisee=in_force_case,
        prohibition=prohibition,
        occurred_on=start - dt.timedelta(days=10),
        description="晚间在禁止进入的场所逗留，经民警劝离",
        recorded_by=officer,
    )
    order = PositioningOrder.objects.create(
        supervisee=in_force_case,
        ground=PositioningGround.PROHIBITION_VIOLATED,
        violation=violation,
        reason="违反禁止令，经评估有再次违反的风险，需加强监督管理",
        start_date=start,
        end_date=end,
        status=PositioningStatus.APPROVED,
        proposed_by=officer,
        decided_by=supervisor,
        decided_on=start,
    )
    positioning_decision_write(order=order, by=supervisor)
    rng = context.rng_for("positioning", in_force_case.case_number)
    checks = [
        CheckIn(
            supervisee=in_force_case,
            kind=CheckInKind.LOCATION_CHECK,
            occurred_at=_moment(rng, start + dt.timedelta(days=day)),
            recorded_by=officer,
            notes="电子定位核查：在居住地范围内。",
            latitude=Decimal("34.79") + Decimal(rng.randint(0, 9999)) / 1000000,
            longitude=Decimal("117.25") + Decimal(rng.randint(0, 9999)) / 1000000,
            positioning_order=order,
        )
        for day in range(0, ORDER_DAYS, 7)
    ]
    CheckIn.objects.bulk_create(checks)
    latest = CheckIn.objects.filter(supervisee=in_force_case).aggregate(at=Max("occurred_at"))["at"]
    Supervisee.objects.filter(pk=in_force_case.pk).update(last_contact_at=latest)
    proposed_case = next(case for case in candidates if case.pk != in_force_case.pk)
    PositioningOrder.objects.create(
        supervisee=proposed_case,
        ground=PositioningGround.LEFT_WITHOUT_APPROVAL,
        reason="未经批准前往外省务工五日，返回后经评估有必要加强监督管理",
        start_date=today + dt.timedelta(days=1),
        end_date=latest_end(today + dt.timedelta(days=1)),
        status=PositioningStatus.PROPOSED,
        proposed_by=officer,
    )
    context.created.update(positioning_orders=2, prohibition_violations=1, location_checks=len(checks))
    return _(
        "2 electronic positioning orders (one in force, one proposed), 1 violation of a prohibition order, "
        "%(checks)d location checks"
    ) % {"checks": len(checks)}


register_demo_step("positioning", seed_positioning)


# Temporary execution (CPL 265): health reports for the demo's temporary-execution cases under
# supervision (the first three). The first has every monthly report since the month after intake and, for
# serious illness, a re-examination every three months; the second misses last month's report (the sweep
# raises medical_report_missing); the last's latest re-examination concludes that the ground has ended
# (the case page suggests recommitment). No hospital document is attached (the demo writes no files).
HOSPITAL = "枣庄市立医院"


def _month_days(first: dt.date, last: dt.date, rng: random.Random) -> list[dt.date]:
    """A day early in each month from the month after `first` through the month before `last`'s."""
    days, month = [], add_months(first.replace(day=1), months=1)
    while month < last.replace(day=1):
        days.append(month + dt.timedelta(days=rng.randint(0, 9)))
        month = add_months(month, months=1)
    return days


def seed_medical_reports(context: DemoContext) -> str:
    cases = list(
        context.supervisees.filter(
            status=Status.UNDER_SUPERVISION,
            sentence__category=Category.TEMPORARY_EXECUTION,
            intake_date__lt=context.today - dt.timedelta(days=100),
        )
        .select_related("sentence")
        .order_by("pk")[:3]
    )
    if MedicalReport.objects.filter(supervisee__in=context.supervisees).exists():
        return _("health reports already seeded")
    officer = context.users["officer"]
    reports = []
    for n, case in enumerate(cases):
        rng = context.rng_for("medical", case.case_number)
        recorder = case.officer or officer
        months = _month_days(case.intake_date, context.today, rng)
        if n == 1 and months:
            months = months[:-1]  # last month's report is missing
        reports += [
            MedicalReport(
                supervisee=case,
                kind=MedicalReportKind.MONTHLY_REPORT,
                date=day,
                conclusion=MedicalConclusion.GROUND_PERSISTS,
                notes="本人报告身体情况，病情稳定，按医嘱服药。",
                recorded_by=recorder,
            )
            for day in months
        ]
        if needs_reexamination(case):
            due = reexamination_due(case.intake_date)
            while due < context.today:
                made = due - dt.timedelta(days=rng.randint(1, 7))
                reports.append(
                    MedicalReport(
                        supervisee=case,
                        kind=MedicalReportKind.REEXAMINATION,
                        date=made,
                        hospital=HOSPITAL,
                        conclusion=MedicalConclusion.GROUND_PERSISTS,
                        notes="省级人民政府指定医院复查：仍符合保外就医条件。",
                        recorded_by=recorder,
                    )
                )
                due = reexamination_due(made)
        if n == len(cases) - 1 and n > 0:
            reports.append(
                MedicalReport(
                    supervisee=case,
                    kind=MedicalReportKind.REEXAMINATION,
                    date=context.today - dt.timedelta(days=1),
                    hospital=HOSPITAL,
                    conclusion=MedicalConclusion.GROUND_ENDED,
                    notes="复查结论：病情已明显好转，暂予监外执行的情形已消失。",
                    recorded_by=recorder,
                )
            )
    MedicalReport.objects.bulk_create(reports)
    context.created.update(medical_reports=len(reports))
    return _("%(reports)d health reports for %(cases)d temporary-execution cases") % {
        "reports": len(reports),
        "cases": len(cases),
    }


register_demo_step("medical_reports", seed_medical_reports)
