"""The scale loader (supervision/scale.py, `seed_scale`) at a small size, and that `make bench`'s script
imports. The loader's COPY is PostgreSQL's; on SQLite it refuses with a clear message."""

import datetime as dt
import importlib.util
import pathlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Max

from accounts.models import Agency, District, User
from corrections.constants import Category, Status
from corrections.idnumber import validate_id_number
from corrections.models import Sentence, StatusChange, Supervisee
from supervision import scale
from supervision.models import CheckIn
from supervision.sweep import sweep_run

TODAY = dt.date(2026, 11, 20)
ROOT = pathlib.Path(__file__).resolve().parents[2]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the loader uses PostgreSQL's COPY"
)


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


@postgres_only
@pytest.mark.django_db
def test_the_loader_writes_a_valid_population_in_realistic_offices(monkeypatch):
    monkeypatch.setattr(scale, "BATCH", 300)  # several batches: COPY in its thread beside the generation
    tables = [model._meta.db_table for model in (Supervisee, Sentence, StatusChange, CheckIn)]
    before = {table: _indexes(table) for table in tables}

    counts = scale.scale_seed(supervisees=2_000, districts=2, today=TODAY)

    people = Supervisee.objects.filter(case_number__startswith=scale.CASE_PREFIX)
    assert counts["supervisees"] == people.count() == 2_000
    assert Sentence.objects.filter(supervisee__in=people).count() == 2_000  # every person has a sentence
    assert counts["checkins"] == CheckIn.objects.filter(supervisee__in=people).count()
    assert 5 * 2_000 < counts["checkins"] < 15 * 2_000  # about ten check-ins a person
    assert people.values("case_number").distinct().count() == 2_000
    for number in people.values_list("id_number", flat=True):
        validate_id_number(number)  # raises on a bad check character
    assert set(people.values_list("sentence__category", flat=True)) == set(Category.values)
    assert people.filter(gender="male").count() > 0.8 * 2_000
    # Two districts, each with its offices of a few hundred to a few thousand, and officers carrying 50-150.
    assert District.objects.filter(code__in=[scale.district_code(0), scale.district_code(1)]).count() == 2
    # Each district sits under its prefecture's city (the city level of accounts.models.City).
    for district in District.objects.filter(code__in=[scale.district_code(0), scale.district_code(1)]):
        assert district.city.code == district.code[:4]
    offices = people.values("justice_office").annotate(n=Count("id"))
    assert all(300 <= row["n"] <= scale.OFFICE_MAX for row in offices)
    caseloads = [row["n"] for row in people.values("officer").annotate(n=Count("id"))]
    assert min(caseloads) >= 50 and max(caseloads) <= 150
    assert all(
        Agency.objects.get(pk=row["justice_office"]).users.filter(role="justice_officer").exists()
        for row in offices
    )
    assert User.objects.filter(
        username=f"supervisor_{scale.district_code(0)}", role="justice_supervisor"
    ).exists()
    # The kept summary agrees with the check-ins it summarises.
    sample = people.filter(status=Status.UNDER_SUPERVISION).annotate(last=Max("checkins__occurred_at"))[:50]
    assert all(person.last_contact_at == person.last for person in sample)
    # The indexes dropped for the load are back, and the sequences continue after the loaded ids.
    assert {table: _indexes(table) for table in tables} == before
    assert CheckIn.objects.create(
        supervisee=people.first(), kind="phone", occurred_at=dt.datetime(2026, 11, 19, tzinfo=dt.UTC),
        recorded_by=User.objects.filter(role="justice_officer").first(),
    ).pk > counts["checkins"]  # fmt: skip
    # Some people stopped reporting: the sweep has missed reports to raise.
    assert sweep_run(as_of=TODAY)["missed_report"] > 0

    with pytest.raises(RuntimeError, match="exist already"):
        scale.scale_seed(supervisees=10, districts=1, today=TODAY)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
@pytest.mark.django_db
def test_the_loader_refuses_sqlite_by_name():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", supervisees=10)


def test_office_and_district_sizes_add_up():
    import random

    rng = random.Random(1)
    sizes = scale._office_sizes(rng, 14_000)
    assert sum(sizes) == 14_000 and max(sizes) <= scale.OFFICE_MAX and min(sizes) >= 250
    assert sum(scale._district_sizes(rng, 700_000, 50)) == 700_000
    assert len({scale.district_code(n) for n in range(50)}) == 50


def test_the_bench_script_imports_and_its_sql_exists():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    names = ["sweep", "caseload", "api_list", "alerts_api", "dashboard", "search", "monthly", "reports_page"]
    for name in [*names, "export", "checkin"]:
        assert "%(" in bench.sql(name)
    assert bench.p95([float(n) for n in range(1, 101)]) == 95.0
    assert bench.verdict("checkin_rps", 150) == "not met: 50% of the target"
    assert bench.verdict("caseload_p95_ms", 40) == "met"


@pytest.mark.django_db
def test_seed_demo_hands_a_benchmark_population_to_seed_scale(monkeypatch):
    from corrections.management.commands import seed_demo

    demo_sizes = []
    monkeypatch.setattr(seed_demo, "SCALE_FROM", 50)
    monkeypatch.setattr(
        seed_demo, "demo_seed", lambda *, supervisees, today, **_: demo_sizes.append(supervisees) or []
    )
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("seed_demo", supervisees=400, date=TODAY)
    else:
        call_command("seed_demo", supervisees=400, date=TODAY)
        assert Supervisee.objects.filter(case_number__startswith=scale.CASE_PREFIX).count() == 400
    assert demo_sizes == [seed_demo.DEFAULT_SUPERVISEES]  # the demo district keeps its usual size
