"""Settings for `make test`: DATABASE_URL and REDIS_URL come from the environment (CI sets them)."""

import os

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-secret")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"sign_in": "10000/min"}}  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that a real Celery worker process started by a test sees the same data.
    # One file per test process, so that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
else:
    # <name>_test rather than Django's test_<name>: a test database shares its database's prefix, so that
    # on a shared server each worktree's or deployment's databases are told apart by one prefix.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", f"{DATABASES['default']['NAME']}_test")  # noqa: F405
# A second alias for the replica's tests (tests/reports/test_replica.py): the same test database
# (Django's TEST MIRROR), routed to only where a test turns READ_REPLICA_ENABLED on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
READ_REPLICA_ENABLED = False
# Each test process keeps its cache in memory (tests/conftest.py empties it before each test), so that two
# test runs on one Redis never read each other's figures.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Each test run publishes to a queue of its own, so that neither a worker of `make run` nor one started
# by another test run on the same broker takes its tasks. A worker started by a test is told the
# name (and, on the file-system broker, the folder) through these variables.
TEST_RUN_ID = env("CORRECTION_TEST_RUN", default=str(os.getpid()))
CELERY_TASK_DEFAULT_QUEUE = f"correction-tests-{TEST_RUN_ID}"
if not REDIS_URL:  # noqa: F405
    _test_broker = VAR_DIR / f"celery-broker-test-{TEST_RUN_ID}"  # noqa: F405
    for _folder in ("processed", "control"):
        (_test_broker / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        "data_folder_in": str(_test_broker),
        "data_folder_out": str(_test_broker),
        "processed_folder": str(_test_broker / "processed"),
        "control_folder": str(_test_broker / "control"),
    }

# The test clock (tests/conftest.py) is time-machine's, inside the test process. A Celery worker that a
# test starts (tests/supervision/conftest.py) is given the test's instant in CORRECTION_TEST_CLOCK and
# travels there before it loads any task, so that the worker's "today" is the test's day. Only that
# fixture sets it; time-machine is a dev dependency, imported only then.
if TEST_CLOCK := env("CORRECTION_TEST_CLOCK", default=""):
    import time_machine

    time_machine.travel(TEST_CLOCK, tick=True).start()
