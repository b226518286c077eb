"""Oversight and discipline in a real Chromium: a procurator opens the exceptions, follows a case and
finds it read-only; an officer proposes an admonition from the case page and sees it on the timeline."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from corrections.constants import Status
from corrections.models import StatusChange
from supervision.models import Measure
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_procurator_follows_an_exception_to_a_read_only_case(
    page, sign_in, live_server, court, office, procurator
):
    case = SuperviseeFactory(justice_office=office, status=Status.ABSCONDED, name="孙立新")
    StatusChange.objects.create(
        supervisee=case,
        from_status=Status.UNDER_SUPERVISION,
        to_status=Status.ABSCONDED,
        date=timezone.localdate() - dt.timedelta(days=40),
    )
    sign_in(procurator)
    page.locator("nav.mainnav a[href='/oversight/']").click()
    page.wait_for_url(f"{live_server.url}/oversight/")
    row = page.locator("tr.exception-lost_contact_without_warning")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=case.case_number).click()
    page.wait_for_url(f"{live_server.url}/supervisees/{case.pk}/")
    expect(page.locator("h1")).to_contain_text("孙立新")
    expect(page.locator(".readonly").first).to_be_visible()
    # No form that changes the case; the one form is the procuratorate's own notice (CCL 62), which
    # follows the exception it found.
    expect(page.locator("main form")).to_have_count(1)
    expect(page.locator("main form")).to_have_attribute(
        "action", f"/supervisees/{case.pk}/procuratorial-notices/"
    )


def test_an_officer_proposes_an_admonition_and_sees_it_on_the_timeline(page, sign_in, court, office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    form = page.locator("#measure-proposal form")
    form.locator("#id_measure-kind").select_option("admonition")
    form.locator("#id_measure-reason").fill("未按规定时间报到，迟到三天")
    form.locator("#id_measure-evidence").fill("报到登记表")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/supervisees/{case.pk}/#measure-\d+$"))
    measure = Measure.objects.get()
    entry = page.locator(f"#measure-{measure.pk}")
    expect(entry).to_contain_text("训诫")
    expect(entry).to_contain_text(measure.occurred_on.isoformat())
    expect(page.locator(".message")).to_be_visible()
