"""`GET /healthz` and `GET /readyz` (API.md "Operating"): no sign-in, no personal data; /readyz answers
503 naming the dependency that is down, and a broker that is down or silent answers within ~2 s."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db  # to count its queries: none
def test_healthz_answers_without_sign_in_or_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
def test_readyz_with_everything_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_broker(port: int):
    return override_settings(
        CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0", CELERY_BROKER_TRANSPORT_OPTIONS={}
    )


@pytest.mark.django_db
def test_readyz_names_a_broker_that_refuses_connections(client):
    with _redis_broker(_free_port()):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
        "unreachable": ["broker"],
    }


@pytest.mark.django_db
def test_readyz_does_not_wait_long_for_a_broker_that_never_answers(client):
    # A port that accepts connections (the kernel's backlog) and never says a word.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with _redis_broker(silent.getsockname()[1]):
            started = time.monotonic()
            response = client.get("/readyz")
            elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.json()["unreachable"] == ["broker"]
    assert elapsed < 2.5, f"/readyz took {elapsed:.1f}s on a silent broker"


@pytest.mark.django_db
def test_readyz_names_a_file_system_broker_without_its_folders(client, tmp_path):
    missing = str(tmp_path / "gone")
    options = {"data_folder_in": missing, "data_folder_out": missing, "processed_folder": missing}
    with override_settings(CELERY_BROKER_URL="filesystem://", CELERY_BROKER_TRANSPORT_OPTIONS=options):
        response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["unreachable"] == ["broker"]


def test_readyz_names_a_database_that_cannot_be_reached(tmp_path):
    """In a child process whose database is a file that cannot be opened (the suite's own database
    stays up)."""
    script = (
        "import django, json; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "r = Client().get('/readyz'); print(json.dumps([r.status_code, r.json()]))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}",
        # This run's broker (config/settings/test.py): its Redis, or its folder, removed when it ends.
        "CORRECTION_TEST_RUN": settings.TEST_RUN_ID,
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr[-2000:]
    status, body = json.loads(run.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {
        "status": "unavailable",
        "database": "unreachable",
        "broker": "ok",
        "unreachable": ["database"],
    }
