"""The cache of closed months' figures (reports.figure_cache): a repeated read counts nothing, and every
write that can move a closed month's figures, back-dated ones above all, shows on the next read."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Agency
from config.signals import records_loaded
from corrections.models import Supervisee
from corrections.services import supervisee_transition, supervisee_update
from reports.figure_cache import FIGURES_TTL, change_stamp, figure_changes_prune
from reports.models import FigureChange
from reports.statistics import figure_condition, figure_counts_people, flat_figures, monthly_statistics
from supervision.models import Alert, Measure
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/monthly/"
OCTOBER = {"month": "2026-10"}  # closed: the tests' today is 25 November 2026


def read(client, query=OCTOBER):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return response.json(), len(captured)


@pytest.fixture
def cases(office, other_office):
    made = [
        SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 3, 2), management_level="strict"),
        SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 5, 9)),
        SuperviseeFactory(justice_office=other_office, intake_date=dt.date(2026, 10, 20)),
    ]
    for case in made:
        case.status_changes.create(
            from_status="pending_report", to_status="under_supervision", date=case.intake_date
        )
    return made


def test_a_repeated_read_of_a_closed_month_counts_nothing(api_as, supervisor, cases):
    client = api_as(supervisor)
    first, counted = read(client)
    again, cached = read(client)
    assert again == first and first["closing"] == 3
    assert cached < counted
    # The current month is not cached: counted on every read.
    _body, november = read(client, {"month": "2026-11"})
    _body, november_again = read(client, {"month": "2026-11"})
    assert november_again == november > cached


def test_a_back_dated_exit_shows_at_once(api_as, supervisor, cases):
    client = api_as(supervisor)
    assert read(client)[0]["closing"] == 3
    # Entered today, dated in October: the case left on 20 October.
    supervisee_transition(
        supervisee=cases[1], by=supervisor, to="deceased", on=dt.date(2026, 10, 20), reason="病故"
    )
    october = read(client)[0]
    assert october["closing"] == 2 and october["exits"]["deceased"] == 1


def test_a_back_dated_status_change_shows_at_once(api_as, supervisor, cases):
    client = api_as(supervisor)
    assert read(client)[0]["absconded"] == 0
    supervisee_transition(
        supervisee=cases[0], by=supervisor, to="absconded", on=dt.date(2026, 10, 30), reason="失联"
    )
    assert read(client)[0]["absconded"] == 1


def test_a_late_intake_and_a_changed_breakdown_show_at_once(api_as, supervisor, office, cases):
    client = api_as(supervisor)
    before = read(client)[0]
    late = SuperviseeFactory(
        justice_office=office, intake_date=dt.date(2026, 10, 2), management_level="lenient"
    )
    october = read(client)[0]
    assert october["intake"] == before["intake"] + 1 and october["closing"] == before["closing"] + 1
    # The level is today's in every month (reports.statistics): an edit today moves October's breakdown.
    supervisee_update(supervisee=late, by=supervisor, fields={"management_level": "strict"})
    lenient = read(client)[0]["by_management_level"]["lenient"]
    assert lenient == october["by_management_level"]["lenient"] - 1


def test_the_sweep_s_bulk_alerts_and_a_measure_show_at_once(api_as, supervisor, cases):
    client = api_as(supervisor)
    assert read(client)[0]["report_compliance"] == 1.0
    # The sweep inserts its alerts in bulk, with no signal: the stamp reads the latest alert.
    stamp = change_stamp([cases[0].justice_office_id])
    Alert.objects.bulk_create(
        [Alert(supervisee=cases[0], kind="missed_report", due_date=dt.date(2026, 10, 8))]
    )
    assert change_stamp([cases[0].justice_office_id]) != stamp
    assert read(client)[0]["report_compliance"] < 1.0
    Measure.objects.create(
        supervisee=cases[0],
        kind="warning",
        status="approved",
        decided_on=dt.date(2026, 10, 12),
        occurred_on=dt.date(2026, 10, 9),
        reason="未按时报到",
        proposed_by=supervisor,
    )
    assert read(client)[0]["measures"]["warning"] == 1


def trend_row(page: str, month: str) -> list[str]:
    """The cells of the trend's row of `month`: opening, taken in, left, closing, absconded, ..."""
    row = page.split(f'<tr data-month="{month}">')[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]]


def test_the_page_s_trend_follows_a_back_dated_exit(client, supervisor, cases):
    client.force_login(supervisor)
    page = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert trend_row(page, "2026-09")[2:4] == ["0", "2"]  # left, closing
    with CaptureQueriesContext(connection) as cached:
        again = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert trend_row(again, "2026-09") == trend_row(page, "2026-09")
    # Entered today, dated in September: the trend's September and the month's own figures move at once.
    supervisee_transition(
        supervisee=cases[0], by=supervisor, to="deceased", on=dt.date(2026, 9, 10), reason="病故"
    )
    with CaptureQueriesContext(connection) as counted:
        after = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert trend_row(after, "2026-09")[2:4] == ["1", "1"]
    assert trend_row(after, "2026-10")[3] == "2"
    assert len(counted) > len(cached)


def test_the_page_s_links_ask_the_same_rule_as_the_drill_down(history, supervisor, office):
    october = dt.date(2026, 10, 1)
    figures = monthly_statistics(supervisees=Supervisee.objects.all(), month=october, offices=[office.pk])
    keys = [*flat_figures(figures), "exits"]
    assert "transferred_in" in keys and "measures.warning" in keys
    for offices in (None, [office.pk]):
        for key in keys:
            counted = figure_condition(key, october, offices) is not None
            assert figure_counts_people(key, unit=offices is not None) == counted, key


# --- the change stamp is per district ---------------------------------------------------------------------


def test_a_write_in_another_district_keeps_this_district_s_figures_cached(
    api_as, supervisor, office, cases, district_b
):
    """At national scale a stamp shared by every district moved with every write in the country; a
    district's stamp moves with its own records' writes (and those that can touch any district) only."""
    here, there = [office.pk], [district_b["agencies"]["office"].pk]
    client = api_as(supervisor)
    _first, counted = read(client)
    stamp, elsewhere = change_stamp(here), change_stamp(there)
    case_b = SuperviseeFactory(
        justice_office=district_b["agencies"]["office"], intake_date=dt.date(2026, 10, 3)
    )
    supervisee_update(
        supervisee=case_b, by=district_b["users"]["supervisor"], fields={"management_level": "strict"}
    )
    assert change_stamp(here) == stamp and change_stamp(there) != elsewhere
    _again, cached = read(client)
    assert cached < counted  # still from the cache
    # A write in this district moves its stamp; a city's stamp (both districts) moves with either.
    supervisee_update(supervisee=cases[0], by=supervisor, fields={"management_level": "lenient"})
    assert change_stamp(here) != stamp
    both = change_stamp([*here, *there])
    supervisee_update(
        supervisee=case_b, by=district_b["users"]["supervisor"], fields={"management_level": "normal"}
    )
    assert change_stamp([*here, *there]) != both


def test_writes_that_can_touch_any_district_move_every_stamp(office, cases, district_b):
    here, there = [office.pk], [district_b["agencies"]["office"].pk]
    for write in (
        lambda: Agency.objects.filter(pk=office.pk).first().save(),  # an agency: every unit's offices
        lambda: records_loaded.send(sender=None),  # a bulk load past the models' signals
    ):
        before = change_stamp(here), change_stamp(there)
        write()
        after = change_stamp(here), change_stamp(there)
        assert after[0] != before[0] and after[1] != before[1]


def test_a_record_s_district_is_found_in_the_insert_itself(office, cases, django_assert_num_queries):
    """The stamp adds one INSERT to a write, never a query to find the district; the change row names
    the record's district, and its second stamp after the commit the same."""
    change = cases[0].status_changes.first()
    with django_assert_num_queries(2):  # the record's UPDATE, the change's INSERT
        change.save()
    assert FigureChange.objects.order_by("-pk").values_list("district_id", flat=True)[0] == office.district_id


def test_pruning_keeps_every_district_s_latest_change(office, cases, district_b, clock):
    here, there = [office.pk], [district_b["agencies"]["office"].pk]
    SuperviseeFactory(justice_office=district_b["agencies"]["office"], intake_date=dt.date(2026, 10, 3))
    records_loaded.send(sender=None)
    stamps = change_stamp(here), change_stamp(there)
    kept = set(
        FigureChange.objects.values("district_id").annotate(last=Max("id")).values_list("last", flat=True)
    )
    total = FigureChange.objects.count()
    assert total > len(kept) == 3  # this district, the other, every district
    # Nothing is old enough yet.
    assert figure_changes_prune() == 0
    later = timezone.now() + dt.timedelta(seconds=2 * FIGURES_TTL + 1)
    assert figure_changes_prune(now=later) == total - len(kept)
    assert set(FigureChange.objects.values_list("pk", flat=True)) == kept
    assert (change_stamp(here), change_stamp(there)) == stamps
