"""The documents mechanism (API.md v1.1 "Documents"): numbers unique per kind, issuing office and year;
templates versioned by effective date; a document never changed, a correction a new document naming
the one it replaces; every read audited."""

import datetime as dt
import hashlib
import http.server
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts.models import AuditEvent
from config.api import StateConflict
from documents.constants import DocumentKind
from documents.models import Document, DocumentTemplate
from documents.services import document_correct, document_issue
from tests.factories import SuperviseeFactory

from .pdf import pdf_text

pytestmark = pytest.mark.django_db
KIND = DocumentKind.INTAKE_ANNOUNCEMENT


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(name="孙磊", justice_office=office, officer=officer)


def issue(case, by, **values):
    return document_issue(kind=KIND, supervisee=case, by=by, intake_date="2026年11月25日", **values)


def test_numbers_count_per_kind_office_and_year(case, officer, colleague, supervisor, other_office_officer):
    other = SuperviseeFactory(justice_office=other_office_officer.agency)
    numbers = [
        issue(case, officer).number,
        issue(case, colleague).number,  # the same office: its next number
        issue(case, supervisor).number,  # the bureau counts its own
        issue(other, other_office_officer).number,
        document_issue(kind=DocumentKind.RELEASE_CERTIFICATE, supervisee=case, by=officer).number,
    ]
    assert numbers == [
        "临城司法所矫宣〔2026〕1号",
        "临城司法所矫宣〔2026〕2号",
        "薛城区司法局矫宣〔2026〕1号",
        "常庄司法所矫宣〔2026〕1号",
        "临城司法所矫解〔2026〕1号",
    ]


def test_a_new_year_starts_at_one(clock, case, officer):
    clock.move_to("2026-12-31T23:59:00+08:00")
    assert issue(case, officer).number == "临城司法所矫宣〔2026〕1号"
    clock.move_to("2027-01-01T00:01:00+08:00")
    assert issue(case, officer).number == "临城司法所矫宣〔2027〕1号"


def test_the_version_in_force_on_the_day_is_used_and_old_documents_stay_as_issued(clock, case, officer):
    first = issue(case, officer)
    first_pdf = bytes(first.file.pdf)
    DocumentTemplate.objects.create(
        kind=KIND,
        effective_from=dt.date(2027, 1, 1),
        title="社区矫正宣告书",
        body="<p>新版本：{{ name }}</p>",
    )
    assert issue(case, officer).template == first.template  # not in force yet
    clock.move_to("2027-01-02T09:00:00+08:00")
    later = issue(case, officer)
    assert later.template.effective_from == dt.date(2027, 1, 1)
    assert "新版本：孙磊" in pdf_text(bytes(later.file.pdf))
    first.refresh_from_db()
    assert bytes(first.file.pdf) == first_pdf and hashlib.sha256(first_pdf).hexdigest() == first.sha256


def test_a_used_version_cannot_be_edited(case, officer):
    template = issue(case, officer).template
    template.body += "<p>改</p>"
    with pytest.raises(ValidationError):
        template.full_clean()


def test_the_same_step_writes_its_document_once(case, officer, colleague):
    source = SuperviseeFactory(justice_office=case.justice_office)  # any record stands for the step
    first = document_issue(kind=KIND, supervisee=case, by=officer, source=source)
    assert document_issue(kind=KIND, supervisee=case, by=colleague, source=source) == first
    assert Document.objects.filter(kind=KIND).count() == 1


def test_a_correction_is_a_new_document_naming_the_one_it_replaces(case, officer):
    original = issue(case, officer, note="x")
    case.name = "孙雷"
    case.save()
    with pytest.raises(ValidationError):
        document_correct(document=original, by=officer, reason="  ")
    corrected = document_correct(document=original, by=officer, reason="姓名有误")
    assert corrected.replaces == original and corrected.number == "临城司法所矫宣〔2026〕2号"
    text = pdf_text(bytes(corrected.file.pdf))
    assert "孙雷" in text and "更正并替代临城司法所矫宣〔2026〕1号" in text and "姓名有误" in text
    assert corrected.context["intake_date"] == "2026年11月25日"  # the step's own value is kept
    assert "孙磊" in pdf_text(bytes(original.file.pdf))  # the original stays as issued
    with pytest.raises(StateConflict):
        document_correct(document=original, by=officer, reason="再次更正")


def test_issuing_and_opening_are_audited(api_as, case, officer):
    document = issue(case, officer)
    created = AuditEvent.objects.get(action="create", target_type="documents.document")
    assert created.changes["number"] == document.number and created.changes["sha256"] == document.sha256
    assert api_as(officer).get(f"/api/v1/documents/{document.pk}/pdf/").status_code == 200
    assert AuditEvent.objects.filter(
        action="view", target_type="documents.document", target_id=str(document.pk), supervisee_id=case.pk
    ).exists()
    api_as(officer).get(f"/api/v1/supervisees/{case.pk}/documents/")
    assert AuditEvent.objects.filter(
        action="list", target_type="documents.document", supervisee_id=case.pk
    ).exists()


def test_the_template_fetches_nothing(case, officer):
    """A version naming an image or a stylesheet elsewhere (closed networks; no request forgery) renders
    without it: a server on this machine sees no request."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        DocumentTemplate.objects.create(
            kind=KIND,
            effective_from=dt.date(2026, 11, 1),
            title="社区矫正宣告书",
            body=f'<p>{{{{ name }}}}</p><img src="{base}/x.png"><link rel="stylesheet" href="{base}/s.css">',
        )
        document = issue(case, officer)
    finally:
        server.shutdown()
    assert "孙磊" in pdf_text(bytes(document.file.pdf))
    assert hits == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database's own refusal is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_document(case, officer):
    document = issue(case, officer)
    for statement in (
        f"UPDATE documents_document SET number = 'x' WHERE id = {document.pk}",
        f"DELETE FROM documents_documentfile WHERE document_id = {document.pk}",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
