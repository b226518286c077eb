"""The monthly sign-off: only a justice supervisor signs, only an ended month, once per month and scope;
afterwards the page, the JSON and the workbook show the signed figures and list what has changed since."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from config.api import StateConflict
from reports.models import MonthlySnapshot
from reports.services import monthly_snapshot_sign
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/monthly/"
XLSX = "/api/v1/reports/monthly.xlsx"
SIGN = "/reports/sign/"
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def cases(office, other_office):
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 3, 2))
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 9), gender="female")
    SuperviseeFactory(justice_office=other_office, intake_date=dt.date(2026, 10, 20))


def test_sign_then_a_back_dated_edit_leaves_the_signed_figures(client, api_as, supervisor, office, cases):
    supervisor.last_name, supervisor.first_name = "宋", "主任"
    supervisor.save()
    client.force_login(supervisor)
    page = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert "Sign off this month" in page
    # Issue 13: the first submit asks to confirm, writing nothing; the confirmation signs.
    asked = client.post(SIGN, {"month": "2026-10"})
    assert asked.status_code == 200 and 'id="confirm-sign-off"' in asked.content.decode()
    assert 'name="confirm" value="yes"' in asked.content.decode() and not MonthlySnapshot.objects.exists()
    response = client.post(SIGN, {"month": "2026-10", "confirm": "yes"})
    assert response.status_code == 302 and "month=2026-10" in response["Location"]
    snapshot = MonthlySnapshot.objects.get()
    assert (snapshot.month, snapshot.justice_office, snapshot.signed_by) == (OCTOBER, None, supervisor)
    assert snapshot.figures["closing"] == 3
    event = AuditEvent.objects.get(action="create", target_type="reports.monthlysnapshot")
    assert event.target_id == str(snapshot.pk) and event.actor_username == supervisor.username
    assert event.changes == {"month": "2026-10", "justice_office": None}

    body = api_as(supervisor).get(URL, {"month": "2026-10"}).json()
    assert body["signed"]["by"] == supervisor.username and body["closing"] == 3
    assert "changed_since_signing" not in body

    # A case registered today, taken in back in October: the live October count moves.
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 12), gender="female")
    body = api_as(supervisor).get(URL, {"month": "2026-10"}).json()
    assert (body["closing"], body["intake"], body["by_gender"]["female"]) == (3, 2, 1)
    assert {"closing", "intake", "by_gender.female", "cumulative.received"} <= set(
        body["changed_since_signing"]
    )
    assert "opening" not in body["changed_since_signing"]

    page = client.get("/reports/", {"month": "2026-10"}).content.decode()
    assert (
        'data-key="closing"><th scope="row">Under correction at the end of the month</th><td class="num">3<'
        in page
    )
    # Issue 13: the banner named the username and showed the ISO time in UTC; it names the person and
    # shows the office's time (the clock stands at 10:00 in Asia/Shanghai, 02:00 UTC).
    assert "Signed off by 宋主任 at 2026-11-25 10:0" in page and snapshot.signed_at.isoformat() not in page
    assert 'id="changed-since-signing"' in page
    assert "<li>Under correction at the end of the month</li>" in page
    assert "<li>By gender: Female</li>" in page
    assert "Sign off this month" not in page

    sheet = openpyxl.load_workbook(io.BytesIO(api_as(supervisor).get(XLSX, {"month": "2026-10"}).getvalue()))
    values = {row[2]: row[1] for row in sheet.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert values["closing"] == 3 and values["intake"] == 2


def test_an_office_is_signed_apart_from_the_district(client, api_as, supervisor, officer, office, cases):
    client.force_login(supervisor)
    assert (
        client.post(SIGN, {"month": "2026-10", "justice_office": office.pk, "confirm": "yes"}).status_code
        == 302
    )
    snapshot = MonthlySnapshot.objects.get()
    assert snapshot.justice_office == office and snapshot.figures["closing"] == 2
    # The officer reads their office's signed figures; the district's are not signed.
    assert api_as(officer).get(URL, {"month": "2026-10"}).json()["signed"]["by"] == supervisor.username
    assert "signed" not in api_as(supervisor).get(URL, {"month": "2026-10"}).json()
    assert client.post(SIGN, {"month": "2026-10", "confirm": "yes"}).status_code == 302
    assert MonthlySnapshot.objects.count() == 2


@pytest.mark.parametrize("role", ["officer", "procurator", "judge", "police"])
def test_only_a_supervisor_signs(request, client, role, cases):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.post(SIGN, {"month": "2026-10"}).status_code == 403
    with pytest.raises(PermissionDenied):
        monthly_snapshot_sign(user=user, month=OCTOBER, justice_office=None)
    assert not MonthlySnapshot.objects.exists()
    assert not AuditEvent.objects.filter(target_type="reports.monthlysnapshot").exists()
    if role in ("officer", "procurator"):
        assert "Sign off this month" not in client.get("/reports/").content.decode()


def test_a_month_is_signed_once(client, supervisor, cases):
    monthly_snapshot_sign(user=supervisor, month=OCTOBER, justice_office=None)
    with pytest.raises(StateConflict):
        monthly_snapshot_sign(user=supervisor, month=dt.date(2026, 10, 15), justice_office=None)
    client.force_login(supervisor)
    response = client.post(SIGN, {"month": "2026-10"})
    assert response.status_code == 409 and "already signed off" in response.content.decode()
    assert MonthlySnapshot.objects.count() == 1
    assert AuditEvent.objects.filter(target_type="reports.monthlysnapshot").count() == 1


@pytest.mark.clock("2026-11-25T10:00:00+08:00")  # November 2026 is running; October has ended
def test_the_current_or_a_future_month_is_refused(client, supervisor, cases):
    for month in (dt.date(2026, 11, 1), dt.date(2026, 12, 1)):
        with pytest.raises(ValidationError):
            monthly_snapshot_sign(user=supervisor, month=month, justice_office=None)
    client.force_login(supervisor)
    assert client.post(SIGN, {"month": "2026-11"}).status_code == 400
    assert client.post(SIGN, {"month": "2027-01"}).status_code == 400
    assert "Sign off this month" not in client.get("/reports/", {"month": "2026-11"}).content.decode()
    assert not MonthlySnapshot.objects.exists()


def test_a_month_ends_at_midnight_in_the_office_s_time_zone(clock, supervisor, cases):
    november = dt.date(2026, 11, 1)
    clock.move_to("2026-11-30T15:59:59Z", tick=False)  # 23:59:59 on 30 November in Asia/Shanghai
    with pytest.raises(ValidationError):
        monthly_snapshot_sign(user=supervisor, month=november, justice_office=None)
    clock.move_to("2026-11-30T16:00:00Z")  # midnight: 1 December in Asia/Shanghai, still 30 November in UTC
    assert monthly_snapshot_sign(user=supervisor, month=november, justice_office=None).month == november


def test_an_office_out_of_reach_is_404(client, supervisor, far_district_case):
    client.force_login(supervisor)
    response = client.post(SIGN, {"month": "2026-10", "justice_office": far_district_case.justice_office_id})
    assert response.status_code == 404
    assert not MonthlySnapshot.objects.exists()
