"""A group session in a real Chromium, in Chinese: an officer finds the cases on the form, ticks twelve,
writes one person's own hours and marks one absent, and records it from the keyboard; a session mixing a
minor with adults is refused naming CCL 52, what was ticked kept. Screenshots at 800 px go to
var/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from community.models import Activity, Participation
from tests.browser.test_content_security_policy import watch_csp
from tests.browser.test_positioning import screenshot
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_records_a_group_session_of_twelve(
    page, sign_in, live_server, court, agencies, office, officer
):
    refused_by_csp = watch_csp(page)
    adults = SuperviseeFactory.create_batch(12, justice_office=office, officer=officer)
    minor = SuperviseeFactory(justice_office=office, officer=officer, is_minor=True, born=dt.date(2010, 3, 1))
    page.set_viewport_size({"width": 800, "height": 900})
    sign_in(officer)
    page.goto("/activities/new/")
    form = page.locator("#activity-form")
    form.locator("#id_topic").fill("法治教育：社区矫正法学习")
    form.locator("#id_hours").fill("2")
    form.locator("#id_date").fill("2026-11-20")
    for case in [*adults[:2], minor]:
        form.locator(f"#participant-{case.pk}").check()
    form.get_by_role("button", name="记录", exact=True).click()
    expect(page.locator("#activity-errors")).to_contain_text("《社区矫正法》第五十二条第三款")
    expect(page.locator(f"#participant-{adults[0].pk}")).to_be_checked()
    assert not Activity.objects.exists()
    screenshot(page, "activity-refused-800.png")

    page.locator(f"#participant-{minor.pk}").uncheck()
    for case in adults[2:]:
        page.locator(f"#participant-{case.pk}").check()
    page.locator(f"#hours-{adults[0].pk}").fill("1.5")
    page.locator(f"#outcome-{adults[1].pk}").select_option("absent")
    page.locator("#id_topic").press("Enter")
    page.wait_for_url(re.compile(r"/activities/$"))
    expect(page.locator("#activities")).to_contain_text("法治教育")
    hours = dict(Participation.objects.values_list("supervisee_id", "hours"))
    assert len(hours) == 12 and hours[adults[0].pk] == Decimal("1.5") and hours[adults[1].pk] == 0
    screenshot(page, "activities-800.png")
    assert not refused_by_csp
