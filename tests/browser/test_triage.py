"""Triage in a real Chromium, in Chinese, at 800 px: the alert ledger puts a report missed three weeks
ago above the periods ending, and two alerts are acknowledged at once by keyboard; a referral is sent
only after its confirmation (issue 13). Screenshots go to docs/screenshots/."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from coordination.models import Referral
from coordination.services import referral_create
from supervision.models import Alert
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
NARROW = {"width": 800, "height": 900}


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_the_ledger_puts_the_longest_overdue_first_and_acknowledges_two_by_keyboard(
    page, sign_in, court, office, officer
):
    today = timezone.localdate()
    for n in range(6):
        case = SuperviseeFactory(justice_office=office, officer=officer, name=f"期满{n}")
        Alert.objects.create(supervisee=case, kind="term_ending", due_date=today + dt.timedelta(days=n + 1))
    missed = Alert.objects.create(
        supervisee=SuperviseeFactory(justice_office=office, officer=officer, name="钱晓东"),
        kind="missed_report",
        due_date=today - dt.timedelta(days=21),
    )
    intake = Alert.objects.create(
        supervisee=SuperviseeFactory(justice_office=office, officer=officer, name="孙立新"),
        kind="intake_overdue",
        due_date=today - dt.timedelta(days=2),
    )
    sign_in(officer)
    page.set_viewport_size(NARROW)
    page.goto("/alerts/")
    rows = page.locator("table.ledger tbody tr")
    expect(rows.first).to_contain_text("钱晓东")
    expect(rows.first).to_contain_text("逾期 21 天")
    expect(rows.nth(1)).to_contain_text("孙立新")
    screenshot(page, "alerts-triage-800.png")
    # By keyboard: tick the two overdue alerts with the space bar, then the bulk button with Enter.
    page.locator(f"#tick-{missed.pk}").focus()
    page.keyboard.press("Space")
    page.locator(f"#tick-{intake.pk}").focus()
    page.keyboard.press("Space")
    page.locator("#bulk-acknowledge button").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("已确认 2 条预警")
    assert set(Alert.objects.filter(status="acknowledged").values_list("pk", flat=True)) == {
        missed.pk,
        intake.pk,
    }
    assert Alert.objects.filter(status="open").count() == 6


def test_a_referral_is_sent_only_after_its_confirmation(page, sign_in, court, office, officer, agencies):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="钱多多")
    draft = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="请协查"
    )
    sign_in(officer)
    page.set_viewport_size(NARROW)
    page.goto(f"/referrals/{draft.pk}/")
    page.locator(f"form[action='/referrals/{draft.pk}/send/'] button").click()
    confirm = page.locator("#confirm-send")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(agencies["police"].name)
    screenshot(page, "referral-confirm-send-800.png")
    assert Referral.objects.get(pk=draft.pk).status == "draft"
    # Cancel goes back with nothing sent; the second time, the confirmation (by keyboard) sends.
    confirm.locator("a.cancel").click()
    page.wait_for_url(re.compile(rf"/referrals/{draft.pk}/$"))
    assert Referral.objects.get(pk=draft.pk).status == "draft"
    page.locator(f"form[action='/referrals/{draft.pk}/send/'] button").click()
    page.locator("#confirm-send button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    assert Referral.objects.get(pk=draft.pk).status == "sent"


def test_the_caseload_sorts_by_next_report_due_and_fits_800_px(
    page, sign_in, court, office, other_office, officer, supervisor
):
    today = timezone.localdate()
    SuperviseeFactory(
        justice_office=office,
        officer=officer,
        name="周大山",
        management_level="normal",
        intake_date=today - dt.timedelta(days=2),
    )
    SuperviseeFactory(
        justice_office=other_office,
        name="吴小河",
        management_level="strict",
        intake_date=today - dt.timedelta(days=20),
    )
    sign_in(supervisor)
    page.set_viewport_size(NARROW)
    page.goto("/supervisees/")
    # The column header sorts: the overdue case first, its urgency in words beside the icon.
    page.locator("table.caseload thead a", has_text="下次报告").click()
    page.wait_for_url(re.compile(r"sort=next_due"))
    rows = page.locator("table.caseload tbody tr")
    expect(rows.first).to_contain_text("吴小河")
    expect(rows.first).to_contain_text("已逾期 13 天")
    expect(rows.nth(1)).to_contain_text("周大山")
    screenshot(page, "caseload-triage-800.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_a_month_is_signed_off_only_after_its_confirmation(page, sign_in, court, office, supervisor):
    from reports.models import MonthlySnapshot

    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 9))
    supervisor.last_name, supervisor.first_name = "宋", "主任"
    supervisor.save()
    sign_in(supervisor)
    page.set_viewport_size(NARROW)
    page.goto("/reports/?month=2026-10")
    page.locator("#sign-off button").click()
    confirm = page.locator("#confirm-sign-off")
    expect(confirm).to_contain_text("确认签核 2026-10 的统计数据")
    screenshot(page, "reports-confirm-sign-off-800.png")
    assert not MonthlySnapshot.objects.exists()
    confirm.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")
    # The banner names the signer and shows the office's time, not a username and an ISO time.
    expect(page.locator("#signed-off")).to_contain_text("已由 宋主任 于 2026-11-25")
    assert MonthlySnapshot.objects.get().signed_by == supervisor
