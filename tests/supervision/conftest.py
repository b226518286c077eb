import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float = 30, every: float = 0.2):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"gave up after {timeout}s waiting for {condition.__doc__ or condition}")


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """A real Celery worker process on the configured broker (Redis in CI, the file system otherwise),
    reading the test database. Tests that use it see their writes committed (transactional_db)."""
    celery_app.control.purge() if settings.REDIS_URL else None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        # The worker's queue and broker folder are this run's (config/settings/test.py).
        "CORRECTION_TEST_RUN": settings.TEST_RUN_ID,
        # The test clock (tests/conftest.py) is time-machine's, inside this process only; the worker
        # reads the machine's clock (or faketime's, whose LD_PRELOAD it inherits) unless told the
        # test's instant, so that a task's "today" is the test's day. config/settings/test.py starts
        # the worker's clock there; it runs on from when the worker loads its settings, a second or
        # so behind this one (never compare instants across the two processes to the second).
        "CORRECTION_TEST_CLOCK": timezone.now().isoformat(),
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )

    def ready():
        """the worker to say it is ready"""
        if process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{log.read_text()}")
        return "ready" in log.read_text()

    wait_for(ready, timeout=60)
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own on port 6390, which the test may stop."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed (.ci/run installs it)")
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "--port",
            "6390",
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        # Under faketime (README: the clock) redis-server dies at start ("recursive calls to
        # clock_gettime()"); it needs no date of ours, so it runs on the machine's clock.
        env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=6390, socket_connect_timeout=1)

    def up():
        """redis-server on 6390 to answer"""
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_for(up, timeout=10)
    yield process, client
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)
