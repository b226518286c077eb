"""Writers at once on one SQLite file, as under `make run`: the web server's threads post check-ins
through the API while the worker, another process, runs the sweep over and over.

Run by tests/test_sqlite_concurrency.py, never collected by pytest itself:
    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 python -m tests.sqlite_writers web
migrates that (fresh) file, starts `python -m tests.sqlite_writers worker` beside itself, posts the
check-ins from several threads while the worker sweeps, and prints one JSON line with what happened.
"""

import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import django

THREADS = 6
POSTS_PER_THREAD = 15
CASES = 12
# The sweep's days: each run raises the alerts due by then, so every run writes.
FIRST_SWEEP_DAY = dt.date(2026, 2, 1)
ROOT = Path(__file__).resolve().parents[1]


def web(stop_file: Path) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from accounts.constants import Role
    from corrections.constants import ManagementLevel
    from supervision.models import CheckIn
    from tests.factories import JusticeOfficeFactory, SuperviseeFactory, UserFactory

    call_command("migrate", verbosity=0, interactive=False)
    office = JusticeOfficeFactory(name="临城司法所")
    officer = UserFactory(username="load_officer", role=Role.JUSTICE_OFFICER, agency=office)
    cases = [
        SuperviseeFactory(
            justice_office=office,
            officer=officer,
            intake_date=dt.date(2026, 1, 5),
            management_level=ManagementLevel.STRICT,
        )
        for _ in range(CASES)
    ]
    connection.close()

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.sqlite_writers", "worker", str(stop_file)],
        cwd=ROOT,
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout.readline().strip() == "sweeping", worker.stderr.read()

    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(thread: int) -> None:
        # One connection per thread, as under runserver (Django's connections are per thread).
        client = APIClient()
        client.force_authenticate(user=officer)
        for n in range(POSTS_PER_THREAD):
            case = cases[(thread * POSTS_PER_THREAD + n) % CASES]
            minute = thread * POSTS_PER_THREAD + n
            body = {
                "supervisee": case.pk,
                "kind": "phone",
                "occurred_at": f"2026-03-01T{9 + minute // 60:02d}:{minute % 60:02d}:00+08:00",
                "notes": f"线程 {thread} 第 {n} 次",
            }
            try:
                response = client.post("/api/v1/checkins/", body, format="json")
                outcome = (
                    response.status_code,
                    "" if response.status_code == 201 else response.content[:300],
                )
            except Exception as error:  # what runserver would answer as a 500
                outcome = (500, f"{type(error).__name__}: {error}")
            with lock:
                results.append((outcome[0], str(outcome[1])))
        connection.close()

    threads = [threading.Thread(target=post, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop_file.touch()
    worker_out, worker_err = worker.communicate(timeout=120)
    return {
        "posted": len(results),
        "created": sum(1 for status, _ in results if status == 201),
        "failures": [detail for status, detail in results if status != 201][:5],
        "in_database": CheckIn.objects.count(),
        "worker_returncode": worker.returncode,
        "worker_sweeps": int(worker_out.split()[-1]) if worker_out.split() else 0,
        "worker_error": worker_err[-2000:],
    }


def worker(stop_file: Path) -> int:
    from django.core.management import call_command

    print("sweeping", flush=True)
    sweeps = 0
    deadline = time.monotonic() + 120
    try:
        while not stop_file.exists() and time.monotonic() < deadline:
            day = FIRST_SWEEP_DAY + dt.timedelta(days=sweeps % 60)
            call_command("supervision_sweep", date=day.isoformat(), stdout=open(os.devnull, "w"))  # noqa: SIM115
            sweeps += 1
    except Exception:
        traceback.print_exc()
        print(sweeps, flush=True)
        return 1
    print(sweeps, flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host name, mail kept in memory
    mode = sys.argv[1]
    if mode == "worker":
        sys.exit(worker(Path(sys.argv[2])))
    stop = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///")).with_suffix(".stop")
    print(json.dumps(web(stop), ensure_ascii=False))
