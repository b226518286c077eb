import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.constants import AgencyKind, Role

from .factories import PASSWORD, AgencyFactory, DistrictFactory, JusticeOfficeFactory, UserFactory

# The instant every test runs at, unless it says otherwise: a Wednesday morning in the office's day
# (10:00 in Asia/Shanghai is 02:00 UTC: the office's date and the UTC date agree), late in November, so
# "today", "this month" (2026-11) and "last month" (2026-10, ended) are the same on every run.
FROZEN_NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(settings.OFFICE_TIME_ZONE))
FROZEN_TODAY = FROZEN_NOW.date()


@pytest.fixture(autouse=True)
def clock(request):
    """The test clock: every test runs with the clock set to FROZEN_NOW (2026-11-25 10:00 Asia/Shanghai),
    whatever the machine's date, so no test depends on the day or month the suite runs.

    time-machine replaces the clock functions themselves (time.time, datetime.now, date.today, ...), so
    Django's timezone.now()/localdate(), auto_now fields and the live server's thread all see it.
    `tick=True`: from that instant time moves on at the real pace, so timeouts, polling loops and
    "earlier/later" orderings behave; time.monotonic() is not touched.

    Another instant for one test or module: `@pytest.mark.clock("2027-01-31T23:59:59+08:00")` (an ISO
    string with its offset, or an aware datetime). Within a test, ask for `clock` (the time-machine
    traveller) and call `clock.move_to("2026-11-30T16:00:00Z")` or `clock.shift(dt.timedelta(days=1))`.
    Values computed at collection (module constants, parametrize lists) are read before this clock
    starts: build them from FROZEN_NOW / FROZEN_TODAY, never from timezone.now().

    Processes a test starts do not see this clock: the real Celery worker is given the instant through
    CORRECTION_TEST_CLOCK (tests/supervision/conftest.py, config/settings/test.py); Chromium keeps its
    own clock, which the pages never read (tests/browser/conftest.py)."""
    if request.node.get_closest_marker("time_machine"):
        pytest.fail("Set the test clock with @pytest.mark.clock(...), not @pytest.mark.time_machine")
    marker = request.node.get_closest_marker("clock")
    destination = marker.args[0] if marker else FROZEN_NOW
    with time_machine.travel(destination, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_language_carried_over():
    """Each test starts in the test settings' language (English). A request through the test client
    activates the page's language in this thread (LocaleMiddleware) and leaves it active afterwards, so
    without this a test after one that read a Chinese page met Chinese messages."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def today(clock) -> dt.date:
    """The test's day in the office's time zone: FROZEN_TODAY unless the test set another instant."""
    return timezone.localdate()


@pytest.fixture
def district():
    return DistrictFactory(name="薛城区", code="370403")


@pytest.fixture
def bureau(district):
    return AgencyFactory(name="薛城区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district)


@pytest.fixture
def office(district, bureau):
    return JusticeOfficeFactory(name="临城司法所", district=district, parent=bureau)


@pytest.fixture
def other_office(district, bureau):
    return JusticeOfficeFactory(name="常庄司法所", district=district, parent=bureau)


@pytest.fixture
def court(district):
    return AgencyFactory(name="薛城区人民法院", kind=AgencyKind.COURT, district=district)


@pytest.fixture
def agencies(district, bureau, office, other_office, court):
    return {
        "bureau": bureau,
        "office": office,
        "other_office": other_office,
        "court": court,
        "police": AgencyFactory(name="薛城公安分局", kind=AgencyKind.POLICE, district=district),
        "procuratorate": AgencyFactory(
            name="薛城区人民检察院", kind=AgencyKind.PROCURATORATE, district=district
        ),
    }


@pytest.fixture
def officer(office):
    return UserFactory(username="t_officer", role=Role.JUSTICE_OFFICER, agency=office)


@pytest.fixture
def colleague(office):
    """Another officer of the first office: decides what `officer` asked for (separation of duties)."""
    return UserFactory(username="t_colleague_officer", role=Role.JUSTICE_OFFICER, agency=office)


@pytest.fixture
def other_office_officer(other_office):
    return UserFactory(username="t_officer2", role=Role.JUSTICE_OFFICER, agency=other_office)


@pytest.fixture
def supervisor(bureau):
    return UserFactory(username="t_supervisor", role=Role.JUSTICE_SUPERVISOR, agency=bureau)


@pytest.fixture
def procurator(agencies):
    return UserFactory(username="t_procurator", role=Role.PROCURATORATE, agency=agencies["procuratorate"])


@pytest.fixture
def judge(court):
    return UserFactory(username="t_judge", role=Role.COURT, agency=court)


@pytest.fixture
def police(agencies):
    return UserFactory(username="t_police", role=Role.POLICE, agency=agencies["police"])


@pytest.fixture
def social_worker(office):
    return UserFactory(username="t_socialworker", role=Role.SOCIAL_WORKER, agency=office)


@pytest.fixture
def city(district):
    """Zaozhuang, with the fixtures' district (Xuecheng) under it."""
    from accounts.models import City

    city = City.objects.create(name="枣庄市", code="3704")
    district.city = city
    district.save(update_fields=["city"])
    return city


@pytest.fixture
def city_bureau(city):
    return AgencyFactory(name="枣庄市司法局", kind=AgencyKind.JUSTICE_BUREAU, district=None, city=city)


@pytest.fixture
def city_supervisor(city_bureau):
    """The city bureau's supervisor (docs/roles.md#the-city-level): reads every district of the city."""
    return UserFactory(username="t_citysupervisor", role=Role.JUSTICE_SUPERVISOR, agency=city_bureau)


@pytest.fixture
def district_b(city):
    """Another district of the same city (Shizhong), with every agency and one user of each role, named
    like the fixtures above with `_b`: nothing of it is visible to the users of the first district."""
    other = DistrictFactory(name="市中区", code="370402", city=city)
    bureau = AgencyFactory(name="市中区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=other)
    office = JusticeOfficeFactory(name="光明路司法所", district=other, parent=bureau)
    agencies = {
        "bureau": bureau,
        "office": office,
        "court": AgencyFactory(name="市中区人民法院", kind=AgencyKind.COURT, district=other),
        "police": AgencyFactory(name="市中公安分局", kind=AgencyKind.POLICE, district=other),
        "procuratorate": AgencyFactory(
            name="市中区人民检察院", kind=AgencyKind.PROCURATORATE, district=other
        ),
    }
    users = {
        "officer": UserFactory(username="t_officer_b", role=Role.JUSTICE_OFFICER, agency=office),
        "supervisor": UserFactory(username="t_supervisor_b", role=Role.JUSTICE_SUPERVISOR, agency=bureau),
        "procurator": UserFactory(
            username="t_procurator_b", role=Role.PROCURATORATE, agency=agencies["procuratorate"]
        ),
        "judge": UserFactory(username="t_judge_b", role=Role.COURT, agency=agencies["court"]),
        "police": UserFactory(username="t_police_b", role=Role.POLICE, agency=agencies["police"]),
    }
    return {"district": other, "agencies": agencies, "users": users}


@pytest.fixture
def site_admin():
    """The office's administrator, who edits agencies, users and the local rules in /admin/."""
    return UserFactory(username="t_admin", role="", agency=None, is_staff=True, is_superuser=True)


@pytest.fixture
def api():
    """An API client; `api.force_authenticate(user)` or sign in through the token endpoint."""
    return APIClient()


@pytest.fixture
def api_as(api):
    def sign_in(user):
        api.force_authenticate(user=user)
        return api

    return sign_in


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _default_rules(request):
    """The rule rows the data migration creates. A transactional test empties every table when it ends
    (TRUNCATE), so each test that uses the database gets them back here."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )
    if marker is None and not transactional and "db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    for migration in (
        "supervision.migrations.0002_default_rules",
        "coordination.migrations.0002_default_deadlines",
        "documents.migrations.0003_first_templates",
        "documents.migrations.0004_positioning_decision_template",
    ):
        importlib.import_module(migration).create(django_apps, None)
    # The office's proper reasons for leave and its notice days (CCL 27).
    importlib.import_module("supervision.migrations.0006_leave_by_the_law").create_defaults(django_apps, None)


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's file-system broker folder (config/settings/test.py), if it made one."""
    import shutil

    from django.conf import settings

    if not getattr(settings, "REDIS_URL", "") and getattr(settings, "TEST_RUN_ID", None):
        shutil.rmtree(settings.VAR_DIR / f"celery-broker-test-{settings.TEST_RUN_ID}", ignore_errors=True)


# Tests connect as the application's database role; the test runner's own work is the owner's.
from .database_roles import django_db_modify_db_settings, django_db_setup  # noqa: E402, F401, I001


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the test settings' in-process one): figures cached by one
    test are keyed by ids another test's rolled-back data may reuse (SQLite)."""
    from django.core.cache import cache

    cache.clear()
