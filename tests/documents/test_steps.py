"""The other steps of API.md v1.1 "What each step writes": an approved admonition or warning writes its
decision (a warning also a `measure` notice to the procuratorate); approved leave writes its approval (at
the city level also a `leave_city_level` notice to the procuratorate); a revocation, recommitment or
police-penalty proposal, once sent, writes its letter and a `proposal_copy` notice to the
procuratorate, and the court it was sent to reads the letter. A rejected decision writes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from coordination.services import referral_create, referral_send
from documents.models import Document, Notice
from supervision.services.leave import leave_request_approve, leave_request_create, leave_request_reject
from supervision.services.measures import measure_approve, measure_propose
from tests.factories import LEAVE_BY_THE_LAW, SuperviseeFactory

from .pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(agencies, office, officer, court):
    return SuperviseeFactory(
        name="赵强", justice_office=office, officer=officer, sentence__deciding_agency=court
    )


def written(record):
    source = (record._meta.label_lower, str(record.pk))
    return (
        list(Document.objects.filter(source_type=source[0], source_id=source[1])),
        list(Notice.objects.filter(source_type=source[0], source_id=source[1]).select_related("to_agency")),
    )


@pytest.mark.parametrize(
    ("kind", "title", "notified"),
    [("admonition", "训诫决定书", []), ("warning", "警告决定书", ["procuratorate"])],
)
def test_an_approved_measure_writes_its_decision(agencies, case, officer, supervisor, kind, title, notified):
    measure = measure_propose(
        supervisee=case, by=officer, kind=kind, reason="未按时报到", occurred_on=dt.date(2026, 11, 20)
    )
    assert written(measure) == ([], [])  # a proposal writes nothing yet
    measure_approve(measure=measure, by=supervisor)
    documents, notices = written(measure)
    assert [d.title for d in documents] == [title]
    assert documents[0].number == f"薛城区司法局{'矫训' if kind == 'admonition' else '矫警'}〔2026〕1号"
    text = pdf_text(bytes(documents[0].file.pdf))
    assert "赵强" in text and case.case_number in text and "2026年11月20日" in text and "未按时报到" in text
    assert "《社区矫正法》第二十八条" in text
    assert [(n.kind, n.to_agency.kind, n.document_id) for n in notices] == [
        ("measure", agency, documents[0].pk) for agency in notified
    ]


def _leave(case, by, days):
    start = timezone.localdate() + dt.timedelta(days=1)
    return leave_request_create(
        supervisee=case,
        by=by,
        **LEAVE_BY_THE_LAW,
        destination="山东省济南市",
        reason="探望住院的母亲",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
    )


def test_approved_leave_writes_its_approval(case, officer, colleague):
    leave = _leave(case, officer, 3)
    leave_request_approve(leave=leave, by=colleague)
    documents, notices = written(leave)
    assert [d.kind for d in documents] == ["leave_approval"] and notices == []
    text = pdf_text(bytes(documents[0].file.pdf))
    assert "山东省济南市" in text and "探望住院的母亲" in text and "共3日" in text and "司法所" in text


def test_city_level_leave_notifies_the_procuratorate(agencies, case, officer, supervisor):
    leave = _leave(case, officer, 31)
    assert leave.notify_procuratorate
    leave_request_approve(leave=leave, by=supervisor, note="枣司矫〔2026〕12号")
    documents, notices = written(leave)
    assert [(n.kind, n.to_agency, n.document) for n in notices] == [
        ("leave_city_level", agencies["procuratorate"], documents[0])
    ]


def test_rejected_leave_writes_nothing(case, officer, colleague):
    leave = _leave(case, officer, 3)
    leave_request_reject(leave=leave, by=colleague, note="理由不充分")
    assert written(leave) == ([], [])


def test_a_sent_revocation_proposal_writes_its_letter_and_copies_the_procuratorate(
    api_as, agencies, case, officer, judge
):
    referral = referral_create(
        supervisee=case,
        by=officer,
        to_agency=agencies["court"],
        kind="revocation_proposal",
        summary="该社区矫正对象两次受到警告仍不改正。",
    )
    assert written(referral) == ([], [])  # a draft writes nothing
    referral_send(referral=referral, by=officer)
    documents, notices = written(referral)
    assert [d.title for d in documents] == ["提请撤销缓刑建议书"]
    text = pdf_text(bytes(documents[0].file.pdf))
    assert "薛城区人民法院" in text and "两次受到警告仍不改正" in text and "提请依法撤销缓刑" in text
    assert "《刑法》第七十七条第二款" in text
    assert [(n.kind, n.to_agency) for n in notices] == [("proposal_copy", agencies["procuratorate"])]
    # The court it was sent to reads the letter; the police, who got nothing, see no case at all.
    assert api_as(judge).get(f"/api/v1/documents/{documents[0].pk}/pdf/").status_code == 200
    listing = api_as(judge).get(f"/api/v1/supervisees/{case.pk}/documents/").json()
    assert [d["id"] for d in listing["results"]] == [documents[0].pk]


def test_an_absconder_search_writes_no_letter(agencies, case, officer):
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="失联"
    )
    referral_send(referral=referral, by=officer)
    assert written(referral) == ([], [])
