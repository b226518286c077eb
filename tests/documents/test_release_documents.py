"""API.md v1.1 "What each step writes", for the case's own steps: intake writes the announcement and
the intake receipt to the deciding agency; release writes the certificate and notices to the deciding
agency, the procuratorate and the police; death writes the notices alone. Each PDF is real, in Chinese
with its fonts embedded, and states the name and case number."""

import datetime as dt

import pytest

from corrections.constants import Status
from corrections.services import supervisee_transition
from documents.models import Document, Notice
from tests.factories import SuperviseeFactory

from .pdf import embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db
ENDED = dt.date(2026, 10, 31)


@pytest.fixture
def ended(agencies, office, officer):
    case = SuperviseeFactory(
        name="李明",
        justice_office=office,
        officer=officer,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
        sentence__deciding_agency=agencies["court"],
    )
    assert case.sentence.end_date == ENDED
    return case


def test_release_writes_the_certificate_and_three_notices(api_as, agencies, supervisor, ended):
    response = api_as(supervisor).post(
        f"/api/v1/supervisees/{ended.pk}/transition/",
        {"to": "terminated", "date": "2026-11-01", "reason": "expired"},
        format="json",
    )
    assert response.status_code == 200, response.content
    listing = api_as(supervisor).get(f"/api/v1/supervisees/{ended.pk}/documents/").json()
    assert listing["count"] == 1
    certificate = listing["results"][0]
    assert certificate["kind"] == "release_certificate"
    assert certificate["number"] == "薛城区司法局矫解〔2026〕1号"
    assert certificate["title"] == "解除社区矫正证明书"
    pdf = api_as(supervisor).get(certificate["url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = pdf.content
    text = pdf_text(body)
    assert "李明" in text and ended.case_number in text
    assert "2026年11月1日" in text and "《社区矫正法》第四十四条" in text
    assert all(embedded_fonts(body).values()) and embedded_fonts(body)
    import hashlib

    assert hashlib.sha256(body).hexdigest() == certificate["sha256"]
    notices = Notice.objects.filter(supervisee=ended).order_by("to_agency__kind")
    assert [(n.kind, n.to_agency.kind, n.document_id) for n in notices] == [
        ("release", "court", certificate["id"]),
        ("release", "police", certificate["id"]),
        ("release", "procuratorate", certificate["id"]),
    ]


def test_the_police_see_the_release_notice_and_mark_it_received(api_as, police, supervisor, ended):
    supervisee_transition(
        supervisee=ended, by=supervisor, to=Status.TERMINATED, on=dt.date(2026, 11, 1), reason="expired"
    )
    inbox = api_as(police).get("/api/v1/notices/?box=inbox").json()
    assert inbox["count"] == 1
    notice = inbox["results"][0]
    assert notice["kind"] == "release" and notice["supervisee"] == ended.pk and notice["received_at"] is None
    # The notice lets the police read the case and the certificate sent with it.
    assert api_as(police).get(f"/api/v1/supervisees/{ended.pk}/").status_code == 200
    assert api_as(police).get(f"/api/v1/documents/{notice['document']}/pdf/").status_code == 200
    received = api_as(police).post(f"/api/v1/notices/{notice['id']}/receive/")
    assert received.status_code == 200 and received.json()["received_at"]
    again = api_as(police).post(f"/api/v1/notices/{notice['id']}/receive/")
    assert again.status_code == 409


def test_intake_writes_the_announcement_and_the_receipt(agencies, office, officer):
    case = SuperviseeFactory(
        name="王芳",
        justice_office=office,
        status=Status.PENDING_REPORT,
        sentence__deciding_agency=agencies["court"],
    )
    supervisee_transition(supervisee=case, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 15))
    document = Document.objects.get(supervisee=case)
    assert document.kind == "intake_announcement" and document.number == "临城司法所矫宣〔2026〕1号"
    text = pdf_text(bytes(document.file.pdf))
    assert "王芳" in text and case.case_number in text and "2026年1月15日" in text
    notice = Notice.objects.get(supervisee=case)
    assert (notice.kind, notice.to_agency, notice.document) == ("intake_receipt", agencies["court"], document)


def test_death_writes_notices_and_no_document(agencies, office, officer, ended):
    supervisee_transition(supervisee=ended, by=officer, to=Status.DECEASED, on=dt.date(2026, 10, 1))
    assert not Document.objects.filter(supervisee=ended).exists()
    assert sorted(Notice.objects.filter(supervisee=ended).values_list("kind", "to_agency__kind")) == [
        ("death", "court"),
        ("death", "police"),
        ("death", "procuratorate"),
    ]


def test_the_announcement_states_the_intake_checklist(agencies, office, officer):
    """An intake with its checklist (corrections.services.supervisee_intake) writes what was done into the
    announcement; the team must meet CCL 25 before "team set up" is ticked."""
    from corrections.constants import IntakeItem
    from corrections.services import supervisee_intake
    from corrections.teams import team_member_add

    case = SuperviseeFactory(
        name="刘洋",
        justice_office=office,
        status=Status.PENDING_REPORT,
        sentence__deciding_agency=agencies["court"],
    )
    team_member_add(supervisee=case, by=officer, name="刘父", role="family")
    supervisee_intake(
        supervisee=case, by=officer, on=dt.date(2026, 1, 15), checklist=dict.fromkeys(IntakeItem.values, True)
    )
    text = pdf_text(bytes(Document.objects.get(supervisee=case).file.pdf))
    assert "接收时已办理" in text and "核实身份" in text


def test_a_person_who_absconded_before_reporting_gets_the_announcement_at_intake(agencies, office, officer):
    case = SuperviseeFactory(
        justice_office=office, status=Status.PENDING_REPORT, sentence__deciding_agency=agencies["court"]
    )
    supervisee_transition(supervisee=case, by=officer, to=Status.ABSCONDED, on=dt.date(2026, 1, 12))
    supervisee_transition(supervisee=case, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 20))
    assert [d.kind for d in Document.objects.filter(supervisee=case)] == ["intake_announcement"]
    # A return from absconding after intake is no second intake.
    supervisee_transition(supervisee=case, by=officer, to=Status.ABSCONDED, on=dt.date(2026, 2, 1))
    supervisee_transition(supervisee=case, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 2, 10))
    assert Document.objects.filter(supervisee=case).count() == 1
