"""The monthly statistics' `education` block (API.md "Social forces") against a count made here, from
the plan of sessions this test generates (not from the database): per office and for the district, on
the API, the reports page and the workbook. Guarded against comparing zeros with zeros."""

import datetime as dt
import io
import random
from decimal import Decimal

import openpyxl
import pytest

from community.constants import ActivityKind, ParticipationOutcome
from community.services import Result, activity_record
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def plan(office, other_office, officer, other_office_officer):
    """About forty sessions from September to November in two offices: random kinds, participants
    (minors apart from adults), hours and outcomes, recorded through the service. Returns what was
    recorded, as plain tuples `(office id, date, kind, [(case id, hours, outcome)])`."""
    rng = random.Random(15)
    cases = {
        office.pk: SuperviseeFactory.create_batch(8, justice_office=office, officer=officer)
        + SuperviseeFactory.create_batch(3, justice_office=office, officer=officer, is_minor=True),
        other_office.pk: SuperviseeFactory.create_batch(
            6, justice_office=other_office, officer=other_office_officer
        ),
    }
    recorders = {office.pk: officer, other_office.pk: other_office_officer}
    recorded = []
    for _n in range(40):
        office_id = rng.choice(list(cases))
        minors = rng.random() < 0.25 and office_id == office.pk
        pool = [c for c in cases[office_id] if c.is_minor == minors]
        kind = rng.choice(ActivityKind.values)
        people = (
            [rng.choice(pool)]
            if kind == ActivityKind.INDIVIDUAL_TALK
            else rng.sample(pool, rng.randint(1, len(pool)))
        )
        month = rng.choice([9, 10, 10, 11])
        day = dt.date(2026, month, rng.randint(1, 24 if month == 11 else 28))
        hours = Decimal(rng.choice(["1", "1.5", "2", "3"]))
        results, rows = {}, []
        for person in people:
            outcome = rng.choice(
                [ParticipationOutcome.COMPLETED] * 3
                + [ParticipationOutcome.ABSENT, ParticipationOutcome.PARTLY]
            )
            own = (
                hours
                if outcome == ParticipationOutcome.COMPLETED
                else (Decimal(0) if outcome == "absent" else Decimal("0.5"))
            )
            if outcome != ParticipationOutcome.COMPLETED:
                results[person.pk] = Result(hours=None if outcome == "absent" else own, outcome=outcome)
            rows.append((person.pk, own, outcome))
        activity_record(
            by=recorders[office_id],
            kind=kind,
            date=day,
            hours=hours,
            topic="教育",
            participants=[p.pk for p in people],
            results=results,
        )
        recorded.append((office_id, day, kind, rows))
    # One sure employment-help session in October, one of its two absent.
    first, second = cases[office.pk][:2]
    activity_record(
        by=officer,
        kind="employment_help",
        date=dt.date(2026, 10, 30),
        hours=Decimal(2),
        topic="招聘会",
        participants=[first.pk, second.pk],
        results={second.pk: Result(outcome="absent")},
    )
    recorded.append(
        (
            office.pk,
            dt.date(2026, 10, 30),
            "employment_help",
            [(first.pk, Decimal(2), "completed"), (second.pk, Decimal(0), "absent")],
        )
    )
    return recorded


def expected(plan, *, month: dt.date, offices: set[int]) -> dict:
    sessions, hours, took_part, employment = 0, Decimal(0), set(), set()
    for office_id, day, kind, rows in plan:
        if office_id not in offices or (day.year, day.month) != (month.year, month.month):
            continue
        sessions += 1
        for case_id, own, outcome in rows:
            hours += own
            if outcome != "absent":
                took_part.add(case_id)
                if kind == "employment_help":
                    employment.add(case_id)
    return {
        "sessions": sessions,
        "hours": float(hours),
        "participants": len(took_part),
        "employment_helped": len(employment),
    }


def test_the_education_figures_equal_the_independent_count(
    api_as, plan, officer, supervisor, office, other_office
):
    for month in (OCTOBER, dt.date(2026, 11, 1), dt.date(2026, 9, 1)):
        want_office = expected(plan, month=month, offices={office.pk})
        want_district = expected(plan, month=month, offices={office.pk, other_office.pk})
        got_office = api_as(officer).get(f"/api/v1/reports/monthly/?month={month:%Y-%m}").json()["education"]
        got_district = (
            api_as(supervisor).get(f"/api/v1/reports/monthly/?month={month:%Y-%m}").json()["education"]
        )
        got_picked = (
            api_as(supervisor)
            .get(f"/api/v1/reports/monthly/?month={month:%Y-%m}&justice_office={other_office.pk}")
            .json()["education"]
        )
        assert got_office == want_office, month
        assert got_district == want_district, month
        assert got_picked == expected(plan, month=month, offices={other_office.pk}), month
    # Not zeros compared with zeros.
    october = expected(plan, month=OCTOBER, offices={office.pk})
    assert october["sessions"] >= 5 and october["employment_helped"] >= 1 and october["hours"] > 0


def test_the_page_and_the_workbook_show_the_same_figures(client, api_as, plan, officer, office):
    want = expected(plan, month=OCTOBER, offices={office.pk})
    response = api_as(officer).get("/api/v1/reports/monthly.xlsx?month=2026-10")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    by_key = {row[2]: row[1] for row in sheet.iter_rows(values_only=True) if row and len(row) > 2}
    assert by_key["education.sessions"] == want["sessions"]
    assert by_key["education.hours"] == want["hours"]
    assert by_key["education.employment_helped"] == want["employment_helped"]
    client.force_login(officer)
    page = client.get("/reports/?month=2026-10")
    assert page.status_code == 200 and "education.participants" in page.text
