"""An officer's daily work in a real Chromium: record a report on the case page with the keyboard and
see it on the timeline without losing the page; a mistake keeps what was typed."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from supervision.models import CheckIn
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_records_a_report_and_sees_it_on_the_timeline(
    page, sign_in, live_server, court, office, officer
):
    case = SuperviseeFactory(
        justice_office=office, officer=officer, name="赵家明", intake_date=dt.date(2026, 1, 15)
    )
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    form = page.locator("form.quicklog")
    expect(form.locator("#id_kind")).to_have_value("in_person")
    expect(form.locator("#id_occurred_at")).not_to_have_value("")  # defaults to now
    form.locator("#id_notes").fill("按时到司法所报到，思想稳定")
    form.locator("#id_notes").press("Tab")
    page.keyboard.press("Enter")  # the focus is on the submit button: keyboard only
    page.wait_for_url(re.compile(rf"/supervisees/{case.pk}/#checkin-\d+$"))
    checkin = CheckIn.objects.get()
    entry = page.locator(f"#checkin-{checkin.pk}")
    expect(entry).to_contain_text("按时到司法所报到，思想稳定")
    expect(entry).to_contain_text("当面报到")
    expect(page.locator(".message")).to_be_visible()


def test_a_mistake_keeps_what_was_typed_and_names_the_field(page, sign_in, court, office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    form = page.locator("form.quicklog")
    form.locator("#id_kind").select_option("community_service")
    form.locator("#id_notes").fill("社区公益劳动：清扫街道")
    form.get_by_role("button").click()
    expect(page.locator("#id_hours-errors")).to_be_visible()
    expect(page.locator("#id_notes")).to_have_value("社区公益劳动：清扫街道")
    expect(page.locator("#id_kind")).to_have_value("community_service")
    assert not CheckIn.objects.exists()
