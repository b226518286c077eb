"""Loaded only into the Celery workers that tests/supervision/test_worker_faults.py starts (`celery worker
--include tests.supervision.fault_tasks`): it makes the real sweep task slow on purpose, so that a test can
kill the worker while a sweep is under way. Controlled by files in the folder FAULT_TEST_DIR names:

- after every real rule has inserted its alerts (so a worker killed there leaves a run half done: alerts
  in, the SweepRun unfinished), a last rule writes `entered-<pid>-<n>`, then waits while `hold` exists;
- with FAULT_TEST_BARRIER=N, each sweep, before it begins, writes `arrived-<pid>-<n>` and waits until N
  have arrived, so that N sweeps certainly run at the same time (two beats' sweeps at 00:30).

Each wait gives up after a minute, so that a test that went wrong never leaves a worker hanging.
"""

import itertools
import os
import time
from pathlib import Path

from celery.signals import task_prerun

from supervision.sweep import register_alert_rule

FOLDER = Path(os.environ["FAULT_TEST_DIR"])
BARRIER = int(os.environ.get("FAULT_TEST_BARRIER", "0"))
_count = itertools.count()


def _wait(condition, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def _pause(as_of):
    (FOLDER / f"entered-{os.getpid()}-{next(_count)}").touch()
    _wait(lambda: not (FOLDER / "hold").exists())
    return []


register_alert_rule("fault_test_pause", _pause)


@task_prerun.connect
def _barrier(sender=None, **kwargs):
    if BARRIER and sender is not None and sender.name == "supervision.sweep":
        (FOLDER / f"arrived-{os.getpid()}-{next(_count)}").touch()
        _wait(lambda: len(list(FOLDER.glob("arrived-*"))) >= BARRIER)
