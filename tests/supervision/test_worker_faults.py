"""Faults of the Celery worker, on a Redis of the test's own (port 6390): a worker killed in the middle of
the sweep (kill -9), a worker stopped as docker stops it (SIGTERM), and two beats' sweeps at once.

With Redis as broker, a message a worker has taken sits in Redis's `unacked` hash until the worker
acknowledges it, at the end of the task (acks_late). A worker killed mid-task never does; the message is
handed to a worker again once it is older than the visibility timeout (config/settings/base.py), which a
worker checks when it starts and every so often after. Here the timeout is a few seconds, so the new
worker takes the message back when it starts. The sweep is the real task, made slow on purpose by
tests/supervision/fault_tasks.py, which only these workers load. Each test takes well under a minute."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from config.celery import app as project_celery
from supervision.models import Alert, SweepRun
from supervision.sweep import sweep_run
from tests.factories import SuperviseeFactory

from .conftest import ROOT, _database_url, wait_for

pytestmark = pytest.mark.celery_worker

BROKER = "redis://127.0.0.1:6390/0"
QUEUE = f"fault-tests-{settings.TEST_RUN_ID}"
VISIBILITY_TIMEOUT = 4
AS_OF = "2026-01-09"
EXPECTED = [("missed_report", dt.date(2026, 1, 8))]


@pytest.fixture
def late_case(transactional_db, office, officer):
    """A strict-level case whose first report was due on 2026-01-08: the sweep as of 2026-01-09 raises
    exactly one missed_report for it (as in test_celery.py)."""
    return SuperviseeFactory(
        justice_office=office,
        officer=officer,
        management_level="strict",
        intake_date=dt.date(2026, 1, 1),
        sentence__effective=dt.date(2025, 12, 25),
    )


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "fault"
    path.mkdir()
    return path


@pytest.fixture
def publisher(private_redis):
    """A Celery app that only publishes, to the private Redis, as a beat does."""
    app = Celery("fault-test-publisher", broker=BROKER, set_as_current=False)
    app.conf.broker_transport_options = {"socket_connect_timeout": 2, "socket_timeout": 5}
    yield app
    app.close()


@pytest.fixture
def workers(tmp_path, folder):
    """Start real worker processes (prefork, as in production) on the private Redis, each in a process
    group of its own so that a test can kill the whole worker, pool and all, as a power cut would."""
    started: list[subprocess.Popen] = []

    def start(name: str, *, concurrency: int = 1, env: dict | None = None) -> subprocess.Popen:
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
                "-Q",
                QUEUE,
                "-n",
                f"{name}@%h",
                "--include",
                "tests.supervision.fault_tasks",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": _database_url(),
                "CORRECTION_TEST_RUN": settings.TEST_RUN_ID,
                "REDIS_URL": BROKER,
                "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
                "FAULT_TEST_DIR": str(folder),
                **(env or {}),
            },
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        started.append(process)

        def ready():
            """the worker to say it is ready"""
            if process.poll() is not None:
                pytest.fail(f"the worker {name} stopped:\n{log.read_text()}")
            return "ready" in log.read_text()

        wait_for(ready, timeout=40)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _alerts() -> list[tuple[str, dt.date]]:
    return sorted(Alert.objects.values_list("kind", "due_date"))


def _kill(process: subprocess.Popen) -> None:
    """kill -9 the worker and its pool: nothing of it runs any more, nothing is acknowledged."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def test_a_sweep_killed_with_its_worker_runs_again_on_the_next_worker_once_in_effect(
    late_case, private_redis, publisher, workers, folder
):
    _, redis = private_redis
    (folder / "hold").touch()
    first = workers("first")
    task_id = publisher.send_task("supervision.sweep", args=[AS_OF], queue=QUEUE).id

    wait_for(lambda: list(folder.glob("entered-*")), timeout=30)
    taken_at = time.monotonic()
    # Half done when it dies: its alerts are in, its run never finishes.
    assert _alerts() == EXPECTED
    assert SweepRun.objects.filter(finished_at__isnull=True).count() == 1
    _kill(first)

    # The message is neither in the queue nor gone: it waits, unacknowledged, in Redis.
    assert redis.llen(QUEUE) == 0
    assert redis.hlen("unacked") == 1
    (folder / "hold").unlink()

    # Once the visibility timeout has passed, a new worker takes it back as it starts, and runs it.
    time.sleep(max(0, taken_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))
    second = workers("second")
    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(), timeout=30)
    assert f"[{task_id}] succeeded" in second.log.read_text()

    # Exactly once in effect: the alert once, one finished run, and nothing left to deliver again.
    wait_for(lambda: redis.hlen("unacked") == 0 and redis.llen(QUEUE) == 0, timeout=10)
    time.sleep(VISIBILITY_TIMEOUT + 1)
    assert _alerts() == EXPECTED
    assert SweepRun.objects.count() == 2
    assert SweepRun.objects.filter(finished_at__isnull=False).count() == 1
    assert second.log.read_text().count(f"[{task_id}] succeeded") == 1


def test_a_worker_stopped_as_docker_stops_it_hands_its_task_back_at_once(
    late_case, private_redis, publisher, workers, folder
):
    """docker-compose.yml: SIGTERM with REMAP_SIGTERM=SIGQUIT is a cold shutdown that first waits the soft
    shutdown timeout; then the running task is stopped and its message goes back to the queue at once,
    without waiting out the visibility timeout (set long here to show it)."""
    _, redis = private_redis
    slow = {"CELERY_VISIBILITY_TIMEOUT": "3600"}
    (folder / "hold").touch()
    first = workers(
        "first", env={**slow, "REMAP_SIGTERM": "SIGQUIT", "CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT": "1"}
    )
    task_id = publisher.send_task("supervision.sweep", args=[AS_OF], queue=QUEUE).id
    wait_for(lambda: list(folder.glob("entered-*")), timeout=30)

    first.send_signal(signal.SIGTERM)
    first.wait(timeout=30)
    assert redis.llen(QUEUE) == 1
    assert redis.hlen("unacked") == 0

    (folder / "hold").unlink()
    second = workers("second", env=slow)
    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).exists(), timeout=30)
    assert f"[{task_id}] succeeded" in second.log.read_text()
    assert _alerts() == EXPECTED
    assert SweepRun.objects.filter(finished_at__isnull=False).count() == 1


def test_two_beats_sweeps_at_the_same_moment_raise_each_alert_once(
    late_case, private_redis, publisher, workers, folder
):
    """Two beats would each enqueue the 00:30 sweep: two identical messages at once. Both run at the same
    time (a barrier holds each until both have begun) and together raise each alert once; each run
    counts only the alerts it inserted itself, so the counts add up instead of doubling."""
    workers("pair", concurrency=2, env={"FAULT_TEST_BARRIER": "2"})
    for _ in range(2):
        publisher.send_task("supervision.sweep", args=[AS_OF], queue=QUEUE)

    wait_for(lambda: SweepRun.objects.filter(finished_at__isnull=False).count() == 2, timeout=40)
    assert len(list(folder.glob("arrived-*"))) == 2
    assert _alerts() == EXPECTED
    raised = [run.raised for run in SweepRun.objects.all()]
    assert sum(counts["missed_report"] for counts in raised) == 1
    # And a third run the next minute raises nothing.
    assert sweep_run(as_of=dt.date.fromisoformat(AS_OF))["missed_report"] == 0


def test_a_running_task_is_never_delivered_twice_by_the_visibility_timeout():
    """The visibility timeout stays above every task's hard time limit and retry countdown, so only a
    dead worker's message is ever handed out again; and the settings that make a redelivery safe hold."""
    conf = project_celery.conf
    timeout = settings.BROKER_VISIBILITY_TIMEOUT
    project_celery.loader.import_default_modules()
    ours = [task for name, task in project_celery.tasks.items() if not name.startswith("celery.")]
    assert ours, "no task registered"
    for task in ours:
        assert (task.time_limit or conf.task_time_limit) < timeout, task.name
        assert (getattr(task, "retry_backoff_max", 0) or 0) < timeout, task.name
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_cancel_long_running_tasks_on_connection_loss
    assert conf.worker_prefetch_multiplier == 1
