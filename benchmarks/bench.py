"""`make bench`: the figures of issue 14 at BENCH_SUPERVISEES people, each beside the best hand-written SQL
for the same answer on the same data (benchmarks/sql/), their ratio, and the target met or by how much
not. Writes var/bench.json and an EXPLAIN ANALYZE of each hot query into benchmarks/explain/.

PostgreSQL only. The data goes into its own database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/correction_bench): created and migrated if missing, loaded with
`seed_scale` (supervision/scale.py) unless it already holds exactly BENCH_SUPERVISEES scale people (else it
is dropped and loaded again). The pages are timed in this process with Django's test client; the check-in
POSTs and the exports over real HTTP against gunicorn with 2 workers, as in production.

Environment: BENCH_SUPERVISEES (700000), BENCH_DISTRICTS (about one per 14,000 people, at most 50),
BENCH_DATABASE_URL, BENCH_CLIENTS (16), BENCH_CHECKIN_SECONDS (20), BENCH_REPEAT (20 requests per page,
fewer for a page slower than BENCH_PAGE_BUDGET_S seconds in all, default 30), BENCH_ONLY (a comma-separated
subset of the stages sweep, statistics, pages, http; all by default), BENCH_PAGES (a comma-separated subset
of the pages' figures, e.g. caseload,dashboard_officer; all by default), BENCH_HTTP (a subset of the http
stage's parts checkins, exports; both by default), BENCH_WEB_CONCURRENCY (gunicorn's workers, 2; WEB_THREADS
passes through to config/gunicorn.py). The check-in clients run in a process of their own
(benchmarks/checkin_client.py); the CPU that gunicorn, its PostgreSQL backends and the clients used per POST
is printed and kept in var/bench.json.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

ROOT = pathlib.Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
SQL = HERE / "sql"
EXPLAIN = HERE / "explain"
VAR = ROOT / "var"
BROKER = VAR / "bench-broker"
sys.path.insert(0, str(ROOT))

SIZE = int(os.environ.get("BENCH_SUPERVISEES", "700000"))
DISTRICTS = int(os.environ.get("BENCH_DISTRICTS", str(max(1, min(50, round(SIZE / 14_000))))))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/correction_bench")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
CHECKIN_SECONDS = float(os.environ.get("BENCH_CHECKIN_SECONDS", "20"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
PAGE_BUDGET_S = float(os.environ.get("BENCH_PAGE_BUDGET_S", "30"))
STAGES = ("sweep", "statistics", "pages", "http")
ONLY = {stage.strip() for stage in os.environ.get("BENCH_ONLY", ",".join(STAGES)).split(",") if stage.strip()}
PAGES = {page.strip() for page in os.environ.get("BENCH_PAGES", "").split(",") if page.strip()}
HTTP_PARTS = {p.strip() for p in os.environ.get("BENCH_HTTP", "checkins,exports").split(",") if p.strip()}
# gunicorn's worker processes (config/gunicorn.py reads WEB_CONCURRENCY; its threads, WEB_THREADS, pass
# through from this environment): the 2 unless BENCH_WEB_CONCURRENCY says otherwise.
WEB_CONCURRENCY = int(os.environ.get("BENCH_WEB_CONCURRENCY", "2"))

# figure -> (target, "max" or "min", unit, what the issue asks). Targets are the issue's, at 700,000.
TARGETS = {
    "sweep_ratio": (2.0, "max", "x", "sweep within 2x of the hand-written SQL"),
    "sweep_rerun_ratio": (2.0, "max", "x", "idempotent rerun within 2x of the hand-written SQL"),
    "caseload_p95_ms": (50, "max", "ms", "officer's caseload page p95"),
    "api_list_p95_ms": (50, "max", "ms", "supervisee list API page of 50, p95"),
    "alerts_api_p95_ms": (50, "max", "ms", "alerts API p95"),
    "monthly_all_s": (2.0, "max", "s", "monthly statistics, whole population"),
    "checkin_rps": (300, "min", "/s", "check-in POSTs per second, 16 clients"),
    "checkin_p95_ms": (100, "max", "ms", "check-in POST p95"),
    "checkins_lost": (0, "max", "", "check-ins acknowledged but not stored"),
    "export_first_byte_s": (1.0, "max", "s", "caseload export first byte"),
    "workbook_first_byte_s": (1.0, "max", "s", "monthly workbook first byte"),
    "export_growth_mib": (64, "max", "MiB", "worker memory growth serving the export (flat: streamed)"),
    "reports_page_p95_ms": (200, "max", "ms", "/reports/ page p95"),
    "dashboard_p95_ms": (200, "max", "ms", "dashboard p95 (the slower of officer and supervisor)"),
    "alerts_page_p95_ms": (200, "max", "ms", "alerts page p95"),
    "search_p95_ms": (200, "max", "ms", "caseload search p95"),
}


def say(line: str = "") -> None:
    print(line, flush=True)


def p95_at(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def p95(samples: list[float]) -> float:
    return p95_at(samples, 0.95)


# --- the database --------------------------------------------------------------------------------------


def _connect(url: str, dbname: str | None = None):
    import psycopg2

    parts = urlsplit(url)
    return psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname=dbname or parts.path.lstrip("/"),
    )


def prepare_database() -> tuple[bool, float | None]:
    """Create, migrate and load the bench database as needed. Returns (loaded now, seconds it took)."""
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "make bench needs PostgreSQL: set BENCH_DATABASE_URL=postgres://user@host:5432/correction_bench"
        )
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    try:
        admin = _connect(DATABASE_URL, "postgres")
    except Exception as error:  # noqa: BLE001 - any connection failure: say what to do
        sys.exit(f"make bench needs PostgreSQL, and {DATABASE_URL} did not answer: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
    present = 0
    if exists:
        with _connect(DATABASE_URL) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT to_regclass('corrections_supervisee') IS NOT NULL")
            if cursor.fetchone()[0]:
                cursor.execute("SELECT count(*) FROM corrections_supervisee WHERE case_number LIKE 'GM%%'")
                present = cursor.fetchone()[0]
        if present and present != SIZE:
            say(f"{name} holds {present:,} scale supervisees, not {SIZE:,}: dropping it")
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists, present = False, 0
    if not exists:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = _env()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )
    if present == SIZE:
        say(f"{name} already holds {SIZE:,} scale supervisees: reusing it")
        return False, None
    say(f"loading {SIZE:,} supervisees into {DISTRICTS} districts (seed_scale)")
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "seed_scale", f"--supervisees={SIZE}", f"--districts={DISTRICTS}"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return True, time.monotonic() - started


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_OWNER_URL", "DJANGO_DB_ROLE")}
    env.update(
        DATABASE_URL=DATABASE_URL,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DJANGO_DEBUG="false",
        PYTHONPATH=str(ROOT),
    )
    return env


# --- hand-written SQL ---------------------------------------------------------------------------------


def sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text()


def time_sql(
    name: str, params: dict, *, repeat: int = REPEAT, budget: float = PAGE_BUDGET_S
) -> tuple[list[float], str]:
    """Run benchmarks/sql/<name>.sql `repeat` times (fewer if slow); (seconds per run, interpolated SQL)."""
    from django.db import connection

    text = sql(name)
    samples: list[float] = []
    started = time.monotonic()
    with connection.cursor() as cursor:
        statement = cursor.mogrify(text, params).decode()
        for _ in range(repeat):
            mark = time.perf_counter()
            cursor.execute(statement)
            if cursor.description:
                cursor.fetchall()
            samples.append(time.perf_counter() - mark)
            if time.monotonic() - started > budget and len(samples) >= 3:
                break
    return samples, statement


def explain(name: str, statement: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) into benchmarks/explain/<name>.txt; a write is rolled back."""
    from django.db import connection, transaction

    EXPLAIN.mkdir(exist_ok=True)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - a plan we cannot take is noted, not fatal
        plan = f"(no plan: {error})"
    (EXPLAIN / f"{name}.txt").write_text(
        f"-- {SIZE:,} supervisees, {dt.date.today()}\n{statement}\n\n{plan}\n"
    )


# --- pages in this process ---------------------------------------------------------------------------


def time_page(client, path: str) -> tuple[list[float], int, float]:
    """p95 samples of `path`, after one request kept apart (the third value, its seconds): a live server's
    worker has loaded its templates and modules and has warm caches (the reports' closed months); the first
    request of this process is the cold start, reported beside the p95 as `<page>_first_ms`."""
    mark = time.perf_counter()
    warm = client.get(path)
    if getattr(warm, "streaming", False):
        b"".join(warm.streaming_content)
    first = time.perf_counter() - mark
    samples: list[float] = []
    started = time.monotonic()
    status = 0
    for _ in range(REPEAT):
        mark = time.perf_counter()
        response = client.get(path)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        samples.append(time.perf_counter() - mark)
        status = response.status_code
        if time.monotonic() - started > PAGE_BUDGET_S and len(samples) >= 3:
            break
    return samples, status, first


def slowest_orm_query(name: str, run, *, longest: int = 0) -> None:
    """Run once capturing the queries; EXPLAIN ANALYZE the slowest SELECT into explain/<name>.orm.txt.
    With `longest=n`, the n longest statements instead, into <name>.orm.1.txt ...: the sweep reads its
    rules through server-side cursors, whose time is spent in FETCH, not where the capture times it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    selects = []
    for query in captured.captured_queries:
        text = query["sql"].lstrip()
        if text.upper().startswith("DECLARE"):  # a server-side cursor (.iterator()): its SELECT follows FOR
            text = text.split(" FOR ", 1)[1]
        if text.upper().startswith(("SELECT", "WITH")):
            selects.append({**query, "sql": text})
    if longest:
        for number, query in enumerate(sorted(selects, key=lambda q: -len(q["sql"]))[:longest], start=1):
            explain(f"{name}.orm.{number}", query["sql"])
    elif selects:
        query = max(selects, key=lambda q: float(q["time"]))
        explain(f"{name}.orm", query["sql"])


# --- HTTP against gunicorn -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What a client behind the production TLS proxy sends (config/settings/production.py believes it from the
# proxy only: TLS_TERMINATED_BY_PROXY).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Gunicorn:
    """gunicorn as production runs it: config/gunicorn.py (gthread workers, WEB_THREADS threads each) and
    the production settings (persistent database connections, whitenoise, HTTPS behind a proxy), with
    the issue's 2 workers."""

    def __init__(self):
        from django.conf import settings

        self.port = free_port()
        gunicorn = pathlib.Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning"],
            cwd=ROOT,
            env={
                **_env(),
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                # This process's key, so the session it signs the supervisor in with is valid there.
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "TLS_TERMINATED_BY_PROXY": "true",
                "WEB_CONCURRENCY": str(WEB_CONCURRENCY),
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "PGAPPNAME": GUNICORN_APPLICATION_NAME,
                # The check-ins' follow-up messages go to a folder of the bench's own (emptied when the
                # server stops), not to var/celery-broker, where `make run`'s worker would take them.
                "CELERY_BROKER_DIR": str(BROKER),
            },
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/healthz", headers=PROXY_HEADERS)
                if connection.getresponse().status == 200 and len(self.workers()) == WEB_CONCURRENCY:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        try:
            text = pathlib.Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        shutil.rmtree(BROKER, ignore_errors=True)


def rss_mib(pid: int) -> float:
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process so far (0 once it is gone)."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The application_name of the bench gunicorn's database connections (libpq reads PGAPPNAME), so that the
# CPU of exactly their PostgreSQL backends can be read.
GUNICORN_APPLICATION_NAME = "bench-gunicorn"


def gunicorn_backends() -> dict[int, float]:
    """The bench gunicorn's PostgreSQL backends and the CPU each has used so far."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [GUNICORN_APPLICATION_NAME]
        )
        return {pid: cpu_seconds(pid) for (pid,) in cursor.fetchall()}


def checkin_load(server: Gunicorn, clients: list[tuple[str, list[int]]], run: str) -> dict:
    """`len(clients)` clients POST check-ins for CHECKIN_SECONDS, each with an Idempotency-Key (retried
    once with the same key on a dropped connection), from a process of their own
    (benchmarks/checkin_client.py: threads with keep-alive http.client connections, no Django). Returns
    what was sent and acknowledged (the acknowledged check-ins' ids), and the CPU that the gunicorn
    workers, their PostgreSQL backends and the clients each used meanwhile."""
    workers = server.workers()
    workers_before = {pid: cpu_seconds(pid) for pid in workers}
    backends_before = gunicorn_backends()
    spec = {"port": server.port, "seconds": CHECKIN_SECONDS, "run": run, "clients": clients}
    done = subprocess.run(
        [sys.executable, str(HERE / "checkin_client.py")],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    load = json.loads(done.stdout)
    load["gunicorn_cpu_s"] = sum(cpu_seconds(pid) - workers_before[pid] for pid in workers)
    load["postgres_cpu_s"] = sum(
        cpu - backends_before.get(pid, 0.0) for pid, cpu in gunicorn_backends().items()
    )
    return load


def hand_checkin_load(clients: list[tuple[int, list[int]]], run: str) -> dict:
    """The same load as single INSERTs from 16 connections, one transaction each (checkin.sql)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + min(CHECKIN_SECONDS, 10)
    text = sql("checkin")

    def client(officer: int, cases: list[int]) -> None:
        conn = _connect(DATABASE_URL)
        conn.autocommit = True
        n = 0
        with conn.cursor() as cursor:
            while time.monotonic() < stop_at:
                mark = time.perf_counter()
                cursor.execute(
                    text, {"supervisee": cases[n % len(cases)], "officer": officer, "notes": f"hand {run}"}
                )
                with lock:
                    latencies.append(time.perf_counter() - mark)
                n += 1
        conn.close()

    threads = [threading.Thread(target=client, args=args) for args in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "seconds": time.monotonic() - started}


def export(server: Gunicorn, path: str, cookie: str) -> dict:
    """GET an export over HTTP: time to the first body byte, total, bytes, and the RSS of the workers
    (sampled every 20 ms) before and at peak."""
    baseline = {pid: rss_mib(pid) for pid in server.workers()}
    peak = dict(baseline)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in peak:
                peak[pid] = max(peak[pid], rss_mib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=1800)
    started = time.perf_counter()
    connection.request("GET", path, headers={**PROXY_HEADERS, "Cookie": cookie})
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size = len(first)
    while chunk := response.read(1 << 16):
        size += len(chunk)
    total = time.perf_counter() - started
    done.set()
    sampler.join()
    worker = max(peak, key=lambda pid: peak[pid] - baseline[pid]) if peak else None
    return {
        "status": response.status,
        "first_byte_s": first_byte,
        "total_s": total,
        "bytes": size,
        "peak_mib": peak.get(worker, 0.0),
        "growth_mib": (peak[worker] - baseline[worker]) if worker else 0.0,
    }


def hand_export(district: int) -> dict:
    """COPY the district's caseload to a sink: time to the first byte and in all."""
    conn = _connect(DATABASE_URL)
    first: list[float] = []
    size = [0]
    started = time.perf_counter()

    class Sink:
        def write(self, data):
            if not first:
                first.append(time.perf_counter() - started)
            size[0] += len(data)

    with conn.cursor() as cursor:
        cursor.copy_expert(cursor.mogrify(sql("export"), {"district": district}).decode(), Sink())
    conn.close()
    return {
        "first_byte_s": first[0] if first else 0.0,
        "total_s": time.perf_counter() - started,
        "bytes": size[0],
    }


# --- the run -----------------------------------------------------------------------------------------------


def main() -> int:
    loaded, seed_s = prepare_database()
    os.environ.update(_env())
    import django

    django.setup()
    from django.db.models import Count
    from django.test.utils import setup_test_environment

    from accounts.models import District, User
    from config.office_time import office_today
    from corrections.models import Supervisee
    from reports.statistics import month_bounds
    from supervision.models import CheckIn
    from supervision.scale import CASE_PREFIX

    setup_test_environment()
    today = office_today()
    result: dict = {
        "supervisees": Supervisee.objects.filter(case_number__startswith=CASE_PREFIX).count(),
        "checkins": CheckIn.objects.count(),
        "districts": District.objects.filter(agencies__kind="justice_office").distinct().count(),
        "date": today.isoformat(),
        "seed_s": round(seed_s, 1) if seed_s is not None else None,
        "loaded_now": loaded,
    }
    say(
        f"{result['supervisees']:,} supervisees, "
        f"{result['checkins']:,} check-ins, {result['districts']} districts"
    )
    hand: dict[str, float] = {}

    # Whom to sign in as: the largest district's supervisor, and an officer of its largest office.
    biggest = (
        Supervisee.objects.filter(case_number__startswith=CASE_PREFIX)
        .values("justice_office__district", "justice_office")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    district_id, office_id = biggest["justice_office__district"], biggest["justice_office"]
    district = District.objects.get(pk=district_id)
    supervisor = User.objects.get(username=f"supervisor_{district.code}")
    officer = User.objects.filter(agency_id=office_id, role="justice_officer").order_by("username").first()
    result["district_size"] = Supervisee.objects.filter(justice_office__district=district_id).count()
    result["office_size"] = biggest["n"]

    core = ("missed_report", "intake_overdue", "term_ending", "leave_overdue")
    if "sweep" in ONLY:
        sweep_stage(result, hand, today, core)
    first, last = month_bounds((today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
    if "statistics" in ONLY:
        statistics_stage(result, hand, district_id, first, last)
    if "pages" in ONLY:
        autovacuum_stand_in()
        pages_stage(result, hand, officer, supervisor, district_id, office_id, today, first)
    if "http" in ONLY:
        http_stage(result, hand, district_id, supervisor, first)
    result["hand_sql"] = hand
    write(result)
    return 0


def autovacuum_stand_in() -> None:
    """VACUUM (ANALYZE) what the bench itself wrote (the sweep's alerts) before timing the pages. A live
    server's autovacuum keeps the planner's statistics and the visibility map of a table that just took
    100,000 rows; this machine's PostgreSQL runs with autovacuum off, and the pages' plans over alerts with
    no statistics are not what production would run."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) supervision_alert, supervision_sweeprun")


def sweep_stage(result: dict, hand: dict, today: dt.date, core: tuple[str, ...]) -> None:
    """1. The sweep: every registered rule, first run on no alerts, then the idempotent rerun. Then the
    rules the hand-written SQL covers (the ones with data at scale: missed reports, intakes, terms
    ending, leave), alone, so the ratio compares the same answer."""
    from django.db import connection

    import supervision.sweep as sweep_module
    from config.office_time import start_of_day
    from corrections.intake import INTAKE_DAYS
    from supervision.models import Alert
    from supervision.sweep import sweep_run

    Alert.objects.all()._raw_delete(Alert.objects.db)
    mark = time.perf_counter()
    raised = sweep_run(as_of=today)
    result["sweep_all_rules_s"] = time.perf_counter() - mark
    result["sweep_raised"] = raised
    mark = time.perf_counter()
    sweep_run(as_of=today)
    result["sweep_all_rules_rerun_s"] = time.perf_counter() - mark
    slowest_orm_query("sweep", lambda: sweep_run(as_of=today), longest=3)
    registry = getattr(sweep_module, "_rules", None)
    Alert.objects.all()._raw_delete(Alert.objects.db)
    saved = dict(registry) if isinstance(registry, dict) else None
    if saved is not None:
        registry.clear()
        registry.update({kind: rule for kind, rule in saved.items() if kind in core})
    try:
        mark = time.perf_counter()
        sweep_run(as_of=today)
        result["sweep_s"] = time.perf_counter() - mark
        mark = time.perf_counter()
        sweep_run(as_of=today)
        result["sweep_rerun_s"] = time.perf_counter() - mark
    finally:
        if saved is not None:
            registry.clear()
            registry.update(saved)
    result["sweep_core_rules_only"] = saved is not None
    params = {
        "as_of": today,
        "rule_day": today - dt.timedelta(days=1),
        "cutoff": start_of_day(today),
        "intake_days": INTAKE_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS hand_alert (supervisee_id bigint, kind text, due_date date, "
            "UNIQUE (supervisee_id, kind, due_date))"
        )
        cursor.execute("TRUNCATE hand_alert")
        statement = cursor.mogrify(sql("sweep"), params).decode()
        mark = time.perf_counter()
        cursor.execute(statement)
        hand["sweep"] = time.perf_counter() - mark
        mark = time.perf_counter()
        cursor.execute(statement)  # the rerun: everything conflicts
        hand["sweep_rerun"] = time.perf_counter() - mark
        cursor.execute(
            "SELECT (SELECT count(*) FROM (SELECT supervisee_id, kind, due_date FROM supervision_alert "
            "WHERE kind = ANY(%s) EXCEPT SELECT supervisee_id, kind, due_date FROM hand_alert) a), "
            "(SELECT count(*) FROM (SELECT supervisee_id, kind, due_date FROM hand_alert EXCEPT "
            "SELECT supervisee_id, kind, due_date FROM supervision_alert WHERE kind = ANY(%s)) b), "
            "(SELECT count(*) FROM hand_alert)",
            [list(core), list(core)],
        )
        only_sweep, only_hand, hand_rows = cursor.fetchone()
        cursor.execute("TRUNCATE hand_alert")
    explain("sweep.sql", statement)
    result["sweep_hand_sql_s"] = hand["sweep"]
    result["sweep_hand_rows"] = hand_rows
    result["sweep_hand_disagree"] = {"only_sweep": only_sweep, "only_hand": only_hand}
    result["sweep_ratio"] = result["sweep_s"] / hand["sweep"]
    result["sweep_rerun_ratio"] = result["sweep_rerun_s"] / hand["sweep_rerun"]
    say(
        f"sweep, every rule {result['sweep_all_rules_s']:.1f} s "
        f"(rerun {result['sweep_all_rules_rerun_s']:.1f} s); "
        f"the core rules {result['sweep_s']:.1f} s (rerun {result['sweep_rerun_s']:.1f} s); "
        f"hand SQL {hand['sweep']:.2f} s"
    )


def statistics_stage(result: dict, hand: dict, district_id: int, first: dt.date, last: dt.date) -> None:
    """2. Monthly statistics: one district and everyone, last month."""
    from corrections.models import Supervisee
    from reports.statistics import monthly_statistics

    district_cases = Supervisee.objects.filter(justice_office__district=district_id)
    for key, population, district_param in (
        ("monthly_district_s", district_cases, district_id),
        ("monthly_all_s", Supervisee.objects.all(), None),
    ):
        # The best of three, as the hand SQL's below (the first, printed apart, also warms the buffers).
        runs = []
        for _run in range(3):
            mark = time.perf_counter()
            monthly_statistics(supervisees=population, month=first)
            runs.append(time.perf_counter() - mark)
        result[key], result[key.removesuffix("_s") + "_first_s"] = min(runs), runs[0]
        samples, statement = time_sql(
            "monthly", {"district": district_param, "first": first, "last": last}, repeat=3
        )
        hand[key] = min(samples)
        explain(f"{key.removesuffix('_s')}.sql", statement)
        say(f"{key} {result[key]:.2f} s (the first of three {runs[0]:.2f} s), hand SQL {hand[key]:.2f} s")
    slowest_orm_query(
        "monthly_all", lambda: monthly_statistics(supervisees=Supervisee.objects.all(), month=first)
    )


def pages_stage(result, hand, officer, supervisor, district_id, office_id, today, first) -> None:
    """3. Pages and API lists, signed in, in this process (Django's test client)."""
    from django.test import Client

    from config.office_time import start_of_day
    from corrections.models import Supervisee

    officer_client, supervisor_client = Client(), Client()
    officer_client.force_login(officer)
    supervisor_client.force_login(supervisor)
    surname_pattern = (
        Supervisee.objects.filter(justice_office__district=district_id)
        .values_list("name", flat=True)
        .first()[:2]
    )
    week_start = start_of_day(today - dt.timedelta(days=today.weekday()))
    trend_year, trend_month = (
        (first.year, first.month - 11) if first.month == 12 else (first.year - 1, first.month + 1)
    )
    months = (dt.date(trend_year, trend_month, 1), first)  # the twelve months ending with `first`
    office = {"office": office_id}
    week = {"district": district_id, "week_start": week_start}
    search = {"district": district_id, "pattern": f"%{surname_pattern}%"}
    trend = {"district": district_id, "first_month": months[0], "last_month": months[1]}
    pages = [
        ("caseload_p95_ms", officer_client, "/supervisees/", "caseload", office),
        ("api_list_p95_ms", officer_client, "/api/v1/supervisees/?page_size=50", "api_list", office),
        ("alerts_api_p95_ms", officer_client, "/api/v1/alerts/", "alerts_api", office),
        ("dashboard_officer_p95_ms", officer_client, "/", "dashboard", week),
        ("dashboard_supervisor_p95_ms", supervisor_client, "/", "dashboard", week),
        ("alerts_page_p95_ms", supervisor_client, "/alerts/", "alerts_api", office),
        ("search_p95_ms", supervisor_client, f"/supervisees/?q={surname_pattern}", "search", search),
        ("reports_page_p95_ms", supervisor_client, "/reports/", "reports_page", trend),
    ]  # fmt: skip
    for key, client, path, hand_name, hand_params in pages:
        if PAGES and key.removesuffix("_p95_ms") not in PAGES:
            continue
        samples, status, first_s = time_page(client, path)
        result[key] = p95(samples) * 1000
        result[key.replace("_p95_ms", "_first_ms")] = first_s * 1000
        result[key.replace("_p95_ms", "_status")] = status
        hand_samples, statement = time_sql(hand_name, hand_params)
        hand[key] = p95(hand_samples) * 1000
        explain(f"{key.removesuffix('_p95_ms')}.sql", statement)
        slowest_orm_query(key.removesuffix("_p95_ms"), lambda client=client, path=path: client.get(path))
        say(
            f"{key} {result[key]:.0f} ms ({len(samples)} requests after a first of {first_s * 1000:.0f} ms, "
            f"HTTP {status}), hand SQL {hand[key]:.1f} ms"
        )
    dashboards = [key for key in ("dashboard_officer_p95_ms", "dashboard_supervisor_p95_ms") if key in result]
    if dashboards:
        result["dashboard_p95_ms"] = max(result[key] for key in dashboards)
        hand["dashboard_p95_ms"] = max(hand[key] for key in dashboards)


def http_stage(result: dict, hand: dict, district_id: int, supervisor, first: dt.date) -> None:
    """4. Over HTTP against gunicorn: check-in POSTs from 16 clients, then the exports."""
    from django.db.models import Count, Q
    from django.test import Client
    from knox.models import AuthToken

    from accounts.models import User
    from corrections.constants import EXIT_STATUSES, Status
    from corrections.models import Supervisee
    from supervision.models import CheckIn

    supervisor_client = Client()
    supervisor_client.force_login(supervisor)
    open_cases = ~Q(status__in=sorted(EXIT_STATUSES))
    officers = list(
        User.objects.filter(role="justice_officer", username__startswith="o")
        .annotate(n=Count("caseload", filter=Q(caseload__status=Status.UNDER_SUPERVISION)))
        .filter(n__gte=10)
        .order_by("-n")[:CLIENTS]
    )
    clients, hand_clients = [], []
    for user in officers:
        cases = list(
            Supervisee.objects.filter(
                open_cases, justice_office=user.agency_id, status=Status.UNDER_SUPERVISION
            ).values_list("pk", flat=True)[:200]
        )
        _token, key = AuthToken.objects.create(user)
        clients.append((key, cases))
        hand_clients.append((user.pk, cases))
    run = uuid.uuid4().hex[:12]
    server = Gunicorn()
    try:
        if "checkins" in HTTP_PARTS:
            say(
                f"check-in POSTs: {len(clients)} clients for {CHECKIN_SECONDS:.0f} s against gunicorn "
                f"({WEB_CONCURRENCY} workers of {os.environ.get('WEB_THREADS', '4')} threads, "
                "config/gunicorn.py)"
            )
            load = checkin_load(server, clients, run)
            acknowledged = load["acknowledged"]
            stored = CheckIn.objects.filter(notes=f"bench {run}").count()
            # Each acknowledged check-in by its id, as well as the count: an answer 201 whose row is missing.
            found = set(CheckIn.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
            result["checkin_rps"] = len(acknowledged) / load["seconds"]
            result["checkin_p95_ms"] = p95(load["latencies"]) * 1000 if load["latencies"] else float("nan")
            result["checkin_p50_ms"] = (
                p95_at(load["latencies"], 0.5) * 1000 if load["latencies"] else float("nan")
            )
            result["checkins_acknowledged"] = len(acknowledged)
            result["checkins_stored"] = stored
            result["checkins_lost"] = len(set(acknowledged) - found)
            result["checkins_duplicated"] = (
                max(0, stored - len(acknowledged)) + len(acknowledged) - len(set(acknowledged))
            )
            # CPU per acknowledged POST, in milliseconds: where the machine's two cores went.
            per_post = 1000 / max(1, len(acknowledged))
            result["checkin_gunicorn_cpu_ms"] = load["gunicorn_cpu_s"] * per_post
            result["checkin_postgres_cpu_ms"] = load["postgres_cpu_s"] * per_post
            result["checkin_client_cpu_ms"] = load["cpu_s"] * per_post
            result["checkin_errors"] = len(load["errors"])
            result["checkin_error_sample"] = load["errors"][:5]
            hand_load = hand_checkin_load(hand_clients, run)
            hand["checkin_rps"] = len(hand_load["latencies"]) / hand_load["seconds"]
            hand["checkin_p95_ms"] = p95(hand_load["latencies"]) * 1000
            say(
                f"check-ins {result['checkin_rps']:.0f}/s, p95 {result['checkin_p95_ms']:.0f} ms, "
                f"lost {result['checkins_lost']}, errors {result['checkin_errors']}; CPU per POST: "
                f"gunicorn {result['checkin_gunicorn_cpu_ms']:.1f} ms, its PostgreSQL backends "
                f"{result['checkin_postgres_cpu_ms']:.1f} ms, "
                f"the clients {result['checkin_client_cpu_ms']:.1f} ms"
            )

        if "exports" in HTTP_PARTS:
            cookie = f"sessionid={supervisor_client.cookies['sessionid'].value}"
            caseload_export = export(server, "/reports/exports/caseload.csv", cookie)
            result["export_first_byte_s"] = caseload_export["first_byte_s"]
            result["export_total_s"] = caseload_export["total_s"]
            result["export_bytes"] = caseload_export["bytes"]
            result["export_status"] = caseload_export["status"]
            result["export_peak_mib"] = caseload_export["peak_mib"]
            result["export_growth_mib"] = caseload_export["growth_mib"]
            xlsx = export(server, "/reports/exports/caseload.xlsx", cookie)
            result["export_xlsx_first_byte_s"] = xlsx["first_byte_s"]
            result["export_xlsx_peak_mib"] = xlsx["peak_mib"]
            result["export_xlsx_growth_mib"] = xlsx["growth_mib"]
            workbook = export(server, f"/api/v1/reports/monthly.xlsx?month={first:%Y-%m}", cookie)
            result["workbook_first_byte_s"] = workbook["first_byte_s"]
            result["workbook_status"] = workbook["status"]
            result["workbook_growth_mib"] = workbook["growth_mib"]
            hand_copy = hand_export(district_id)
            hand["export_first_byte_s"] = hand_copy["first_byte_s"]
            hand["export_total_s"] = hand_copy["total_s"]
            say(
                f"export first byte {result['export_first_byte_s']:.2f} s, "
                f"total {result['export_total_s']:.1f} s, "
                f"worker peak {result['export_peak_mib']:.0f} MiB (+{result['export_growth_mib']:.0f})"
            )
    finally:
        server.stop()
        CheckIn.objects.filter(Q(notes=f"bench {run}") | Q(notes=f"hand {run}"))._raw_delete(
            CheckIn.objects.db
        )


def verdict(key: str, value: float) -> str:
    target, sense, unit, _what = TARGETS[key]
    if value != value:  # NaN
        return "not measured"
    met = value <= target if sense == "max" else value >= target
    if met:
        return "met"
    if sense == "max":
        return f"not met: {value / target:.1f}x the target" if target else f"not met: {value:g}"
    return f"not met: {value / target:.0%} of the target"


def write(result: dict) -> None:
    hand = result["hand_sql"]
    rows = []
    for key, (target, sense, unit, what) in TARGETS.items():
        if key not in result:
            continue
        value = result[key]
        base_key = {
            "sweep_ratio": "sweep",
            "sweep_rerun_ratio": "sweep_rerun",
            "export_growth_mib": None,
        }.get(key, key)
        base = hand.get(base_key) if base_key else None
        if key in ("sweep_ratio", "sweep_rerun_ratio"):
            shown = f"{value:.1f}x ({result['sweep_s' if key == 'sweep_ratio' else 'sweep_rerun_s']:.1f} s)"
            base_shown, ratio = f"{base:.2f} s", ""
        else:
            shown = f"{value:.2f} {unit}".strip()
            base_shown = f"{base:.2f} {unit}".strip() if base is not None else "-"
            ratio = f"{value / base:.1f}x" if base else "-"
        comparator = "<=" if sense == "max" else ">="
        rows.append(
            (what, shown, base_shown, ratio, f"{comparator} {target:g} {unit}".strip(), verdict(key, value))
        )
    widths = [
        max(
            len(str(row[i]))
            for row in [("figure", "measured", "hand SQL", "ratio", "target", "verdict"), *rows]
        )
        for i in range(6)
    ]
    say()
    say(
        f"make bench: {result['supervisees']:,} supervisees, {result['checkins']:,} check-ins, "
        f"{result['districts']} districts, {result['date']}"
    )
    for row in [("figure", "measured", "hand SQL", "ratio", "target", "verdict"), *rows]:
        say("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    if "sweep_all_rules_s" in result:
        say(
            f"the whole sweep (every registered rule, some with no hand-written SQL here): "
            f"{result['sweep_all_rules_s']:.1f} s, rerun {result['sweep_all_rules_rerun_s']:.1f} s; "
            f"the hand SQL and the sweep disagree on {sum(result['sweep_hand_disagree'].values())} alerts"
        )
    VAR.mkdir(exist_ok=True)
    (VAR / "bench.json").write_text(json.dumps(result, indent=2, default=str, ensure_ascii=False) + "\n")
    say(f"\nwrote {VAR / 'bench.json'} and {EXPLAIN}/")


if __name__ == "__main__":
    sys.exit(main())
