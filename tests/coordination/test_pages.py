"""The referral pages: inbox and outbox, one referral with its thread and the actions of the caller's
side, each a POST calling the service; out of scope 404, the wrong side 403, refusals by the field."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from coordination.models import Referral
from coordination.services import referral_create, referral_respond, referral_send
from coordination.views import countdown

pytestmark = pytest.mark.django_db


@translation.override("en")
def test_countdown_words():
    today = dt.date(2026, 11, 25)
    assert countdown(dt.date(2026, 11, 28), today, "sent") == ("due", "3 days left")
    assert countdown(dt.date(2026, 11, 23), today, "accepted") == ("overdue", "overdue by 2 days")
    assert countdown(dt.date(2026, 11, 25), today, "sent") == ("due", "due today")
    assert countdown(dt.date(2026, 11, 23), today, "completed") == ("muted", "")


def test_police_inbox_lists_sent_referrals_with_their_countdown(
    client, police, sent_referral, case, officer, agencies
):
    # A draft is the sender's alone: the police never see it.
    referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="草稿"
    )
    client.force_login(police)
    response = client.get("/referrals/", {"box": "inbox"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [sent_referral]
    row = response.context["page"].object_list[0]
    assert row.due_words and case.name in response.content.decode()
    assert client.get("/referrals/", {"box": "outbox"}).context["page"].paginator.count == 0


def test_police_accepts_and_replies(client, police, sent_referral):
    client.force_login(police)
    url = f"/referrals/{sent_referral.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["can"]["accept"] and not page.context["can"]["send"]
    assert client.post(url + "accept/").status_code == 302
    assert Referral.objects.get(pk=sent_referral.pk).status == "accepted"
    assert client.post(url + "respond/", {"reply-body": "已布控，发现后即通知"}).status_code == 302
    html = client.get(url).content.decode()
    assert "已布控，发现后即通知" in html


def test_refusals_rerender_with_the_message_by_the_field(client, police, sent_referral):
    client.force_login(police)
    url = f"/referrals/{sent_referral.pk}/"
    response = client.post(url + "reject/", {"reject-note": ""})
    assert response.status_code == 400 and response.context["reject_form"].errors["note"]
    assert 'id="id_reject-note-errors"' in response.content.decode()
    response = client.post(url + "complete/", {"complete-outcome": "已找到"})  # not accepted yet
    assert response.status_code == 409 and response.context["complete_form"].non_field_errors()
    response = client.post(url + "respond/", {"reply-body": "   "})
    assert response.status_code == 400 and response.context["reply_form"].errors["body"]
    assert Referral.objects.get(pk=sent_referral.pk).status == "sent"


def test_the_wrong_side_is_403_and_out_of_scope_is_404(
    client, officer, police, judge, other_office_officer, police_referral, sent_referral
):
    url = f"/referrals/{sent_referral.pk}/"
    client.force_login(officer)
    assert client.post(url + "accept/").status_code == 403  # the sender does not accept
    client.force_login(police)
    assert client.post(url + "withdraw/").status_code == 403  # the receiver does not withdraw
    client.force_login(other_office_officer)
    assert client.get(url).status_code == 404
    assert client.post(url + "withdraw/").status_code == 404
    client.force_login(judge)
    assert client.get(url).status_code == 404


def test_sender_sends_a_draft_and_withdraws_it(client, officer, case, agencies):
    draft = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="请协查"
    )
    client.force_login(officer)
    url = f"/referrals/{draft.pk}/"
    assert client.get(url).context["can"]["send"]
    # Issue 13: the first submit asks to confirm (nothing sent yet), the confirmation sends.
    asked = client.post(url + "send/")
    assert asked.status_code == 200 and 'id="confirm-send"' in asked.content.decode()
    assert 'name="confirm" value="yes"' in asked.content.decode()
    assert Referral.objects.get(pk=draft.pk).status == "draft"
    assert client.post(url + "send/", {"confirm": "yes"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "sent" and draft.due_date is not None
    assert client.post(url + "withdraw/", {"withdraw-note": "已自行找到"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "withdrawn"
    assert client.post(url + "send/").status_code == 409


def test_a_procuratorial_notice_is_completed_with_the_adopted_choice(
    client, procurator, officer, case, office
):
    notice = referral_send(
        referral=referral_create(
            supervisee=case, by=procurator, to_agency=office, kind="procuratorial_notice", summary="请纠正"
        ),
        by=procurator,
    )
    client.force_login(officer)
    url = f"/referrals/{notice.pk}/"
    client.post(url + "accept/")
    response = client.post(url + "complete/", {"complete-outcome": "已纠正"})
    assert response.status_code == 400 and response.context["complete_form"].errors["adopted"]
    assert 'name="complete-adopted"' in response.content.decode()
    response = client.post(url + "complete/", {"complete-outcome": "已纠正", "complete-adopted": "yes"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "completed" and notice.adopted is True


@pytest.mark.parametrize("rows", [1, 15])
def test_list_and_detail_run_a_fixed_number_of_queries(
    client, police, officer, case, agencies, django_assert_num_queries, rows
):
    for n in range(rows):
        referral = referral_send(
            referral=referral_create(
                supervisee=case,
                by=officer,
                to_agency=agencies["police"],
                kind="absconder_search",
                summary=f"第{n}件",
            ),
            by=officer,
        )
        referral_respond(referral=referral, by=officer, body="补充情况")
        referral_respond(referral=referral, by=officer, body="再补充")
    client.force_login(police)
    # session, user, the header's agency, the count, the page's rows with case and agencies.
    with django_assert_num_queries(5):
        response = client.get("/referrals/")
    assert len(response.context["page"].object_list) == rows
    # session, user, agency, the referral, its messages, its documents, its case.
    with django_assert_num_queries(7):
        response = client.get(f"/referrals/{referral.pk}/")
    assert len(response.context["thread"]) == 2
    assert timezone.localdate() <= referral.due_date
