import importlib

import pytest
from django.apps import apps as django_apps
from rest_framework.test import APIClient

from accounts.constants import AgencyKind, Role

from .factories import PASSWORD, AgencyFactory, DistrictFactory, JusticeOfficeFactory, UserFactory


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
    ):
        importlib.import_module(migration).create(django_apps, None)


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's file-system broker folder (config/settings/test.py), if it made one."""
    import shutil

    from django.conf import settings

    if not getattr(settings, "REDIS_URL", "") and getattr(settings, "TEST_RUN_ID", None):
        shutil.rmtree(settings.VAR_DIR / f"celery-broker-test-{settings.TEST_RUN_ID}", ignore_errors=True)
