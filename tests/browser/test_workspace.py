"""The workspace in a real Chromium: a supervisor clears a leave request from the approval queue; the
police open their inbox, accept a referral and reply in its thread. Screenshots (1280x800, Chinese) of
the pages go to var/screenshots/ for a person to look at."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from coordination.models import Referral, ReferralMessage
from coordination.services import referral_create, referral_send
from supervision.models import Alert, LeaveRequest
from supervision.services.leave import leave_request_create
from tests.factories import LEAVE_BY_THE_LAW, SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_supervisor_approves_leave_and_it_leaves_the_queue(page, sign_in, court, office, officer, supervisor):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="孙立新")
    start = timezone.localdate() + dt.timedelta(days=1)
    leave = leave_request_create(
        supervisee=case,
        by=officer,
        **LEAVE_BY_THE_LAW,
        destination="济南市历下区",
        reason="探望住院的父亲",
        start_date=start,
        end_date=start + dt.timedelta(days=9),
    )
    Alert.objects.create(
        supervisee=case, kind="missed_report", due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    sign_in(supervisor)
    shot(page, "dashboard-supervisor")
    page.goto("/alerts/")
    shot(page, "alerts")
    page.goto("/approvals/")
    row = page.locator(f"#leave-{leave.pk}")
    expect(row).to_contain_text("孙立新")
    shot(page, "approvals")
    row.locator("button.approve").click()
    expect(page.locator(".message.success")).to_be_visible()
    # What the approval wrote: the leave approval, numbered by the bureau (documents).
    expect(page.locator(".message.info")).to_contain_text("外出审批决定书 薛城区司法局矫假〔2026〕1号")
    expect(page.locator(f"#leave-{leave.pk}")).to_have_count(0)
    assert LeaveRequest.objects.get(pk=leave.pk).status == "approved"


def test_police_accept_a_referral_from_the_inbox_and_reply(
    page, sign_in, court, office, officer, police, agencies
):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="钱多多")
    referral = referral_send(
        referral=referral_create(
            supervisee=case,
            by=officer,
            to_agency=agencies["police"],
            kind="absconder_search",
            summary="该对象已失联三日，请协助查找",
        ),
        by=officer,
    )
    sign_in(police)
    shot(page, "dashboard-police")
    page.goto("/referrals/?box=inbox")
    shot(page, "referrals")
    page.locator(f"#referral-{referral.pk} a").first.click()
    page.wait_for_url(re.compile(rf"/referrals/{referral.pk}/$"))
    page.locator(f"form[action='/referrals/{referral.pk}/accept/'] button").click()
    expect(page.locator(".message")).to_be_visible()
    page.locator("#id_reply-body").fill("已布控，发现后即通知司法所")
    page.locator(f"form[action='/referrals/{referral.pk}/respond/'] button").click()
    expect(page.locator("#thread")).to_contain_text("已布控，发现后即通知司法所")
    shot(page, "referral-detail")
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    assert ReferralMessage.objects.filter(referral=referral, author=police).count() == 1
