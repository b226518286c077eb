"""Referral services: who may create, send, answer and close what; deadlines; case grants; CCL 62."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from guardian.models import GroupObjectPermission

from accounts.constants import AgencyKind
from accounts.models import AuditEvent
from config.api import StateConflict
from coordination.constants import REFERRAL_TRANSITIONS, ReferralStatus
from coordination.models import ReferralAttachment, ReferralDeadline
from coordination.services import (
    referral_accept,
    referral_attach,
    referral_complete,
    referral_create,
    referral_reject,
    referral_respond,
    referral_send,
    referral_withdraw,
)
from corrections.models import SuperviseeGroupObjectPermission
from tests.factories import AgencyFactory, DistrictFactory, SuperviseeFactory

from .conftest import PDF_BYTES, PNG_BYTES, office_zip, upload

pytestmark = pytest.mark.django_db


def grants(agency):
    agency.refresh_from_db()
    if agency.group_id is None:
        return set()
    return set(
        SuperviseeGroupObjectPermission.objects.filter(
            group_id=agency.group_id, permission__codename="view_supervisee"
        ).values_list("content_object_id", flat=True)
    )


# --- creating ----------------------------------------------------------------------------------------


def test_create_is_a_draft_from_the_creators_agency_and_audited(case, officer, agencies):
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary=" 查找 "
    )
    assert (referral.status, referral.from_agency_id, referral.summary) == (
        "draft",
        officer.agency_id,
        "查找",
    )
    assert referral.created_by == officer and referral.sent_at is None
    event = AuditEvent.objects.get(target_type="coordination.referral", target_id=str(referral.pk))
    assert (event.action, event.supervisee_id, event.actor_id) == ("create", case.pk, officer.pk)
    assert event.changes["from_agency"] == officer.agency_id


def test_supervisor_creates_for_any_case_of_the_district(case, supervisor, agencies):
    referral = referral_create(
        supervisee=case, by=supervisor, to_agency=agencies["court"], kind="document_handover", summary="送达"
    )
    assert referral.from_agency_id == supervisor.agency_id


@pytest.mark.parametrize("who", ["other_office_officer", "judge", "police", "social_worker"])
def test_roles_that_may_not_create(request, case, agencies, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        referral_create(
            supervisee=case, by=user, to_agency=agencies["court"], kind="document_handover", summary="x"
        )


def test_procuratorate_issues_only_notices_to_the_justice_side(case, procurator, agencies, office, bureau):
    for to in (office, bureau):
        notice = referral_create(
            supervisee=case, by=procurator, to_agency=to, kind="procuratorial_notice", summary="建议纠正"
        )
        assert notice.from_agency_id == procurator.agency_id
    with pytest.raises(PermissionDenied):
        referral_create(
            supervisee=case, by=procurator, to_agency=office, kind="document_handover", summary="x"
        )
    with pytest.raises(ValidationError) as error:
        referral_create(
            supervisee=case,
            by=procurator,
            to_agency=agencies["police"],
            kind="procuratorial_notice",
            summary="x",
        )
    assert "to_agency" in error.value.message_dict


def test_justice_side_may_not_issue_notices(case, officer, bureau):
    with pytest.raises(PermissionDenied):
        referral_create(
            supervisee=case, by=officer, to_agency=bureau, kind="procuratorial_notice", summary="x"
        )


@pytest.mark.parametrize(
    ("category", "kind", "to", "field", "words"),
    [
        ("probation", "absconder_search", "court", "to_agency", "police"),
        ("probation", "public_security_penalty", "court", "to_agency", "police"),
        ("parole", "public_security_penalty", "police", "kind", "propose revoking parole instead"),
        ("control", "revocation_proposal", "court", "kind", "probation or parole"),
        ("probation", "revocation_proposal", "police", "to_agency", "court"),
        ("probation", "recommitment_proposal", "court", "kind", "temporary execution"),
        ("probation", "transfer", "police", "to_agency", "justice"),
        ("probation", "other", "office", "to_agency", "not your own"),
    ],
)
def test_kind_and_addressee_must_agree(agencies, office, officer, category, kind, to, field, words):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=category)
    to_agency = office if to == "office" else agencies[to]
    with pytest.raises(ValidationError) as error:
        referral_create(supervisee=case, by=officer, to_agency=to_agency, kind=kind, summary="x")
    assert words in " ".join(error.value.message_dict[field])


def test_public_security_penalty_is_fine_for_probation(case, officer, agencies):
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="public_security_penalty", summary="x"
    )
    assert referral.kind == "public_security_penalty"


def test_revocation_goes_to_the_deciding_court_or_a_court_of_the_place_of_execution(
    agencies, office, officer
):
    # CCL 46 para. 3: the original trial court (here an intermediate court of another district) or the
    # court of the place of execution (the district court of the office in charge).
    elsewhere = DistrictFactory(code="370400", name="市辖区")
    intermediate = AgencyFactory(kind=AgencyKind.COURT, district=elsewhere, name="枣庄中院")
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__category="parole",
        sentence__deciding_agency=intermediate,
    )
    to_deciding = referral_create(
        supervisee=case,
        by=officer,
        to_agency=intermediate,
        kind="revocation_proposal",
        summary="提请撤销假释",
    )
    assert to_deciding.to_agency == intermediate
    to_execution_place = referral_create(
        supervisee=case,
        by=officer,
        to_agency=agencies["court"],
        kind="revocation_proposal",
        summary="提请撤销假释",
    )
    assert to_execution_place.to_agency == agencies["court"]
    other_court = AgencyFactory(kind=AgencyKind.COURT, district=elsewhere, name="外区法院")
    with pytest.raises(ValidationError) as error:  # neither the deciding court nor the execution place's
        referral_create(
            supervisee=case, by=officer, to_agency=other_court, kind="revocation_proposal", summary="x"
        )
    assert "district" in error.value.message_dict["to_agency"][0]
    stranger = AgencyFactory(kind=AgencyKind.POLICE, district=elsewhere, name="外区公安")
    with pytest.raises(ValidationError) as error:
        referral_create(supervisee=case, by=officer, to_agency=stranger, kind="absconder_search", summary="x")
    assert "district" in error.value.message_dict["to_agency"][0]


def test_recommitment_goes_to_the_deciding_agency_or_the_execution_place_s_agency_of_that_kind(
    agencies, office, officer
):
    # CCL 49 para. 1: decided by a prison administration elsewhere; the proposal may go to it, or to the
    # place of execution's agency of the same kind, but not to the district court.
    elsewhere = DistrictFactory(code="370400", name="市辖区")
    far_prison = AgencyFactory(kind=AgencyKind.PRISON, district=elsewhere, name="外地监狱管理局")
    local_prison = AgencyFactory(kind=AgencyKind.PRISON, district=office.district, name="本区监狱")
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__category="temporary_execution",
        sentence__deciding_agency=far_prison,
    )
    for to_agency in (far_prison, local_prison):
        referral = referral_create(
            supervisee=case, by=officer, to_agency=to_agency, kind="recommitment_proposal", summary="收监"
        )
        assert referral.to_agency == to_agency
    with pytest.raises(ValidationError) as error:
        referral_create(
            supervisee=case,
            by=officer,
            to_agency=agencies["court"],
            kind="recommitment_proposal",
            summary="x",
        )
    assert "same kind" in error.value.message_dict["to_agency"][0]
    assert "art. 49" in error.value.message_dict["to_agency"][0]


def test_recommitment_for_temporary_execution(agencies, office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category="temporary_execution")
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["court"], kind="recommitment_proposal", summary="收监"
    )
    assert referral.status == "draft"


# --- sending: deadline and grant ---------------------------------------------------------------------


def test_send_sets_due_date_from_the_deadline_and_grants_the_case(case, officer, agencies, police_referral):
    today = timezone.localdate()
    referral = referral_send(referral=police_referral, by=officer)
    assert referral.status == "sent" and referral.sent_at is not None
    assert referral.due_date == today + dt.timedelta(days=7)  # the default row for absconder_search
    assert grants(agencies["police"]) == {case.pk}
    # guardian picked the direct foreign-key table, not its generic one.
    assert not GroupObjectPermission.objects.exists()
    event = AuditEvent.objects.filter(target_id=str(referral.pk), action="transition").get()
    assert event.changes["status"] == {"before": "draft", "after": "sent"}
    assert event.supervisee_id == case.pk


def test_district_deadline_over_default_and_latest_in_force(case, officer, agencies, district):
    today = timezone.localdate()
    ReferralDeadline.objects.create(
        district=district, kind="absconder_search", days=3, effective_from=dt.date(2024, 1, 1)
    )
    ReferralDeadline.objects.create(
        district=district, kind="absconder_search", days=4, effective_from=dt.date(2025, 1, 1)
    )
    ReferralDeadline.objects.create(
        district=district, kind="absconder_search", days=99, effective_from=today + dt.timedelta(days=1)
    )
    ReferralDeadline.objects.create(
        district=None, kind="absconder_search", days=2, effective_from=dt.date(2026, 1, 1)
    )
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="x"
    )
    assert referral_send(referral=referral, by=officer).due_date == today + dt.timedelta(days=4)


def test_no_deadline_keeps_the_callers_due_date(case, officer, agencies):
    due = timezone.localdate() + dt.timedelta(days=12)
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="other", summary="x", due_date=due
    )
    assert referral_send(referral=referral, by=officer).due_date == due


def test_a_supervisor_acts_as_sender_for_an_offices_referral(police_referral, supervisor):
    assert referral_send(referral=police_referral, by=supervisor).status == "sent"


# --- the transition table ----------------------------------------------------------------------------


def _in_state(state, *, case, officer, police, agencies):
    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="x"
    )
    if state == "draft":
        return referral
    if state == "withdrawn":
        return referral_withdraw(referral=referral, by=officer)
    referral = referral_send(referral=referral, by=officer)
    if state == "sent":
        return referral
    if state == "rejected":
        return referral_reject(referral=referral, by=police, note="不属于本局管辖")
    referral = referral_accept(referral=referral, by=police)
    if state == "accepted":
        return referral
    return referral_complete(referral=referral, by=police, outcome="已找到")


ACTIONS = {
    "sent": lambda r, officer, police: referral_send(referral=r, by=officer),
    "withdrawn": lambda r, officer, police: referral_withdraw(referral=r, by=officer),
    "accepted": lambda r, officer, police: referral_accept(referral=r, by=police),
    "rejected": lambda r, officer, police: referral_reject(referral=r, by=police, note="理由"),
    "completed": lambda r, officer, police: referral_complete(referral=r, by=police, outcome="结果"),
}


@pytest.mark.parametrize("start", ReferralStatus.values)
@pytest.mark.parametrize("to", list(ACTIONS))
def test_every_transition_allowed_or_refused(case, officer, police, agencies, start, to):
    referral = _in_state(start, case=case, officer=officer, police=police, agencies=agencies)
    assert referral.status == start
    if to in REFERRAL_TRANSITIONS[start]:
        assert ACTIONS[to](referral, officer, police).status == to
    else:
        with pytest.raises(StateConflict):
            ACTIONS[to](referral, officer, police)
        referral.refresh_from_db()
        assert referral.status == start


@pytest.mark.parametrize("to", ["accepted", "rejected", "completed"])
def test_the_sender_may_not_answer_its_own_referral(sent_referral, officer, to):
    with pytest.raises(PermissionDenied):
        ACTIONS[to](sent_referral, officer, officer)


@pytest.mark.parametrize("to", ["sent", "withdrawn"])
def test_the_receiver_may_not_send_or_withdraw(police_referral, police, to):
    with pytest.raises(PermissionDenied):
        ACTIONS[to](police_referral, police, police)


def test_third_parties_may_not_act(sent_referral, procurator, judge, other_office_officer):
    for user in (procurator, judge, other_office_officer):
        with pytest.raises(PermissionDenied):
            referral_accept(referral=sent_referral, by=user)
        with pytest.raises(PermissionDenied):
            referral_withdraw(referral=sent_referral, by=user)


def test_reject_needs_a_note(sent_referral, police):
    with pytest.raises(ValidationError) as error:
        referral_reject(referral=sent_referral, by=police, note="  ")
    assert "note" in error.value.message_dict
    referral = referral_reject(referral=sent_referral, by=police, note="无管辖权")
    assert (referral.status, referral.outcome) == ("rejected", "无管辖权")


def test_complete_needs_an_outcome(accepted_referral, police):
    with pytest.raises(ValidationError) as error:
        referral_complete(referral=accepted_referral, by=police, outcome="")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError):  # only a procuratorial notice is adopted or not
        referral_complete(referral=accepted_referral, by=police, outcome="已找到", adopted=True)


# --- grants on withdrawal ----------------------------------------------------------------------------


def test_withdrawal_revokes_the_grant(sent_referral, officer, agencies):
    referral_withdraw(referral=sent_referral, by=officer, note="已联系上")
    assert grants(agencies["police"]) == set()
    assert sent_referral.messages.get().body == "已联系上"


def test_withdrawal_keeps_the_grant_while_another_referral_stands(case, sent_referral, officer, agencies):
    other = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="public_security_penalty", summary="x"
    )
    referral_send(referral=other, by=officer)
    referral_withdraw(referral=sent_referral, by=officer)
    assert grants(agencies["police"]) == {case.pk}
    referral_withdraw(referral=other, by=officer)
    assert grants(agencies["police"]) == set()


# --- the thread --------------------------------------------------------------------------------------


def test_both_parties_write_in_the_thread_while_open(sent_referral, officer, police, procurator):
    referral_respond(referral=sent_referral, by=officer, body="补充：家属电话 138")
    message = referral_respond(referral=sent_referral, by=police, body="收到")
    assert (message.author, message.agency_id) == (police, police.agency_id)
    event = AuditEvent.objects.get(target_type="coordination.referralmessage", target_id=str(message.pk))
    assert (event.action, event.supervisee_id) == ("create", sent_referral.supervisee_id)
    with pytest.raises(PermissionDenied):
        referral_respond(referral=sent_referral, by=procurator, body="x")
    with pytest.raises(ValidationError):
        referral_respond(referral=sent_referral, by=police, body=" ")
    referral_reject(referral=sent_referral, by=police, note="无管辖权")
    with pytest.raises(StateConflict):
        referral_respond(referral=sent_referral, by=officer, body="x")


def test_the_receiver_does_not_write_on_a_draft(police_referral, police):
    with pytest.raises(PermissionDenied):
        referral_respond(referral=police_referral, by=police, body="x")


# --- CCL 62: procuratorial notices -------------------------------------------------------------------


@pytest.fixture
def notice(case, procurator, officer, office):
    referral = referral_create(
        supervisee=case, by=procurator, to_agency=office, kind="procuratorial_notice", summary="请纠正"
    )
    referral = referral_send(referral=referral, by=procurator)
    return referral_accept(referral=referral, by=officer)


def test_a_notice_is_answered_in_writing_saying_whether_adopted(notice, officer):
    with pytest.raises(ValidationError) as error:
        referral_complete(referral=notice, by=officer, outcome="")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        referral_complete(referral=notice, by=officer, outcome="已处理")
    assert "adopted" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        referral_complete(referral=notice, by=officer, outcome="不采纳", adopted=False)
    assert "reasons" in error.value.message_dict["outcome"][0]
    notice.refresh_from_db()
    assert notice.status == "accepted"
    done = referral_complete(
        referral=notice,
        by=officer,
        outcome="不采纳：该对象按时报到，无违规记录，不符合调整条件。",
        adopted=False,
    )
    assert (done.status, done.adopted) == ("completed", False)
    event = AuditEvent.objects.filter(target_id=str(done.pk), action="transition").order_by("-id").first()
    assert event.changes["adopted"] == {"before": None, "after": False}


def test_an_adopted_notice_needs_no_long_reasons(notice, officer):
    assert referral_complete(referral=notice, by=officer, outcome="已纠正", adopted=True).adopted is True


def test_the_procuratorate_sends_and_withdraws_its_own_notice(case, procurator, office, officer):
    referral = referral_create(
        supervisee=case, by=procurator, to_agency=office, kind="procuratorial_notice", summary="x"
    )
    with pytest.raises(PermissionDenied):
        referral_send(referral=referral, by=officer)
    referral_send(referral=referral, by=procurator)
    assert referral_withdraw(referral=referral, by=procurator).status == "withdrawn"


# --- attachments -------------------------------------------------------------------------------------


def test_attach_stores_hash_size_and_detected_type(sent_referral, officer):
    attachment = referral_attach(
        referral=sent_referral, by=officer, uploaded_file=upload("判决书.pdf", PDF_BYTES, "text/plain")
    )
    attachment.refresh_from_db()
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (attachment.size, attachment.content_type, attachment.original_name) == (
        len(PDF_BYTES),
        "application/pdf",
        "判决书.pdf",
    )
    assert attachment.file.name.endswith(".pdf") and "判决书" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    event = AuditEvent.objects.get(target_type="coordination.referralattachment")
    assert event.changes["sha256"] == attachment.sha256


def test_attach_checks_magic_bytes_not_the_name(sent_referral, officer, police):
    with pytest.raises(ValidationError) as error:
        referral_attach(
            referral=sent_referral,
            by=officer,
            uploaded_file=upload("a.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
        )
    assert "PDF" in error.value.message_dict["file"][0]
    with pytest.raises(ValidationError):  # a ZIP that is no Office or OFD document
        referral_attach(
            referral=sent_referral, by=officer, uploaded_file=upload("a.docx", office_zip({"x.txt": b"x"}))
        )
    png = referral_attach(referral=sent_referral, by=police, uploaded_file=upload("photo.txt", PNG_BYTES))
    assert png.content_type == "image/png"
    docx = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert referral_attach(
        referral=sent_referral, by=officer, uploaded_file=upload("a.bin", docx)
    ).content_type.endswith("wordprocessingml.document")
    xlsx = office_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert (
        "spreadsheetml"
        in referral_attach(referral=sent_referral, by=officer, uploaded_file=upload("b", xlsx)).content_type
    )
    jpeg = referral_attach(
        referral=sent_referral, by=officer, uploaded_file=upload("c.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)
    )
    assert jpeg.content_type == "image/jpeg"
    assert ReferralAttachment.objects.count() == 4


def test_attach_refuses_over_the_limit(settings, sent_referral, officer):
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    data = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        referral_attach(referral=sent_referral, by=officer, uploaded_file=upload("big.pdf", data))
    assert "1.0 MiB" in error.value.message_dict["file"][0]
    assert not ReferralAttachment.objects.exists()
    settings.REFERRAL_ATTACHMENT_MAX_BYTES = len(data)
    assert referral_attach(
        referral=sent_referral, by=officer, uploaded_file=upload("big.pdf", data)
    ).size == len(data)


def test_attach_only_by_parties_on_open_referrals(sent_referral, procurator, police, officer):
    with pytest.raises(PermissionDenied):
        referral_attach(referral=sent_referral, by=procurator, uploaded_file=upload("a.pdf", PDF_BYTES))
    referral_reject(referral=sent_referral, by=police, note="x")
    with pytest.raises(StateConflict):
        referral_attach(referral=sent_referral, by=officer, uploaded_file=upload("a.pdf", PDF_BYTES))
