"""The sweep per district, set-based: one INSERT ... SELECT per rule whatever the population (the query
count pinned at two sizes), one SweepRun per district, each district raising only its own cases'
alerts; the reporting duty's expression holds each correlated subquery once; AddMonths agrees with
corrections.periods.add_months on both databases."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import DateField, Value

from config.sql import AddMonths
from corrections.constants import Status
from corrections.models import Supervisee
from corrections.periods import add_months
from supervision.duties import with_next_report_due
from supervision.models import Alert, CheckIn, SweepRun
from supervision.sweep import sweep_district, sweep_districts, sweep_run
from supervision.tasks import CATCH_UP_DAYS, _days_to_sweep
from tests.factories import AgencyFactory, DistrictFactory, JusticeOfficeFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 2, 1)


@pytest.fixture
def two_offices(office):
    """The conftest's office (薛城区) and one in a second district (市中区)."""
    district = DistrictFactory(name="市中区", code="370402")
    bureau = AgencyFactory(name="市中区司法局", kind="justice_bureau", district=district)
    return office, JusticeOfficeFactory(name="光明路司法所", district=district, parent=bureau)


def populate(offices, count: int, officer) -> list[Supervisee]:
    """`count` cases spread over `offices`: strict cases that missed reports (some reported once, late),
    cases pending their intake report past the deadline, and cases whose term ends within 30 days."""
    cases = []
    for n in range(count):
        office = offices[n % len(offices)]
        if n % 5 == 4:
            cases.append(
                SuperviseeFactory(justice_office=office, status=Status.PENDING_REPORT, intake_date=None)
            )
            continue
        case = SuperviseeFactory(
            justice_office=office, officer=officer, management_level="strict", intake_date=dt.date(2026, 1, 1)
        )
        if n % 3 == 0:
            CheckIn.objects.create(
                supervisee=case,
                recorded_by=officer,
                kind="in_person",
                occurred_at=dt.datetime(2026, 1, 12, 9, tzinfo=dt.UTC),
            )
        cases.append(case)
    return cases


@pytest.mark.parametrize("population", [5, 50])
def test_the_sweep_s_query_count_does_not_grow_with_the_population(
    two_offices, officer, population, django_assert_num_queries
):
    populate(two_offices, population, officer)
    # The districts (1); for each of the 2 districts: its SweepRun (1); the reporting rules in force for
    # missed_report (1) and the hours rules for hours_short (1); one INSERT ... SELECT per rule, the
    # monthly health report's three months each one (11 + 3); the report kinds and the made-up update of
    # the run's own alerts (2); the run's end (1); the district's offices (1). Then, once, the report kinds
    # and the made-up update of every older alert (2). 1 + 2 * 21 + 2.
    with django_assert_num_queries(1 + 2 * 21 + 2):
        raised = sweep_run(as_of=AS_OF)
    assert raised["missed_report"] == population - population // 5
    assert raised["intake_overdue"] == population // 5
    # A second run: the same statements, nothing raised.
    with django_assert_num_queries(1 + 2 * 21 + 2):
        assert set(sweep_run(as_of=AS_OF).values()) == {0}


def test_each_district_raises_its_own_cases_alerts_in_its_own_run(two_offices, officer):
    ours, theirs = two_offices
    populate([ours], 3, officer)
    populate([theirs], 4, officer)
    raised = sweep_district(as_of=AS_OF, district_id=theirs.district_id)
    assert raised["missed_report"] == 4
    assert set(Alert.objects.values_list("supervisee__justice_office", flat=True)) == {theirs.pk}
    run = SweepRun.objects.get()
    assert run.district_id == theirs.district_id and run.finished_at and run.raised["missed_report"] == 4

    assert sweep_run(as_of=AS_OF)["missed_report"] == 3  # the other district's; this one's are in
    assert Alert.objects.filter(kind="missed_report").count() == 7
    assert sorted(SweepRun.objects.values_list("district__code", flat=True)) == ["370402", "370402", "370403"]
    assert sweep_districts() == sorted([ours.district_id, theirs.district_id])


def test_a_database_with_no_district_is_swept_in_one_run(db):
    assert sweep_districts() == [None]
    assert set(sweep_run(as_of=AS_OF).values()) == {0}
    assert SweepRun.objects.get().district_id is None


def test_the_command_prints_each_rule_s_count_over_every_district(two_offices, officer, capsys):
    populate(two_offices, 4, officer)
    call_command("supervision_sweep", "--date", AS_OF.isoformat())
    out = capsys.readouterr().out
    assert "missed_report: 4 raised" in out
    call_command("supervision_sweep", "--date", AS_OF.isoformat())
    assert "total: 0 raised" in capsys.readouterr().out


def test_each_district_catches_up_from_its_own_last_finished_run(two_offices, officer):
    ours, theirs = two_offices
    today = dt.date(2026, 3, 10)
    SweepRun.objects.create(
        id="00000000-0000-0000-0000-000000000001",
        as_of=today - dt.timedelta(days=1),
        district_id=ours.district_id,
        started_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
    )
    SweepRun.objects.create(  # began and never finished: its day is swept again
        id="00000000-0000-0000-0000-000000000002",
        as_of=today - dt.timedelta(days=1),
        district_id=theirs.district_id,
        started_at=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
    )
    SweepRun.objects.create(  # from before the split: counts for every district
        id="00000000-0000-0000-0000-000000000003",
        as_of=today - dt.timedelta(days=3),
        started_at=dt.datetime(2026, 3, 7, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 3, 7, tzinfo=dt.UTC),
    )
    days = _days_to_sweep([ours.district_id, theirs.district_id], today)
    assert days[ours.district_id] == [today]
    assert days[theirs.district_id] == [today - dt.timedelta(days=2), today - dt.timedelta(days=1), today]
    assert len(_days_to_sweep([None], today + dt.timedelta(days=30))[None]) == CATCH_UP_DAYS


def test_the_reporting_duty_holds_each_correlated_subquery_once(office):
    sql = str(with_next_report_due(Supervisee.objects.all(), on=AS_OF).query)
    # The last return from custody: the set of cases that ever returned (uncorrelated, read once) and the
    # probe for those cases only.
    assert sql.count('FROM "corrections_statuschange"') == 2
    assert sql.count('U0."supervisee_id" = ("corrections_supervisee"."id")) ORDER BY 1 DESC, U0."id"') == 1
    # One subquery for the last report per rule branch (here the three levels), none repeated.
    assert sql.count('FROM "supervision_checkin"') == 3


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 1, 31),
        dt.date(2026, 11, 30),
        dt.date(2027, 11, 30),  # to 29 February 2028
        dt.date(2026, 3, 31),
        dt.date(2026, 12, 31),
        dt.date(2026, 6, 15),
    ],
)
def test_add_months_in_sql_is_corrections_periods_add_months(office, day):
    SuperviseeFactory(justice_office=office)
    value = Value(day, output_field=DateField())
    got = Supervisee.objects.annotate(later=AddMonths(value, 3)).values_list("later", flat=True).get()
    assert got == add_months(day, months=3)
