"""The case page of a temporary-execution case (CPL 265): the header's next health report and
re-examination due, the panel of reports with the hospital's documents, the form that records one (with
its document), the timeline, the done-when through the page (intake 40 days ago, no report, the sweep
raises `medical_report_missing`), and a fixed number of queries however many reports."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from accounts.models import AuditEvent
from corrections.constants import Category
from supervision.models import MedicalReport
from supervision.sweep import sweep_run
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(office, officer, today):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        intake_date=dt.date(2026, 9, 10),
        sentence__category=Category.TEMPORARY_EXECUTION,
        sentence__effective=dt.date(2026, 9, 1),
    )
    CheckInFactory(supervisee=case, on=today)
    return case


def page(client, case) -> str:
    return client.get(f"/supervisees/{case.pk}/").content.decode()


def form(**overrides):
    fields = {
        "kind": "reexamination",
        "date": "2026-11-20",
        "hospital": "枣庄市立医院",
        "conclusion": "ground_persists",
        "notes": "病情稳定",
        "file": SimpleUploadedFile("复查报告.pdf", PDF_BYTES),
        **overrides,
    }
    return {f"medical-{name}": value for name, value in fields.items()}


@translation.override("en")
def test_the_header_shows_the_next_report_and_re_examination_due(client, officer, case):
    client.force_login(officer)
    html = page(client, case)
    # October (the month after intake) has no report: overdue; the re-examination is due 3 months on.
    assert 'id="next-medical-report-due"' in html and 'datetime="2026-10-31"' in html
    assert 'id="next-reexamination-due"' in html and 'datetime="2026-12-10"' in html
    assert 'id="medical-reports"' in html
    # The form's fields are its own beside the quick log's `kind` and `notes`.
    assert html.count('id="id_medical-kind"') == 1 and html.count('id="id_kind"') == 1


def test_another_category_has_no_panel_and_no_health_dates(client, officer, office):
    probation = SuperviseeFactory(justice_office=office, officer=officer)
    client.force_login(officer)
    html = page(client, probation)
    assert 'id="medical-reports"' not in html and 'id="next-medical-report-due"' not in html
    response = client.post(f"/supervisees/{probation.pk}/medical-reports/", form())
    assert response.status_code == 400
    assert "Criminal Procedure Law art. 265" in response.content.decode()
    assert not MedicalReport.objects.exists()


def test_an_officer_records_a_re_examination_with_the_hospital_s_document(client, officer, case):
    client.force_login(officer)
    response = client.post(f"/supervisees/{case.pk}/medical-reports/", form(), follow=True)
    assert response.status_code == 200
    report = MedicalReport.objects.get()
    assert (report.kind, report.hospital, report.file_name, report.file_type) == (
        "reexamination",
        "枣庄市立医院",
        "复查报告.pdf",
        "application/pdf",
    )
    html = response.content.decode()
    assert f'id="medical-report-{report.pk}"' in html
    assert f"/api/v1/medical-reports/{report.pk}/document/" in html
    assert 'class="event event-medical_report"' in html  # on the timeline
    assert 'datetime="2027-02-20"' in html  # the next re-examination moved on
    # The link downloads it, audited.
    download = client.get(f"/api/v1/medical-reports/{report.pk}/document/")
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(action="export", target_type="supervision.medicalreport").exists()


def test_a_refusal_keeps_the_form_and_names_the_field(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/medical-reports/",
        form(hospital="", file=SimpleUploadedFile("a.exe", b"MZ\x90\x00")),
    )
    assert response.status_code == 400
    assert not MedicalReport.objects.exists()
    response = client.post(f"/supervisees/{case.pk}/medical-reports/", form(hospital=""))
    assert response.status_code == 400
    assert "art. 265 para. 4" in response.content.decode()


def test_read_only_roles_get_no_form_and_403(client, procurator, other_office_officer, case):
    client.force_login(procurator)
    assert "case-medical-report" not in page(client, case)
    assert 'action="/supervisees/' + str(case.pk) + '/medical-reports/"' not in page(client, case)
    assert client.post(f"/supervisees/{case.pk}/medical-reports/", form()).status_code == 403
    client.force_login(other_office_officer)
    assert client.post(f"/supervisees/{case.pk}/medical-reports/", form()).status_code == 404
    assert not MedicalReport.objects.exists()


@pytest.mark.clock("2026-12-07T10:00:00+08:00")
@translation.override("en")
def test_done_when_intake_forty_days_ago_the_page_shows_the_missing_report_after_the_sweep(
    client, officer, office, today
):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        intake_date=today - dt.timedelta(days=40),
        sentence__category=Category.TEMPORARY_EXECUTION,
        sentence__effective=today - dt.timedelta(days=45),
    )
    sweep_run(as_of=today)
    client.force_login(officer)
    html = page(client, case)
    assert "Monthly health report missing, due 2026-11-30" in html
    assert 'datetime="2026-11-30"' in html  # the header's next report due, overdue


def test_the_page_runs_the_same_queries_however_many_reports(client, officer, case):
    client.force_login(officer)

    def queries_with(n: int) -> int:
        while MedicalReport.objects.count() < n:
            MedicalReport.objects.create(
                supervisee=case,
                kind="monthly_report",
                date=dt.date(2026, 11, 1) - dt.timedelta(days=MedicalReport.objects.count()),
                conclusion="ground_persists",
                recorded_by=officer,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/supervisees/{case.pk}/").status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(8)
