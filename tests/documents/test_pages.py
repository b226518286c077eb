"""The pages of documents and notices: the notices page (received, with the receipt button; sent, with
whether each was received), the case page's documents panel with its correction form, and the
dashboard's notices panel. Both languages; out of scope is 404."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from corrections.constants import Status
from corrections.services import supervisee_transition
from documents.models import Document, Notice
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    """The pages in Chinese, the office's language (the test settings default to English)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    return client


@pytest.fixture
def released(agencies, office, officer, supervisor, court):
    case = SuperviseeFactory(
        name="周平",
        justice_office=office,
        officer=officer,
        sentence__deciding_agency=court,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
    )
    supervisee_transition(
        supervisee=case, by=supervisor, to=Status.TERMINATED, on=dt.date(2026, 11, 1), reason="expired"
    )
    return case


def test_the_police_receive_a_notice_on_the_notices_page(client, police, released):
    client.force_login(police)
    html = client.get("/notices/").content.decode()
    notice = Notice.objects.get(to_agency=police.agency)
    assert "周平" in html and "解除矫正" in html and "签收" in html
    assert f'action="/notices/{notice.pk}/receive/"' in html
    response = client.post(f"/notices/{notice.pk}/receive/", follow=True)
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.received_by == police and notice.received_at
    html = response.content.decode()
    assert "已签收" in html and f'action="/notices/{notice.pk}/receive/"' not in html
    # Twice: the page says it was already received, and nothing changes.
    response = client.post(f"/notices/{notice.pk}/receive/", follow=True)
    assert "已于" in response.content.decode()
    assert AuditEvent.objects.filter(action="transition", target_type="documents.notice").count() == 1


def test_the_sender_sees_whether_each_notice_was_received_in_english(client, supervisor, released):
    client.force_login(supervisor)
    html = client.get("/notices/?box=outbox", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count("Not yet received") == 3


def test_roles_without_notices_and_notices_of_others(client, social_worker, officer, police, released):
    client.force_login(social_worker)
    assert client.get("/notices/").status_code == 403
    client.force_login(officer)  # the bureau sent these, not the officer's office
    notice = Notice.objects.get(to_agency=police.agency)
    assert client.post(f"/notices/{notice.pk}/receive/").status_code == 404
    assert client.get("/notices/?box=nonsense").status_code == 400


def test_the_case_page_lists_the_documents_and_corrects_one(client, officer, released):
    certificate = Document.objects.get(supervisee=released)
    client.force_login(officer)
    html = client.get(f"/supervisees/{released.pk}/").content.decode()
    assert "解除社区矫正证明书" in html and certificate.number in html
    assert f'href="/api/v1/documents/{certificate.pk}/pdf/"' in html
    pdf = client.get(f"/api/v1/documents/{certificate.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # An empty reason is refused by its field, on the case page, and nothing is issued.
    url = f"/supervisees/{released.pk}/documents/{certificate.pk}/correct/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "请说明更正的内容" in response.content.decode()
    assert Document.objects.filter(supervisee=released).count() == 1
    response = client.post(url, {"reason": "出生日期有误"}, follow=True)
    corrected = Document.objects.get(replaces=certificate)
    html = response.content.decode()
    assert corrected.number in html and f"更正 {certificate.number}" in html


def test_the_police_see_only_the_documents_sent_to_them(client, police, released):
    client.force_login(police)
    html = client.get(f"/supervisees/{released.pk}/").content.decode()
    assert "解除社区矫正证明书" in html and "更正…" not in html


def test_a_social_worker_on_the_team_sees_no_documents(client, office, officer, social_worker):
    from corrections.teams import team_member_add

    case = SuperviseeFactory(justice_office=office, officer=officer, status=Status.PENDING_REPORT)
    supervisee_transition(supervisee=case, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 11, 20))
    team_member_add(supervisee=case, by=officer, name="杨晓燕", role="social_worker", user=social_worker)
    announcement = Document.objects.get(supervisee=case)
    client.force_login(social_worker)
    html = client.get(f"/supervisees/{case.pk}/").content.decode()
    # The timeline says a document was issued (its kind and number, no personal data); nothing opens it.
    assert 'id="documents"' not in html
    assert f"/api/v1/documents/{announcement.pk}/pdf/" not in html
    assert client.get(f"/api/v1/documents/{announcement.pk}/pdf/").status_code == 404


def test_the_dashboard_lists_the_notices_to_receive(client, procurator, released):
    client.force_login(procurator)
    html = client.get("/").content.decode()
    assert "待签收的通知" in html and "周平" in html
