#!/usr/bin/env python
"""Speed and memory figures for the targets of docs/domain.md#scale, printed, not asserted (timed tests
flake).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/correction_bench \
        .venv/bin/python scripts/benchmark.py --supervisees 100000

Seeds the demo population to N supervisees (seed_demo is idempotent: a second run reuses it), then measures:
the seeding itself, the alert sweep over the whole population (first run and a second run that raises
nothing), one caseload page of 50 for an officer (the selector, SQL only, and the page rendered through the
test client), the supervisee API list page, and peak memory of this process. docs/domain.md#scale's reference:
hand-written SQL sweeps 700,000 people / 7,000,000 check-ins in about 4 s and a caseload page of 50 takes
about 2 ms on PostgreSQL 15 on 2 cores.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def timed(label: str, func, repeat: int = 1) -> object:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    best, median = min(times), statistics.median(times)
    unit, scale = ("ms", 1000) if median < 1 else ("s", 1)
    print(f"{label:<58} median {median * scale:9.2f} {unit}   best {best * scale:9.2f} {unit}   (n={repeat})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--supervisees", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from config.office_time import office_today
    from corrections.models import Supervisee
    from corrections.selectors import supervisee_list
    from supervision.models import CheckIn
    from supervision.sweep import sweep_run

    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        timed(
            f"seed_demo --supervisees {options.supervisees}",
            lambda: call_command("seed_demo", supervisees=options.supervisees, stdout=quiet),
        )
    print(f"population: {Supervisee.objects.count():,} supervisees, {CheckIn.objects.count():,} check-ins")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = office_today()
    raised = timed("supervision sweep, whole population (first run today)", lambda: sweep_run(as_of=today))
    print(f"  raised: {raised}")
    timed("supervision sweep again (raises nothing)", lambda: sweep_run(as_of=today), repeat=3)

    officer = User.objects.get(username="officer")

    def caseload_page():
        return list(supervisee_list(user=officer, filters={})[:50])

    timed("caseload page of 50: selector (SQL + model building)", caseload_page, repeat=options.repeat)
    client = Client()
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        client.get("/supervisees/")
    print(f"  /supervisees/ runs {len(queries)} queries")
    timed(
        "GET /supervisees/ page rendered (officer)",
        lambda: client.get("/supervisees/"),
        repeat=options.repeat,
    )
    timed(
        "GET /api/v1/supervisees/?page_size=50 (officer)",
        lambda: client.get("/api/v1/supervisees/?page_size=50"),
        repeat=options.repeat,
    )
    supervisor = User.objects.get(username="supervisor")
    client.force_login(supervisor)
    timed(
        "GET /api/v1/supervisees/?page_size=50 (supervisor, whole district)",
        lambda: client.get("/api/v1/supervisees/?page_size=50"),
        repeat=options.repeat,
    )
    timed(
        "GET /supervisees/?q=XCJZ-0001 search (supervisor)",
        lambda: client.get("/supervisees/?q=XCJZ-0001"),
        repeat=options.repeat,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
