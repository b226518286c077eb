"""The embedded SQLite default holds ordinary concurrency: the web server's threads and the worker write
the one file at once and nothing fails or is lost (config/settings/base.py, Django's SQLite notes).

It runs on its own SQLite file in a child process whatever database the suite uses, so CI (PostgreSQL)
runs it too: the settings under test are the ones `make run` gets with no DATABASE_URL."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.sqlite_writers import POSTS_PER_THREAD, THREADS

ROOT = Path(__file__).resolve().parents[1]


def test_checkins_posted_while_the_worker_sweeps_are_all_saved(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # Tasks enqueued on commit go to this run's queue (config/settings/test.py), never a real worker's.
        "CORRECTION_TEST_RUN": settings.TEST_RUN_ID,
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.sqlite_writers", "web"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    posted = THREADS * POSTS_PER_THREAD
    assert outcome["worker_returncode"] == 0, outcome["worker_error"]
    assert outcome["worker_sweeps"] > 0, "the worker never swept while the check-ins were posted"
    assert outcome["failures"] == []
    assert (outcome["posted"], outcome["created"], outcome["in_database"]) == (posted, posted, posted)
