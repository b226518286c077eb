"""Generated case histories for the statistics tests, and the oracle: the same figures counted plainly in
Python over the rows, one person and one day at a time, independently of reports.statistics."""

import calendar
import datetime as dt
import random

from corrections.constants import Category, CrimeChapter, Education, Gender, ManagementLevel, Status
from corrections.models import StatusChange, Supervisee
from corrections.services import supervisee_transition
from supervision.models import Alert, Measure
from tests.conftest import FROZEN_TODAY
from tests.factories import SuperviseeFactory

# Every transition is dated before the test clock's day (the service refuses future dates): 2026-11-24.
LAST_EVENT_DAY = FROZEN_TODAY - dt.timedelta(days=1)
# The report duty's defaults (docs/rules.md#reporting-duties, the data migration's rows): every N days.
REPORT_EVERY_DAYS = {"strict": 7, "normal": 14, "lenient": 30}
EXIT_REASONS = (
    "expired",
    "pardoned",
    "probation_revoked",
    "parole_revoked",
    "recommitted",
    "deceased",
    "transferred_out",
)
MONTHS = [dt.date(2026, m, 1) for m in range(1, 12)]


def month_last(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _exit(rng, supervisee, status, day) -> tuple[str, str] | None:
    """(to status, reason) of a lawful exit from `status` on `day`, or None."""
    category = supervisee.sentence.category
    options = [("deceased", "")]
    if status != Status.IN_CUSTODY:
        options.append(("terminated", "pardoned"))  # no release in custody (contract v1.1)
    if status == Status.UNDER_SUPERVISION:
        options.append(("transferred_out", "调往外区"))
    if category == Category.PROBATION:
        options.append(("terminated", "probation_revoked"))
    if category == Category.PAROLE:
        options.append(("terminated", "parole_revoked"))
    if category == Category.TEMPORARY_EXECUTION:
        options.append(("recommitted", "收监"))
    end = supervisee.sentence.end_date
    if end is not None and end < day and status != Status.IN_CUSTODY:
        options += [("terminated", "expired")] * 3  # from the day after the period's last day
    return rng.choice(options)


def _next_day(rng, day: dt.date) -> dt.date:
    return day + dt.timedelta(days=rng.randint(3, 70))


def generate_history(*, offices, by, officer_of, seed: int, count: int) -> list[Supervisee]:
    """`count` supervisees across `offices`, each with a random lawful life: intake (or never), absconding
    and return, custody, and exits of every reason. `by` records every move."""
    rng = random.Random(seed)
    made = []
    for index in range(count):
        office = offices[index % len(offices)]
        category = rng.choice(Category.values)
        gender = rng.choice(Gender.values)
        # Ages from 16 to 71 at the end of 2026; some birthdays fall on month ends.
        born = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randint(0, 20_000))
        if index % 11 == 0:
            born = dt.date(2008 + index % 3, 10, 31)
        effective = dt.date(2025, 2, 1) + dt.timedelta(days=rng.randint(0, 430))
        supervisee = SuperviseeFactory(
            justice_office=office,
            officer=officer_of.get(office.pk),
            status=Status.PENDING_REPORT,
            gender=gender,
            born=born,
            education=rng.choice(Education.values),
            crime_chapter=rng.choice(CrimeChapter.values),
            management_level=rng.choice(ManagementLevel.values),
            sentence__category=category,
            sentence__effective=effective,
        )
        made.append(supervisee)
        day = max(effective, dt.date(2026, 1, 1)) + dt.timedelta(days=rng.randint(0, 40))
        fate = rng.random()
        if fate < 0.08 or day > LAST_EVENT_DAY:
            continue  # never reported
        if fate < 0.14:
            # Closed before intake: never under correction, counted nowhere.
            supervisee_transition(
                supervisee=supervisee, by=by, to="transferred_out", on=day, reason="未报到即迁出"
            )
            continue
        supervisee_transition(supervisee=supervisee, by=by, to="under_supervision", on=day)
        status = Status.UNDER_SUPERVISION
        for _step in range(4):
            day = _next_day(rng, day)
            if day > LAST_EVENT_DAY:
                break
            _add_measures_and_alerts(rng, supervisee, by, day)
            choice = rng.random()
            if status == Status.UNDER_SUPERVISION and choice < 0.25:
                supervisee_transition(supervisee=supervisee, by=by, to="absconded", on=day, reason="失联")
                status = Status.ABSCONDED
            elif status == Status.UNDER_SUPERVISION and choice < 0.35:
                supervisee_transition(supervisee=supervisee, by=by, to="in_custody", on=day, reason="被拘留")
                status = Status.IN_CUSTODY
            elif status != Status.UNDER_SUPERVISION and choice < 0.5:
                supervisee_transition(supervisee=supervisee, by=by, to="under_supervision", on=day)
                status = Status.UNDER_SUPERVISION
            elif choice < 0.75:
                supervisee.refresh_from_db()
                to, reason = _exit(rng, supervisee, status, day)
                supervisee_transition(supervisee=supervisee, by=by, to=to, on=day, reason=reason)
                break
    return made


def _add_measures_and_alerts(rng, supervisee, by, day) -> None:
    if rng.random() < 0.3:
        decided = day + dt.timedelta(days=rng.randint(0, 20))
        status = rng.choice(["approved", "approved", "proposed", "rejected"])
        Measure.objects.create(
            supervisee=supervisee,
            kind=rng.choice(["admonition", "warning"]),
            reason="迟到报到",
            occurred_on=day,
            status=status,
            proposed_by=by,
            decided_by=None if status == "proposed" else by,
            decided_on=None if status == "proposed" else decided,
        )
    if rng.random() < 0.5:
        Alert.objects.get_or_create(
            supervisee=supervisee,
            kind="missed_report",
            due_date=day - dt.timedelta(days=rng.randint(0, 2)),
        )


# --- the oracle --------------------------------------------------------------------------------------


def rows_of(supervisees) -> list[dict]:
    """Plain dicts of everything the oracle needs, read once."""
    rows = []
    for s in supervisees.select_related("sentence").order_by("pk"):
        changes = sorted(StatusChange.objects.filter(supervisee=s), key=lambda c: (c.date, c.pk))
        rows.append(
            {
                "pk": s.pk,
                "intake": s.intake_date,
                "exit": s.exit_date,
                "reason": s.exit_reason,
                "category": s.sentence.category,
                "gender": s.gender,
                "education": s.education,
                "level": s.management_level,
                "chapter": s.crime_chapter,
                "birth": s.birth_date,
                "changes": [(c.date, c.to_status) for c in changes],
                "measures": list(
                    Measure.objects.filter(supervisee=s).values_list("kind", "status", "decided_on")
                ),
                "missed_due": list(
                    Alert.objects.filter(supervisee=s, kind="missed_report").values_list(
                        "due_date", flat=True
                    )
                ),
            }
        )
    return rows


def under(row: dict, day: dt.date) -> bool:
    return row["intake"] is not None and row["intake"] <= day and (row["exit"] is None or row["exit"] > day)


def age(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def band(years: int) -> str:
    if years < 18:
        return "under_18"
    if years <= 45:
        return "18_45"
    if years <= 60:
        return "46_60"
    return "61_plus"


def expected_figures(rows: list[dict], first: dt.date) -> dict:
    last = month_last(first)
    before = first - dt.timedelta(days=1)
    days = [first + dt.timedelta(days=n) for n in range(last.day)]
    result = {
        "opening": 0,
        "intake": 0,
        "closing": 0,
        "exits": dict.fromkeys(EXIT_REASONS, 0),
        "by_category": dict.fromkeys(Category.values, 0),
        "by_gender": dict.fromkeys(Gender.values, 0),
        "by_education": dict.fromkeys(Education.values, 0),
        "by_management_level": dict.fromkeys(ManagementLevel.values, 0),
        "by_crime_chapter": dict.fromkeys(CrimeChapter.values, 0),
        "by_age_band": dict.fromkeys(["under_18", "18_45", "46_60", "61_plus"], 0),
        "absconded": 0,
        "measures": {"admonition": 0, "warning": 0},
        "reoffended": 0,
        "cumulative": {"received": 0, "exited": 0},
    }
    missed = 0
    expected_reports = 0.0
    for row in rows:
        if under(row, before):
            result["opening"] += 1
        if row["intake"] is not None and first <= row["intake"] <= last:
            result["intake"] += 1
        if row["intake"] is not None and row["exit"] is not None and first <= row["exit"] <= last:
            result["exits"][row["reason"]] += 1
            if row["reason"] in ("probation_revoked", "parole_revoked"):
                result["reoffended"] += 1
        if under(row, last):
            result["closing"] += 1
            result["by_category"][row["category"]] += 1
            result["by_gender"][row["gender"]] += 1
            result["by_education"][row["education"]] += 1
            result["by_management_level"][row["level"]] += 1
            result["by_crime_chapter"][row["chapter"]] += 1
            result["by_age_band"][band(age(row["birth"], last))] += 1
        status_then = None
        for change_date, to_status in row["changes"]:
            if change_date <= last:
                status_then = to_status
        if status_then == "absconded":
            result["absconded"] += 1
        for kind, status, decided_on in row["measures"]:
            if status == "approved" and decided_on is not None and first <= decided_on <= last:
                result["measures"][kind] += 1
        if row["intake"] is not None and row["intake"] <= last:
            result["cumulative"]["received"] += 1
            if row["exit"] is not None and row["exit"] <= last:
                result["cumulative"]["exited"] += 1
        missed += sum(1 for due in row["missed_due"] if first <= due <= last)
        days_under = sum(1 for day in days if under(row, day))
        expected_reports += days_under / REPORT_EVERY_DAYS[row["level"]]
    if expected_reports == 0:
        result["report_compliance"] = 1.0
    else:
        result["report_compliance"] = max(0.0, min(1.0, 1 - missed / expected_reports))
    return result
