"""Leave by CCL 27 in a real Chromium, in Chinese, at 800 px: an officer asks for leave to a place in the
county of residence and is told, by the field, that no leave is needed (citing CCL 27 para. 1); without a
proper reason and two days ahead, each field says why; urgent with its reason, to another county, the
request is recorded. Screenshots go to var/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from supervision.models import LeaveRequest
from tests.browser.test_content_security_policy import watch_csp
from tests.browser.test_positioning import screenshot
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_is_told_by_each_field_what_ccl_27_asks_then_records_urgent_leave(
    page, sign_in, office, officer
):
    refused_by_csp = watch_csp(page)
    case = SuperviseeFactory(
        justice_office=office, officer=officer, name="钱文斌", intake_date=dt.date(2026, 1, 15)
    )
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    form = page.locator("#leave-request")
    # The office's proper reasons, in Chinese.
    expect(form.locator("#id_leave-reason_code option")).to_contain_text(["—", "就医", "就学", "参与诉讼"])
    form.locator("#id_leave-destination").fill("薛城区常庄镇")
    form.locator("#id_leave-destination_code").fill("370403")  # the county where the person lives
    form.locator("#id_leave-reason").fill("探望亲戚")
    form.locator("#id_leave-start_date").fill("2026-11-27")  # two days ahead
    form.locator("#id_leave-end_date").fill("2026-11-28")
    form.locator("#id_leave-end_date").press("Enter")  # submits from the keyboard
    expect(page.locator("#id_leave-destination_code-errors")).to_contain_text("无需请假")
    expect(page.locator("#id_leave-destination_code-errors")).to_contain_text(
        "《社区矫正法》第二十七条第一款"
    )
    expect(page.locator("#id_leave-reason_code-errors")).to_contain_text("就医")
    expect(page.locator("#id_leave-start_date-errors")).to_contain_text("至少提前 3 日")
    expect(page.locator("#id_leave-destination")).to_have_value("薛城区常庄镇")
    screenshot(page, "leave-refused-800.png")
    assert not LeaveRequest.objects.exists()

    page.locator("#id_leave-destination").fill("济南市历下区")
    page.locator("#id_leave-destination_code").fill("370102")
    page.locator("#id_leave-reason_code").select_option("medical")
    page.locator("#id_leave-urgent").check()
    page.locator("#id_leave-urgent_reason").fill("母亲突发疾病住院")
    page.get_by_role("button", name="登记申请").click()
    page.wait_for_url(re.compile(rf"/supervisees/{case.pk}/#leave-\d+$"))
    leave = LeaveRequest.objects.get()
    assert (leave.destination_code, leave.reason_code, leave.urgent) == ("370102", "medical", True)
    expect(page.locator(f"#leave-{leave.pk}")).to_contain_text("紧急")
    assert refused_by_csp == []
