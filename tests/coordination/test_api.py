"""API v1 for referrals: shapes, from_agency from the user, scoping (404), roles (403), states (409),
bad input (400), attachments, idempotency and a fixed query count."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from coordination.models import Referral
from coordination.services import referral_create, referral_send
from tests.factories import SuperviseeFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db
URL = "/api/v1/referrals/"
FIELDS = {
    "id",
    "supervisee",
    "from_agency",
    "to_agency",
    "kind",
    "status",
    "summary",
    "due_date",
    "messages",
    "outcome",
    "adopted",
    "attachments",
    # An addition: the arrest request of a revocation proposal (CCL 47), null on every other referral.
    "arrest_request",
    "created_at",
    "sent_at",
}


def url(referral, action=""):
    return f"{URL}{referral.pk}/" + (f"{action}/" if action else "")


def test_create_takes_from_agency_from_the_user(api_as, case, officer, agencies):
    body = {
        "supervisee": case.pk,
        "to_agency": agencies["police"].pk,
        "from_agency": agencies["procuratorate"].pk,  # ignored
        "kind": "absconder_search",
        "summary": "失联，请协助查找",
    }
    response = api_as(officer).post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == FIELDS
    assert (data["from_agency"], data["to_agency"], data["status"]) == (
        officer.agency_id,
        agencies["police"].pk,
        "draft",
    )
    assert data["messages"] == [] and data["attachments"] == []
    assert AuditEvent.objects.filter(action="create", target_id=str(data["id"])).exists()


def test_create_refusals(api_as, case, agencies, police, other_office_officer, officer):
    body = {
        "supervisee": case.pk,
        "to_agency": agencies["police"].pk,
        "kind": "absconder_search",
        "summary": "x",
    }
    # The police never create referrals: refused by the role, before the case is looked up (docs/roles.md
    # principle 2); an officer may create some, so a case of another office is out of scope.
    assert api_as(police).post(URL, body, format="json").status_code == 403
    assert api_as(other_office_officer).post(URL, body, format="json").status_code == 404
    bad = api_as(officer).post(URL, {**body, "to_agency": agencies["court"].pk}, format="json")
    assert bad.status_code == 400 and "to_agency" in bad.json()
    assert api_as(officer).post(URL, {**body, "to_agency": 999999}, format="json").status_code == 400
    assert api_as(officer).post(URL, {**body, "kind": "nonsense"}, format="json").status_code == 400
    assert not Referral.objects.exists()


def test_parole_penalty_refused_naming_the_rule(api_as, office, officer, agencies):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category="parole")
    body = {
        "supervisee": case.pk,
        "to_agency": agencies["police"].pk,
        "kind": "public_security_penalty",
        "summary": "x",
    }
    response = api_as(officer).post(URL, body, format="json")
    assert response.status_code == 400
    message = response.json()["kind"][0]
    assert "propose revoking parole instead" in message
    # Cites what the texts support (CL 86 para. 3; SPC 543 para. 2), no longer CCL 46.
    assert "Criminal Law art. 86 para. 3" in message and "art. 543 para. 2" in message
    assert "Community Correction Law" not in message


def test_procurator_creates_only_notices(api_as, case, procurator, office, agencies):
    body = {"supervisee": case.pk, "to_agency": office.pk, "kind": "procuratorial_notice", "summary": "建议"}
    response = api_as(procurator).post(URL, body, format="json")
    assert response.status_code == 201 and response.json()["from_agency"] == procurator.agency_id
    other = {**body, "kind": "document_handover", "to_agency": agencies["court"].pk}
    assert api_as(procurator).post(URL, other, format="json").status_code == 403


def test_create_honours_idempotency_key(api_as, case, officer, agencies):
    body = {
        "supervisee": case.pk,
        "to_agency": agencies["police"].pk,
        "kind": "absconder_search",
        "summary": "x",
    }
    client = api_as(officer)
    first = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1


def test_the_receiver_sees_the_referral_only_once_sent(api_as, police_referral, officer, police, judge):
    assert api_as(police).get(url(police_referral)).status_code == 404
    assert api_as(police).get(URL).json()["count"] == 0
    response = api_as(officer).post(url(police_referral, "send"))
    assert response.status_code == 200 and response.json()["status"] == "sent"
    assert response.json()["due_date"] is not None
    assert api_as(police).get(url(police_referral)).status_code == 200
    assert api_as(police).get(f"/api/v1/supervisees/{police_referral.supervisee_id}/").status_code == 200
    assert api_as(judge).get(url(police_referral)).status_code == 404  # not a party


def test_a_full_conversation(api_as, sent_referral, officer, police):
    response = api_as(officer).post(url(sent_referral, "respond"), {"body": "家属电话 138"}, format="json")
    assert response.status_code == 201
    assert api_as(police).post(url(sent_referral, "accept")).json()["status"] == "accepted"
    response = api_as(police).post(url(sent_referral, "respond"), {"body": "已布控"}, format="json")
    messages = response.json()["messages"]
    assert [(m["author"], m["agency"], m["body"]) for m in messages] == [
        (officer.username, officer.agency_id, "家属电话 138"),
        (police.username, police.agency_id, "已布控"),
    ]
    done = api_as(police).post(
        url(sent_referral, "complete"), {"outcome": "已找到，移交司法所"}, format="json"
    )
    assert done.status_code == 200 and done.json()["outcome"] == "已找到，移交司法所"
    assert done.json()["status"] == "completed"
    actions = list(
        AuditEvent.objects.filter(target_type="coordination.referral", target_id=str(sent_referral.pk))
        .order_by("id")
        .values_list("action", "changes__status__after")
    )
    assert actions == [
        ("create", None),
        ("transition", "sent"),
        ("transition", "accepted"),
        ("transition", "completed"),
    ]


def test_403_for_a_visible_referral_the_role_may_not_act_on(
    api_as, sent_referral, procurator, supervisor, officer
):
    # The procuratorate reads every referral of the district, and acts on none it did not send.
    assert api_as(procurator).get(url(sent_referral)).status_code == 200
    for action in ("accept", "withdraw", "send"):
        assert api_as(procurator).post(url(sent_referral, action)).status_code == 403
    assert (
        api_as(procurator).post(url(sent_referral, "respond"), {"body": "x"}, format="json").status_code
        == 403
    )
    # The sender may not answer its own referral.
    assert api_as(officer).post(url(sent_referral, "accept")).status_code == 403
    assert (
        api_as(supervisor).post(url(sent_referral, "reject"), {"note": "x"}, format="json").status_code == 403
    )


def test_404_out_of_scope(api_as, sent_referral, other_office_officer, judge, social_worker):
    for user in (other_office_officer, judge, social_worker):
        assert api_as(user).get(url(sent_referral)).status_code == 404
    for user in (other_office_officer, judge):  # they answer the referrals addressed to them
        assert api_as(user).post(url(sent_referral, "accept")).status_code == 404
    # Social workers never act on a referral: refused by their role, before the referral is looked up
    # (docs/roles.md principle 2), so this answer says nothing about it either.
    assert api_as(social_worker).post(url(sent_referral, "accept")).status_code == 403
    assert api_as(other_office_officer).get(f"{URL}abc/").status_code == 404


def test_409_for_a_move_the_state_does_not_allow(api_as, sent_referral, officer, police):
    assert (
        api_as(officer).post(url(sent_referral, "withdraw"), {"note": "已联系上"}, format="json").status_code
        == 200
    )
    response = api_as(police).get(url(sent_referral))
    assert response.status_code == 404  # withdrawn: no longer the receiver's to see
    assert api_as(officer).post(url(sent_referral, "send")).status_code == 409
    assert api_as(officer).post(url(sent_referral, "withdraw")).status_code == 409
    assert (
        api_as(officer).post(url(sent_referral, "respond"), {"body": "x"}, format="json").status_code == 409
    )


def test_accepting_a_rejected_referral_is_409(api_as, sent_referral, police):
    assert api_as(police).post(url(sent_referral, "reject"), {}, format="json").status_code == 400
    assert (
        api_as(police).post(url(sent_referral, "reject"), {"note": "无管辖权"}, format="json").status_code
        == 200
    )
    response = api_as(police).post(url(sent_referral, "accept"))
    assert response.status_code == 409 and response.json()["detail"]
    assert (
        api_as(police).post(url(sent_referral, "complete"), {"outcome": "x"}, format="json").status_code
        == 409
    )


def test_notice_completion_needs_the_written_reply(api_as, case, procurator, office, officer):
    notice = referral_create(
        supervisee=case, by=procurator, to_agency=office, kind="procuratorial_notice", summary="建议纠正"
    )
    referral_send(referral=notice, by=procurator)
    client = api_as(officer)
    assert client.post(url(notice, "accept")).status_code == 200
    assert client.post(url(notice, "complete"), {"outcome": ""}, format="json").status_code == 400
    response = client.post(url(notice, "complete"), {"outcome": "已研究"}, format="json")
    assert response.status_code == 400 and "adopted" in response.json()
    response = client.post(url(notice, "complete"), {"outcome": "不采纳", "adopted": False}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()
    response = client.post(
        url(notice, "complete"),
        {"outcome": "不采纳。理由：该对象按时报到，无违规记录。", "adopted": False},
        format="json",
    )
    assert response.status_code == 200 and response.json()["adopted"] is False
    assert api_as(procurator).get(url(notice)).json()["status"] == "completed"


def test_boxes_and_filters(api_as, case, sent_referral, officer, police, agencies):
    draft = referral_create(
        supervisee=case, by=officer, to_agency=agencies["court"], kind="document_handover", summary="x"
    )
    ids = lambda response: [r["id"] for r in response.json()["results"]]  # noqa: E731
    assert ids(api_as(officer).get(URL, {"box": "outbox"})) == [draft.pk, sent_referral.pk]
    assert ids(api_as(officer).get(URL, {"box": "inbox"})) == []
    assert ids(api_as(police).get(URL, {"box": "inbox"})) == [sent_referral.pk]
    assert ids(api_as(officer).get(URL, {"status": "draft"})) == [draft.pk]
    assert ids(api_as(officer).get(URL, {"kind": "absconder_search", "supervisee": case.pk})) == [
        sent_referral.pk
    ]
    assert api_as(officer).get(URL, {"status": "open"}).status_code == 400
    assert api_as(officer).get(URL, {"box": "trash"}).status_code == 400


def test_supervisor_and_procurator_see_the_districts_referrals(
    api_as, sent_referral, supervisor, procurator, other_office_officer
):
    assert api_as(supervisor).get(URL).json()["count"] == 1
    assert api_as(procurator).get(URL).json()["count"] == 1
    assert api_as(other_office_officer).get(URL).json()["count"] == 0


@pytest.mark.parametrize("page_size", [2, 10])
def test_list_query_count_is_fixed(api_as, office, officer, agencies, django_assert_num_queries, page_size):
    for _n in range(12):
        case = SuperviseeFactory(justice_office=office, officer=officer)
        referral = referral_create(
            supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="x"
        )
        referral_send(referral=referral, by=officer)
        from coordination.services import referral_respond

        referral_respond(referral=referral, by=officer, body="a")
        referral_respond(referral=referral, by=officer, body="b")
    client = api_as(officer)
    # count, page, messages (with authors), attachments, the list read's audit row
    with django_assert_num_queries(5):
        response = client.get(URL, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size
    assert all(len(r["messages"]) == 2 for r in response.json()["results"])


def test_attachments_upload_and_download_by_parties(api_as, sent_referral, officer, police, procurator):
    upload = SimpleUploadedFile("判决书.pdf", PDF_BYTES, content_type="application/pdf")
    response = api_as(officer).post(url(sent_referral, "attachments"), {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"id", "name", "size", "sha256", "content_type", "uploaded_at"}
    assert data["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest() and data["size"] == len(PDF_BYTES)
    listed = api_as(police).get(url(sent_referral)).json()["attachments"]
    assert [a["id"] for a in listed] == [data["id"]]
    download = api_as(police).get(f"{url(sent_referral)}attachments/{data['id']}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    event = AuditEvent.objects.get(action="export", target_type="coordination.referralattachment")
    assert (event.actor_id, event.supervisee_id) == (police.pk, sent_referral.supervisee_id)
    # The procuratorate reads the referral but does not take its documents away.
    assert api_as(procurator).get(f"{url(sent_referral)}attachments/{data['id']}/").status_code == 403
    assert api_as(police).get(f"{url(sent_referral)}attachments/999999/").status_code == 404


def test_attachment_refusals(api_as, settings, sent_referral, officer):
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/pdf")
    response = api_as(officer).post(url(sent_referral, "attachments"), {"file": big}, format="multipart")
    assert response.status_code == 400 and "limit" in response.json()["file"][0]
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 1024
    fake = SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = api_as(officer).post(url(sent_referral, "attachments"), {"file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert api_as(officer).post(url(sent_referral, "attachments"), {}, format="multipart").status_code == 400
