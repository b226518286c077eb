"""Every role against a health report's document (upload, multipart; download), table-driven like
tests/test_permission_matrix.py, which imports these rows for its `test_every_endpoint_has_a_row` (the
list and the JSON POST of /api/v1/medical-reports/ are rows there). The world: a temporary-execution
case of the officer's office, decided by the judge's court, with one monthly report. Out of scope is 404;
a role that never records health reports is 403 before its body is read."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from corrections.constants import Category
from supervision.models import MedicalReport
from supervision.services.medical import medical_report_record
from tests.factories import SuperviseeFactory
from tests.test_bad_input import counts

pytestmark = pytest.mark.django_db
ROLES = ("officer", "other_office_officer", "supervisor", "procurator", "judge", "police", "social_worker")
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class World:
    case: object
    officer: object
    today: dt.date


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict | None]]
    expect: dict[str, int]
    multipart: bool = False
    never: tuple[str, ...] = ()
    bad: Callable | None = None
    bad_for: str = "officer"


READ_CASE = {
    "officer": 200,
    "other_office_officer": 404,
    "supervisor": 200,
    "procurator": 200,
    "judge": 200,
    "police": 404,
    "social_worker": 404,
}
# Only the justice roles record health reports (supervision.services.medical.RECORD_MEDICAL_REPORTS).
NEVER_RECORD = ("procurator", "judge", "police", "social_worker")


def _report(world, *, document: bool) -> str:
    report = medical_report_record(
        supervisee=world.case,
        by=world.officer,
        kind="reexamination",
        date=world.today,
        hospital="枣庄市立医院",
        conclusion="ground_persists",
        uploaded_file=SimpleUploadedFile("复查.pdf", PDF_BYTES) if document else None,
    )
    return f"/api/v1/medical-reports/{report.pk}/document/"


ROWS = [
    Row("api-medical-report-document", "get", lambda w: (_report(w, document=True), None), READ_CASE),
    Row(
        "api-medical-report-document",
        "post",
        lambda w: (_report(w, document=False), {"file": SimpleUploadedFile("复查.pdf", PDF_BYTES)}),
        {**READ_CASE, "officer": 201, "supervisor": 201, **dict.fromkeys(NEVER_RECORD, 403)},
        multipart=True,
        never=NEVER_RECORD,
        bad=lambda w: {"file": "not a file"},
    ),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(agencies, office, officer, court, today):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__deciding_agency=court,
        sentence__category=Category.TEMPORARY_EXECUTION,
        intake_date=dt.date(2026, 8, 25),
    )
    return World(case=case, officer=officer, today=today)


def _send(api, row, url, body):
    return getattr(api, row.method)(url, body, format="multipart" if row.multipart else "json")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_role_against_endpoint(request, api, world, row, role):
    url, body = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(role))
    response = _send(api, row, url, body)
    assert response.status_code == row.expect[role], (
        f"{role} {row.method.upper()} {url}: {response.status_code}"
    )


WITH_NEVER = [(row, role) for row in ROWS if row.never for role in row.never]


@pytest.mark.parametrize("body", ["valid", "invalid"])
@pytest.mark.parametrize(
    ("row", "role"), WITH_NEVER, ids=lambda v: v if isinstance(v, str) else f"{v.method}-{v.name}"
)
def test_a_role_that_may_never_act_is_refused_before_its_body(request, api, world, row, role, body):
    url, valid = row.build(world)
    sent = row.bad(world) if body == "invalid" and row.bad else valid
    before = (counts(), list(MedicalReport.objects.values_list("pk", "file_sha256")))
    api.force_authenticate(user=request.getfixturevalue(role))
    response = _send(api, row, url, sent)
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()
    assert (counts(), list(MedicalReport.objects.values_list("pk", "file_sha256"))) == before


@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row):
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = _send(api, row, url, row.bad(world))
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"
