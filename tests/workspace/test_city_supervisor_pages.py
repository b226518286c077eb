"""The city supervisor (`citysupervisor` of `seed_demo --districts K`, docs/roles.md#the-city-level)
walks every page of its menu and the pages it may bookmark, in both languages, without an error: it reads
the whole city, district by district, and is offered nothing it may not do."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import District, User
from corrections.models import Supervisee
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.django_db

DAY = FROZEN_TODAY - dt.timedelta(days=1)


@pytest.fixture
def demo_city():
    call_command(
        "seed_demo", supervisees=40, districts=2, district_supervisees=25, date=DAY, stdout=io.StringIO()
    )


def _client(username: str, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(User.objects.get(username=username))
    return client


POSTING_FORM = re.compile(r'<form(?=[^>]*method="post")[^>]*action="([^"#?]*)')
PAGES = [
    "/",
    "/supervisees/",
    "/supervisees/?q=张",
    "/supervisees/?status=all",
    "/alerts/",
    "/referrals/",
    "/notices/",
    "/reports/",
    "/reports/?month=2026-10",
    "/reports/cases/?month=2026-10&figure=closing",
    "/oversight/",
    "/positioning-orders/",
    "/digest/",
    "/schedule/",
    "/schedule/sign-in/",
    "/settings/reminders/",
    "/reports/exports/caseload.csv",
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_city_supervisor_walks_its_pages_without_an_error(demo_city, language):
    client = _client("citysupervisor", language)
    xuecheng, shizhong = District.objects.get(code="370403"), District.objects.get(code="370402")
    case_a = Supervisee.objects.filter(justice_office__district=xuecheng).order_by("id").first()
    case_b = Supervisee.objects.filter(justice_office__district=shizhong).order_by("id").first()
    pages = [
        *PAGES,
        f"/reports/?month=2026-10&district={shizhong.pk}",
        f"/reports/cases/?month=2026-10&figure=closing&district={shizhong.pk}",
        f"/supervisees/{case_a.pk}/",
        f"/supervisees/{case_b.pk}/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            # No page offers it a change: the only forms that post are signing out, the language and
            # its own reminder settings.
            posts = set(POSTING_FORM.findall(response.content.decode()))
            assert posts <= {"/accounts/logout/", "/i18n/setlang/", "/settings/reminders/"}, (page, posts)

    home = client.get("/").content.decode()
    # The menu: what it reads, not what it may not do.
    for url in ("/supervisees/", "/alerts/", "/referrals/", "/reports/"):
        assert f'href="{url}"' in home
    for name in ("approvals", "activity-list", "audit-trail", "supervisee-new"):
        assert f'href="{reverse(name)}"' not in home, name
    # Cases by district, not by office, and both districts' counted.
    assert "市中区" in home and "薛城区" in home

    reports = client.get("/reports/?month=2026-10").content.decode()
    assert 'name="district"' in reports and "sign-off" not in reports
    assert 'href="/reports/import/"' not in reports

    # What it may not do answers 403, never a 500.
    assert client.get("/audit/").status_code == 403
    assert client.get("/reports/import/").status_code == 403
    assert client.post("/reports/sign/", {"month": "2026-10"}).status_code == 403


def test_the_city_supervisors_figures_are_the_sum_of_its_districts(demo_city, api):
    city = User.objects.get(username="citysupervisor")
    api.force_authenticate(user=city)
    whole = api.get("/api/v1/reports/monthly/?month=2026-10").json()
    by_district = []
    for district in District.objects.filter(code__in=["370403", "370402", "370404"]):
        figures = api.get(f"/api/v1/reports/monthly/?month=2026-10&district={district.pk}").json()
        by_district.append(figures["closing"])
        # The district's own supervisor reads the same figures for it.
        own = User.objects.get(
            username="supervisor"
            if district.code == "370403"
            else f"supervisor_d{1 if district.code == '370402' else 2}"
        )
        api.force_authenticate(user=own)
        assert api.get("/api/v1/reports/monthly/?month=2026-10").json()["closing"] == figures["closing"]
        api.force_authenticate(user=city)
    assert all(by_district) and whole["closing"] == sum(by_district)
    # The workbook names the city when no district is asked for.
    response = api.get("/api/v1/reports/monthly.xlsx?month=2026-10")
    assert response.status_code == 200


def test_seed_demo_districts_is_idempotent_and_scoped(demo_city):
    counts = (District.objects.count(), User.objects.count(), Supervisee.objects.count())
    out = io.StringIO()
    call_command("seed_demo", supervisees=40, districts=2, district_supervisees=25, date=DAY, stdout=out)
    assert (District.objects.count(), User.objects.count(), Supervisee.objects.count()) == counts
    assert "0 districts, 0 agencies, 0 users and 0 supervisees created" in out.getvalue()

    from corrections.scoping import supervisees_visible_to

    for number, code in ((1, "370402"), (2, "370404")):
        district = District.objects.get(code=code)
        assert district.city.name == "枣庄市"
        for username in (f"officer_d{number}", f"supervisor_d{number}"):
            user = User.objects.get(username=username)
            assert user.check_password("Correction-2026")
            visible = supervisees_visible_to(user)
            assert visible.exists()
            assert not visible.exclude(justice_office__district=district).exists()
    total = Supervisee.objects.count()
    assert total == 40 + 2 * 25
    assert supervisees_visible_to(User.objects.get(username="citysupervisor")).count() == total
    assert supervisees_visible_to(User.objects.get(username="supervisor")).count() == 40
