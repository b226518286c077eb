"""The alert sweep: each rule, the day boundary at local midnight, and nothing raised twice."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from corrections.constants import Category, Status
from supervision.models import Alert, CheckIn, LeaveRequest, ReportingRule, SweepRun
from supervision.sweep import sweep_run
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


def checkin(case, officer, when: str, kind="in_person"):
    return CheckIn.objects.create(
        supervisee=case, recorded_by=officer, kind=kind, occurred_at=dt.datetime.fromisoformat(when)
    )


@pytest.fixture
def strict_case(office, officer):
    # Strict: an in-person report every 7 days. Intake 2026-01-01: the first report is due 2026-01-08.
    return SuperviseeFactory(
        justice_office=office,
        officer=officer,
        management_level="strict",
        intake_date=dt.date(2026, 1, 1),
        sentence__effective=dt.date(2025, 12, 25),
    )


def alerts(kind="missed_report"):
    return list(Alert.objects.filter(kind=kind).values_list("supervisee_id", "due_date"))


def test_no_report_since_intake_raises_one_alert_due_the_seventh_day(strict_case):
    assert sweep_run(as_of=dt.date(2026, 1, 8))["missed_report"] == 0  # due today: not missed yet
    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 1
    assert sweep_run(as_of=dt.date(2026, 1, 10))["missed_report"] == 0  # still the same due date
    assert alerts() == [(strict_case.pk, dt.date(2026, 1, 8))]


def test_a_report_at_23_59_59_local_on_the_due_day_is_on_time(strict_case, officer):
    checkin(strict_case, officer, "2026-01-08T15:59:59+00:00")  # 23:59:59 in Asia/Shanghai
    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 0


def test_a_report_at_midnight_local_is_a_day_late_even_before_the_sweep_runs(strict_case, officer):
    checkin(strict_case, officer, "2026-01-08T16:00:00+00:00")  # 00:00:00 on the 9th in Asia/Shanghai
    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 1
    assert alerts() == [(strict_case.pk, dt.date(2026, 1, 8))]
    # The late report counts from then on: the next one is due on the 16th.
    assert sweep_run(as_of=dt.date(2026, 1, 16))["missed_report"] == 0
    assert sweep_run(as_of=dt.date(2026, 1, 17))["missed_report"] == 1
    assert sorted(alerts()) == [(strict_case.pk, dt.date(2026, 1, 8)), (strict_case.pk, dt.date(2026, 1, 16))]
    assert Alert.objects.get(due_date=dt.date(2026, 1, 8)).made_up_at is not None


def test_a_late_report_whose_follow_up_task_never_ran_is_noted_by_the_next_sweep(
    strict_case, officer, office
):
    """The district's run notes the reports made before its own alerts existed; the whole sweep, once,
    those made after an older alert (the check-in's task lost with the broker), in every district."""
    from supervision.sweep import sweep_district

    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 1
    checkin(strict_case, officer, "2026-01-10T01:00:00+00:00")  # no follow-up task: created directly
    alert = Alert.objects.get()
    # A district's run alone leaves an alert it did not raise as it is.
    sweep_district(as_of=dt.date(2026, 1, 11), district_id=office.district_id)
    alert.refresh_from_db()
    assert alert.made_up_at is None
    sweep_run(as_of=dt.date(2026, 1, 11))
    alert.refresh_from_db()
    assert alert.made_up_at == dt.datetime(2026, 1, 10, 1, tzinfo=dt.UTC)


def test_only_the_levels_qualifying_kinds_count(strict_case, officer):
    checkin(strict_case, officer, "2026-01-05T02:00:00+00:00", kind="phone")  # strict needs in person
    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 1
    normal = SuperviseeFactory(
        justice_office=strict_case.justice_office, management_level="normal", intake_date=dt.date(2026, 1, 1)
    )
    checkin(normal, officer, "2026-01-05T02:00:00+00:00", kind="phone")  # normal accepts a phone report
    assert sweep_run(as_of=dt.date(2026, 1, 19))["missed_report"] == 0  # due 01-19 for normal: not yet
    assert sweep_run(as_of=dt.date(2026, 1, 20))["missed_report"] == 1
    assert (normal.pk, dt.date(2026, 1, 19)) in alerts()


def test_rules_are_data_with_an_effective_date(strict_case):
    ReportingRule.objects.create(
        management_level="strict",
        duty="report",
        every_days=10,
        qualifying_kinds=["in_person"],
        effective_from=dt.date(2026, 1, 1),
    )
    assert sweep_run(as_of=dt.date(2026, 1, 9))["missed_report"] == 0
    assert sweep_run(as_of=dt.date(2026, 1, 12))["missed_report"] == 1
    assert alerts() == [(strict_case.pk, dt.date(2026, 1, 11))]


def test_cases_not_under_supervision_raise_no_missed_report(office):
    SuperviseeFactory(justice_office=office, status=Status.ABSCONDED, intake_date=dt.date(2026, 1, 1))
    SuperviseeFactory(
        justice_office=office,
        status=Status.DECEASED,
        intake_date=dt.date(2026, 1, 1),
        exit_date=dt.date(2026, 1, 3),
        exit_reason="deceased",
    )
    assert sweep_run(as_of=dt.date(2026, 3, 1))["missed_report"] == 0


def test_intake_overdue_after_ten_days(office):
    case = SuperviseeFactory(
        justice_office=office, status=Status.PENDING_REPORT, sentence__effective=dt.date(2026, 2, 1)
    )
    parole = SuperviseeFactory(
        justice_office=office,
        status=Status.PENDING_REPORT,
        sentence__category=Category.PAROLE,
        sentence__effective=dt.date(2026, 2, 5),
    )
    assert sweep_run(as_of=dt.date(2026, 2, 11))["intake_overdue"] == 0  # deadline 02-11: still in time
    assert sweep_run(as_of=dt.date(2026, 2, 12))["intake_overdue"] == 1
    assert sweep_run(as_of=dt.date(2026, 2, 16))["intake_overdue"] == 1
    assert sorted(alerts("intake_overdue")) == sorted(
        [(case.pk, dt.date(2026, 2, 11)), (parole.pk, dt.date(2026, 2, 15))]
    )


def test_leave_overdue_when_not_back_after_the_last_day(strict_case, officer):
    LeaveRequest.objects.create(
        supervisee=strict_case,
        destination="济南",
        reason="探亲",
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 5),
        status="approved",
        approval_level="justice_office",
        requested_by=officer,
    )
    LeaveRequest.objects.create(
        supervisee=strict_case,
        destination="临沂",
        reason="就医",
        start_date=dt.date(2026, 2, 1),
        end_date=dt.date(2026, 2, 3),
        status="returned",
        approval_level="justice_office",
        requested_by=officer,
        returned_on=dt.date(2026, 2, 3),
    )
    assert sweep_run(as_of=dt.date(2026, 3, 5))["leave_overdue"] == 0
    assert sweep_run(as_of=dt.date(2026, 3, 6))["leave_overdue"] == 1
    assert alerts("leave_overdue") == [(strict_case.pk, dt.date(2026, 3, 5))]


def test_term_ending_thirty_days_before_the_end(strict_case):
    end = strict_case.sentence.end_date
    assert sweep_run(as_of=end - dt.timedelta(days=31))["term_ending"] == 0
    assert sweep_run(as_of=end - dt.timedelta(days=30))["term_ending"] == 1
    assert sweep_run(as_of=end - dt.timedelta(days=29))["term_ending"] == 0
    assert alerts("term_ending") == [(strict_case.pk, end)]


def test_command_prints_counts_then_zeros(strict_case, capsys):
    call_command("supervision_sweep", "--date", "2026-01-09")
    first = capsys.readouterr().out
    call_command("supervision_sweep", "--date", "2026-01-09")
    second = capsys.readouterr().out
    assert "missed_report: 1 raised" in first
    assert "missed_report: 0 raised" in second and "total: 0 raised" in second
    assert SweepRun.objects.filter(finished_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; the race needs PostgreSQL"
)
def test_two_sweeps_at_once_raise_each_alert_once(office, officer):
    for _ in range(30):
        SuperviseeFactory(justice_office=office, management_level="strict", intake_date=dt.date(2026, 1, 1))
    barrier = threading.Barrier(2)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(sweep_run(as_of=dt.date(2026, 2, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Alert.objects.filter(kind="missed_report").count() == 30
    assert sum(r["missed_report"] for r in results) == 30


def test_rules_are_editable_in_the_admin_and_records_read_only(client, office):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="t_admin", role="", agency=None, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    rule = ReportingRule.objects.get(management_level="strict", duty="report")
    page = client.get(f"/admin/supervision/reportingrule/{rule.pk}/change/")
    assert page.status_code == 200 and 'name="every_days"' in page.content.decode()
    for model in ("checkin", "alert", "leaverequest", "measure", "sweeprun", "leavetier", "disciplinerule"):
        assert client.get(f"/admin/supervision/{model}/").status_code == 200, model
    assert client.get("/admin/supervision/checkin/add/").status_code == 403
