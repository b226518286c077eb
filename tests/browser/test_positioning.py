"""Electronic positioning in a real Chromium, in Chinese: an officer proposes an order on the case page
(four months is refused by its field naming CCL 29, three months waits for approval), a supervisor who
did not propose it approves it on the approvals page, and the decision's PDF is listed on the case page.
The proposer sees no buttons for their own proposal. Screenshots at 1366 and 800 px go to
var/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from accounts.constants import Role
from documents.models import Document
from supervision.models import PositioningOrder
from supervision.services.positioning import positioning_order_approve, positioning_order_propose
from tests.browser.test_content_security_policy import watch_csp
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = (
    Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"
)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def sign_out(page: Page) -> None:
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_an_officer_proposes_and_another_supervisor_approves_writing_the_decision(
    page, sign_in, live_server, court, agencies, office, officer, supervisor, bureau
):
    refused_by_csp = watch_csp(page)
    case = SuperviseeFactory(
        justice_office=office, officer=officer, name="赵家明", intake_date=dt.date(2026, 1, 15)
    )
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    panel = page.locator("#positioning")
    expect(panel).to_contain_text("电子定位")
    # The form opens from the keyboard: its summary takes the focus and Enter opens it.
    panel.locator("summary", has_text="提请使用电子定位装置").focus()
    page.keyboard.press("Enter")
    panel.locator("#id_positioning-ground").select_option("left_without_approval")
    expect(panel.locator("#id_positioning-start_date")).to_have_value("2026-11-25")
    panel.locator("#id_positioning-end_date").fill("2027-03-24")
    panel.locator("#id_positioning-reason").fill("10月3日未经批准前往临沂三日，经评估有必要加强监督管理")
    panel.get_by_role("button", name="提请", exact=True).click()
    errors = page.locator("#id_positioning-end_date-errors")
    expect(errors).to_contain_text("《社区矫正法》第二十九条第二款")
    expect(errors).to_contain_text("2027-02-24")
    expect(page.locator("#id_positioning-reason")).to_have_value(re.compile("未经批准前往临沂"))
    assert not PositioningOrder.objects.exists()
    page.set_viewport_size({"width": 800, "height": 900})
    screenshot(page, "positioning-refused-800.png")

    page.locator("#id_positioning-end_date").fill("2027-02-24")
    page.locator("#id_positioning-end_date").press("Enter")
    page.wait_for_url(re.compile(rf"/supervisees/{case.pk}/#positioning-order-\d+$"))
    order = PositioningOrder.objects.get()
    row = page.locator(f"#positioning-order-{order.pk}")
    expect(row).to_contain_text("待审批")
    expect(row).to_contain_text("2026-11-25 – 2027-02-24")
    sign_out(page)

    # A supervisor who did not propose it approves it.
    sign_in(supervisor)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/approvals/")
    row = page.locator(f"#positioning #positioning-{order.pk}")
    expect(row).to_contain_text("无正当理由，未经批准离开所居住的市、县")
    row.locator("textarea").fill("同意，期满前评估")
    screenshot(page, "positioning-approvals-1366.png")
    row.get_by_role("button", name="批准", exact=True).click()
    page.wait_for_url(re.compile(r"/approvals/$"))
    document = Document.objects.get(kind="positioning_decision")
    expect(page.locator(".message.info")).to_contain_text(document.number)

    page.goto(f"/supervisees/{case.pk}/")
    link = page.locator("#documents").get_by_role("link", name="使用电子定位装置决定书")
    expect(link).to_be_visible()
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    expect(page.locator(f"#positioning-order-{order.pk}")).to_contain_text("使用中")
    expect(page.locator(f"#positioning-order-{order.pk}")).to_contain_text(document.number)
    screenshot(page, "positioning-case-1366.png")
    assert not refused_by_csp


def test_the_proposer_sees_no_buttons_on_the_approvals_page(page, sign_in, court, office, supervisor, bureau):
    case = SuperviseeFactory(justice_office=office, name="钱多多", intake_date=dt.date(2026, 1, 15))
    order = positioning_order_propose(
        supervisee=case,
        by=supervisor,
        ground="left_without_approval",
        start_date=dt.date(2026, 11, 25),
        end_date=dt.date(2026, 12, 24),
        reason="未经批准外出",
    )
    sign_in(supervisor)
    page.goto("/approvals/")
    row = page.locator(f"#positioning-{order.pk}")
    expect(row).to_contain_text("由您提出：须由其他审批人员决定")
    expect(row.get_by_role("button")).to_have_count(0)
    # Approved by another supervisor, it is in the register, five weeks to go.
    positioning_order_approve(
        order=order, by=UserFactory(username="t_supervisor2", role=Role.JUSTICE_SUPERVISOR, agency=bureau)
    )
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto("/positioning-orders/")
    expect(page.locator("h1")).to_have_text("使用中的电子定位")
    expect(page.locator(f"#positioning-{order.pk}")).to_contain_text("钱多多")
    expect(page.locator(f"#positioning-{order.pk} .days")).to_have_text("29")
    screenshot(page, "positioning-register-800.png")
