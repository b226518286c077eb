"""The page's drill-down (`/reports/cases/`) and its 12-month trend: the cases behind a figure are as many
as the figure, through the same scope; a minor's name never shows; the page's query count is pinned."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corrections.scoping import supervisees_visible_to
from reports.selectors import figure_case_list, monthly_statistics_get
from reports.services import monthly_snapshot_sign
from reports.statistics import flat_figures, monthly_statistics
from tests.factories import SuperviseeFactory

from .history import MONTHS

pytestmark = pytest.mark.django_db
CASES = "/reports/cases/"
KEYS = (
    "opening",
    "intake",
    "exits",
    "closing",
    "absconded",
    "reoffended",
    "cumulative.received",
    "cumulative.exited",
    "exits.expired",
    "exits.transferred_out",
    "by_category.probation",
    "by_gender.female",
    "by_age_band.18_45",
    "by_education.junior_secondary",
    "by_management_level.strict",
)


def _count_on_page(content: str) -> int:
    return len(re.findall(r"<tr data-case=", content))


def test_every_figure_counted_person_by_person_lists_as_many_cases(history, supervisor, office):
    for month in MONTHS:
        for office_id in (None, office.pk):
            statistics, _office = monthly_statistics_get(
                user=supervisor, month=month, justice_office_id=office_id
            )
            flat = flat_figures(statistics)
            flat["exits"] = sum(statistics["exits"].values())
            for key in KEYS:
                cases, _ = figure_case_list(
                    user=supervisor, month=month, key=key, justice_office_id=office_id
                )
                assert cases.count() == flat[key], (f"{month:%Y-%m}", office_id, key)


def test_the_page_lists_the_cases_of_a_figure(client, history, officer, office):
    client.force_login(officer)
    month = dt.date(2026, 10, 1)
    statistics = monthly_statistics(
        supervisees=supervisees_visible_to(officer).filter(justice_office=office), month=month
    )
    for key in ("closing", "intake", "by_gender.male"):
        response = client.get(CASES, {"month": "2026-10", "figure": key})
        assert response.status_code == 200
        want = flat_figures(statistics)[key]
        assert want <= 50 and _count_on_page(response.content.decode()) == want, key
    page = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert "/reports/cases/?month=2026-10&amp;figure=closing" in page
    assert "figure=by_gender.female" in page


def test_paginated_by_fifty(client, supervisor, office):
    for _n in range(53):
        SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 3))
    client.force_login(supervisor)
    first = client.get(CASES, {"month": "2026-10", "figure": "intake"}).content.decode()
    second = client.get(CASES, {"month": "2026-10", "figure": "intake", "page": 2}).content.decode()
    assert (_count_on_page(first), _count_on_page(second)) == (50, 3)


def test_a_minors_name_never_appears(client, supervisor, procurator, officer, office):
    minor = SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 3), name="张小明")
    type(minor).objects.filter(pk=minor.pk).update(is_minor=True)
    adult = SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 4), name="李大伟")
    for user in (supervisor, procurator, officer):
        client.force_login(user)
        page = client.get(CASES, {"month": "2026-10", "figure": "intake"}).content.decode()
        assert "张小明" not in page and "Minor (name withheld)" in page
        assert "李大伟" in page and minor.case_number in page and adult.case_number in page


def test_scope_and_refusals(client, officer, police, other_office, far_district_case):
    SuperviseeFactory(justice_office=other_office, intake_date=dt.date(2026, 10, 3), name="王其他")
    client.force_login(officer)
    page = client.get(CASES, {"month": "2026-10", "figure": "intake"}).content.decode()
    assert "王其他" not in page and far_district_case.name not in page
    assert (
        client.get(
            CASES, {"month": "2026-10", "figure": "intake", "justice_office": other_office.pk}
        ).status_code
        == 404
    )
    assert client.get(CASES, {"month": "2026-10", "figure": "report_compliance"}).status_code == 404
    assert client.get(CASES, {"month": "2026-10", "figure": "nonsense"}).status_code == 404
    assert client.get(CASES, {"month": "2099-01", "figure": "intake"}).status_code == 400
    client.force_login(police)
    assert client.get(CASES, {"month": "2026-10", "figure": "intake"}).status_code == 403


def test_the_trend_shows_twelve_months(client, history, supervisor):
    client.force_login(supervisor)
    page = client.get("/reports/", {"month": "2026-10"}).content.decode()
    rows = re.findall(r'<tr data-month="(\d{4}-\d{2})">', page)
    assert rows[0] == "2025-11" and rows[-1] == "2026-10" and len(rows) == 12
    september = monthly_statistics(supervisees=supervisees_visible_to(supervisor), month=dt.date(2026, 9, 1))
    row = page[page.index('<tr data-month="2026-09">') :].split("</tr>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells[:5] == [
        str(september[k]) if k != "exits" else str(sum(september["exits"].values()))
        for k in ("opening", "intake", "exits", "closing", "absconded")
    ]
    assert (
        "<svg" in page
        and page.count('data-series="closing"') == 12
        and page.count('data-series="intake"') == 12
    )
    assert "<script" not in page.split('id="trend"')[1].split("</section>")[0]


def _page_queries(client, month="2026-10") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/reports/", {"month": month}).status_code == 200
    return len(captured)


def test_the_page_query_count_is_pinned(
    client, supervisor, office, other_office, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            case = SuperviseeFactory(
                justice_office=office if i % 2 else other_office, intake_date=dt.date(2026, 1 + i % 9, 3)
            )
            case.status_changes.create(
                from_status="pending_report", to_status="under_supervision", date=case.intake_date
            )

    client.force_login(supervisor)
    add(4)
    # The session, the user, the offices, the month's snapshot and own figures (population, measures,
    # missed reports, reports expected, rules, social forces), and the 11 earlier months of the trend
    # counted together (snapshots, social forces, whether a transfer touched the district, flow, missed,
    # expected, rules) whatever the number of months (issue 14: it recounted each month, 68 queries):
    # never one query per case or per month. Since the figures' cache (reports.figure_cache), the unit's
    # offices and transfers out are read first and the change stamp is read, once for the month and once
    # for the trend (+6), and on PostgreSQL sorting is turned off and on again around each count (+4).
    planner = 4 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(24 + planner):
        small = _page_queries(client)
    add(30)
    assert _page_queries(client) == small == 24 + planner
    # Nothing changed since: the closed months come from the cache, nothing is counted (the month's
    # six queries, the trend's five and its social forces, and the planner statements go).
    cached = _page_queries(client)
    assert cached == small - 12 - planner
    # A signed month of the trend reads its snapshot instead of counting again: with every earlier month
    # signed, the trend counts nothing, cache or not (the transfer check and the four queries of the
    # months' flow and compliance go, with their planner statements).
    first = dt.date(2026, 10, 1)
    for _month in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        monthly_snapshot_sign(user=supervisor, month=first, justice_office=None)
    cache.clear()
    assert _page_queries(client) == small - 5 - planner // 2
    assert _page_queries(client) == cached


def test_drill_down_titles_and_links_are_in_words(client, officer, office):
    # Issue 13: the title showed the raw key (`by_age_band.under_18`, `closing`) and every link read 人数.
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 3))
    client.force_login(officer)
    for key, words in (
        ("closing", "Under correction at the end of the month"),
        ("by_age_band.under_18", "By age on the last day of the month: Under 18"),
        ("exits.expired", "Left: "),
    ):
        page = client.get(CASES, {"month": "2026-10", "figure": key}).content.decode()
        title = page[page.index("<h1>") : page.index("</h1>")]
        assert words in title and key not in title, key
    zh = client.get(CASES, {"month": "2026-10", "figure": "closing"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "closing" not in zh.content.decode().split("<h1>")[1].split("</h1>")[0]
    monthly = client.get("/reports/", {"month": "2026-10"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">人数</a>" not in monthly and "查看名单" in monthly
    english = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert (
        'data-figure="closing">See the cases<span class="visually-hidden">: '
        "Under correction at the end of the month</span></a>" in english
    )
