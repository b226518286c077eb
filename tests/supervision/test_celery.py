"""Celery for real: a worker process runs the sweep task and the check-in follow-up; running a task twice
raises nothing twice; with the broker down a check-in is still saved and nothing hangs."""

import datetime as dt
import time

import pytest
from django.conf import settings

from config.celery import app as celery_app
from supervision import tasks
from supervision.models import Alert, CheckIn, SweepRun
from tests.factories import SuperviseeFactory

from .conftest import wait_for

pytestmark = pytest.mark.celery_worker


@pytest.fixture
def late_case(office, officer):
    return SuperviseeFactory(
        justice_office=office,
        officer=officer,
        management_level="strict",
        intake_date=dt.date(2026, 1, 1),
        sentence__effective=dt.date(2025, 12, 25),
    )


def test_the_worker_runs_the_sweep_and_a_second_run_raises_nothing(celery_worker, late_case):
    tasks.sweep.delay("2026-01-09")

    def first_run_done():
        """the first sweep to finish"""
        return SweepRun.objects.filter(finished_at__isnull=False).count() == 1

    wait_for(first_run_done)
    assert list(Alert.objects.values_list("supervisee_id", "kind", "due_date")) == [
        (late_case.pk, "missed_report", dt.date(2026, 1, 8))
    ]
    tasks.sweep.delay("2026-01-09")

    def second_run_done():
        """the second sweep to finish"""
        return SweepRun.objects.filter(finished_at__isnull=False).count() == 2

    wait_for(second_run_done)
    runs = list(SweepRun.objects.order_by("started_at").values_list("raised", flat=True))
    assert runs[0]["missed_report"] == 1 and runs[1]["missed_report"] == 0
    assert Alert.objects.count() == 1


def test_the_worker_s_today_is_the_test_s_day(celery_worker, today):
    """Without a date the sweep sweeps the worker's today: the test clock reaches the worker process."""
    tasks.sweep.delay()

    def swept():
        """the dateless sweep to finish"""
        return SweepRun.objects.filter(finished_at__isnull=False).values_list("as_of", flat=True).first()

    assert wait_for(swept) == today


def test_a_late_report_through_the_api_is_noted_on_the_alert_by_the_worker(
    celery_worker, late_case, officer, api_as
):
    from supervision.sweep import sweep_run

    sweep_run(as_of=dt.date(2026, 1, 9))
    response = api_as(officer).post(
        "/api/v1/checkins/",
        {"supervisee": late_case.pk, "kind": "in_person", "occurred_at": "2026-01-10T09:00:00+08:00"},
        format="json",
    )
    assert response.status_code == 201

    def noted():
        """the worker to note the made-up report"""
        return Alert.objects.filter(made_up_at__isnull=False).exists()

    wait_for(noted)
    assert Alert.objects.get().made_up_at == dt.datetime.fromisoformat("2026-01-10T01:00:00+00:00")


def test_with_two_districts_the_sweep_fans_out_one_task_per_district(celery_worker, late_case, officer):
    """The parent task queues one `supervision.sweep_district` per district on its own queue; the worker
    runs them: one finished SweepRun per district, each raising its own district's alerts."""
    from tests.factories import AgencyFactory, DistrictFactory, JusticeOfficeFactory

    district = DistrictFactory(name="市中区", code="370402")
    bureau = AgencyFactory(name="市中区司法局", kind="justice_bureau", district=district)
    theirs = SuperviseeFactory(
        justice_office=JusticeOfficeFactory(name="光明路司法所", district=district, parent=bureau),
        management_level="strict",
        intake_date=dt.date(2026, 1, 1),
    )
    tasks.sweep.delay("2026-01-09")

    def both_districts_done():
        """a finished run for each district"""
        finished = SweepRun.objects.filter(finished_at__isnull=False)
        runs = sorted(finished.values_list("district_id", "raised__missed_report"))
        return runs if len(runs) == 2 else None

    assert wait_for(both_districts_done) == sorted(
        [(late_case.justice_office.district_id, 1), (district.pk, 1)]
    )
    assert sorted(Alert.objects.values_list("supervisee_id", flat=True)) == sorted([late_case.pk, theirs.pk])


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_a_checkin_is_saved_and_nothing_hangs(private_redis, late_case, officer, api_as):
    process, client = private_redis
    saved = celery_app.conf.broker_url, celery_app.conf.broker_transport_options
    celery_app.conf.broker_url = "redis://127.0.0.1:6390/0"
    celery_app.conf.broker_transport_options = {"socket_connect_timeout": 1, "socket_timeout": 2}
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        # The broker is up: the follow-up is published to it.
        body = {"supervisee": late_case.pk, "kind": "in_person", "occurred_at": "2026-01-05T09:00:00+08:00"}
        assert api_as(officer).post("/api/v1/checkins/", body, format="json").status_code == 201
        assert client.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 1
        # Now it is down.
        process.terminate()
        process.wait(timeout=10)
        started = time.monotonic()
        response = api_as(officer).post(
            "/api/v1/checkins/", {**body, "occurred_at": "2026-01-06T09:00:00+08:00"}, format="json"
        )
        elapsed = time.monotonic() - started
        assert response.status_code == 201
        assert CheckIn.objects.filter(supervisee=late_case).count() == 2
        assert elapsed < 20, f"the request waited {elapsed:.1f}s for a broker that is down"
    finally:
        celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved
        celery_app.pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
