"""A national-scale population for benchmarks: `manage.py seed_scale --supervisees N --districts K`
(and `seed_demo --supervisees N` for large N, which delegates here). PostgreSQL only.

What it writes: K districts (GB/T 2260-shaped codes of Shandong's prefectures other than Zaozhuang, so
they never collide with the demo's Xuecheng or the cities' Zaozhuang districts), each with its bureau,
justice offices of a few hundred to a few thousand cases, police, procuratorate, court, intermediate
court and prison; officers with about a hundred cases each (50-150); a supervisor, procurator, judge and
police user per district; and N supervisees with their sentences, prohibition orders, dated status
history and months of check-ins (about ten per person; some people stopped reporting, so the sweep has
missed reports to raise).

Each person is the demo's own case generator (corrections.demo.build_case: ages, sexes, education,
crimes, the four sentence categories, periods computed by corrections.periods, lifecycles the state
machine allows), moved into its district: a case number of the district's own (`GM<code>-0000001`), an
ID number mostly of the district's region with a valid GB 11643 check character and unique among open
cases, and the district's office and officer.

Why not the ORM: at 700,000 people and 7 million check-ins, `bulk_create` spends most of its time in
Python and in index maintenance. Here rows are formatted once as COPY text and streamed with psycopg2's
`copy_expert`; the secondary indexes and foreign keys of the loaded tables are dropped first and rebuilt
after (one sort per index instead of millions of inserts; one join per foreign key instead of a trigger
per row), all in one transaction, so a failed load leaves the schema as it was. Only the tables' owner
may drop indexes (`DJANGO_DB_ROLE=owner`); as the application role it loads with them in place, slower.
Like the demo it bypasses the services (one audit row for the whole load).

Lives in supervision, not corrections: it writes check-ins, and imports point one way.
"""

import datetime as dt
import io
import math
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import Agency, City, District, User
from accounts.services import agency_group, audit_record
from config.office_time import office_today
from corrections.constants import Category, ManagementLevel, Status
from corrections.demo import DEMO_PASSWORD, build_case, prohibition_kind
from corrections.idnumber import make_id_number
from corrections.models import Prohibition, Sentence, StatusChange, Supervisee

from .constants import CheckInKind
from .duties import report_clock_refresh
from .models import CheckIn

CASE_PREFIX = "GM"  # 规模: the scale population's case numbers, GM<district code>-<7 digits>
DEFAULT_DISTRICTS = 50
BATCH = 20_000
# The months of check-ins each case carries (up to its exit), about ten reports a person.
CHECKIN_DAYS = 120
# Offices: "a few hundred to a few thousand" cases each; officers carry about a hundred (50-150).
OFFICE_MEAN, OFFICE_MAX = 1_100, 3_000
CASES_PER_OFFICER = 100
# Share of people under supervision who stopped reporting 15-60 days ago (the sweep's missed reports).
STOPPED_REPORTING = 0.04

# Shandong's prefecture-level cities (GB/T 2260), Zaozhuang (3704) left out: the demo and the cities
# helper's districts live there.
PREFECTURES = (
    ("3701", "济南市"),
    ("3702", "青岛市"),
    ("3703", "淄博市"),
    ("3705", "东营市"),
    ("3706", "烟台市"),
    ("3707", "潍坊市"),
    ("3708", "济宁市"),
    ("3709", "泰安市"),
    ("3710", "威海市"),
    ("3711", "日照市"),
    ("3713", "临沂市"),
    ("3714", "德州市"),
    ("3715", "聊城市"),
    ("3716", "滨州市"),
    ("3717", "菏泽市"),
)
_STAFF_SURNAMES = "王张李刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_STAFF_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲"
_OFFICE_TOWNS = "城关东城西城南城北城新城开发区高新区龙山凤凰青山白马长安太平和平兴隆永安安乐金山石桥".strip()
# (every report days, kinds that count) per level, as supervision/migrations/0002_default_rules.py.
_REPORTING = {
    ManagementLevel.STRICT: (7, ("in_person",)),
    ManagementLevel.NORMAL: (14, ("in_person", "phone", "video", "self_report")),
    ManagementLevel.LENIENT: (30, ("in_person", "phone", "self_report", "written_report")),
}
_HOME_VISIT_DAYS = {ManagementLevel.STRICT: 30, ManagementLevel.NORMAL: 60, ManagementLevel.LENIENT: 90}
_LOADED = (Supervisee, Sentence, Prohibition, StatusChange, CheckIn)


def district_code(number: int) -> str:
    """The number-th scale district's code: prefectures in turn, districts 81.. within each (codes above
    80 are rare in GB/T 2260's real county list, so these read as made-up)."""
    prefix, _name = PREFECTURES[number % len(PREFECTURES)]
    return f"{prefix}{81 + number // len(PREFECTURES):02d}"


def district_name(number: int) -> str:
    _prefix, city = PREFECTURES[number % len(PREFECTURES)]
    return f"{city}第{number // len(PREFECTURES) + 1}区"


def case_number(code: str, index: int) -> str:
    return f"{CASE_PREFIX}{code}-{index:07d}"


# --- COPY text -------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


class _Table:
    """The rows of one table for one batch, as COPY text, with the columns named once."""

    def __init__(self, model, columns: list[str]):
        self.model = model
        self.columns = columns
        self.buffer = io.StringIO()
        self.rows = 0

    def add(self, *values: Any) -> None:
        self.buffer.write("\t".join(map(_text, values)))
        self.buffer.write("\n")
        self.rows += 1

    def add_line(self, line: str) -> None:
        self.buffer.write(line)
        self.rows += 1

    def copy(self, cursor) -> None:
        if not self.rows:
            return
        self.buffer.seek(0)
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(map(connection.ops.quote_name, self.columns))
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", self.buffer, size=1 << 20)
        self.buffer = io.StringIO()
        self.rows = 0


class _Ids:
    """Ids for one table, reserved from its own sequence a batch at a time (nextval: the application role
    may call it, and rows added beside the load take other ids). Only the parents need them here: the
    children's ids come from the column's default during the COPY."""

    def __init__(self, cursor, model):
        self.cursor = cursor
        self.table = model._meta.db_table
        self.free: list[int] = []

    def take(self) -> int:
        if not self.free:
            self.reserve()
        return self.free.pop()

    def reserve(self) -> None:
        """Have at least a batch's ids in hand."""
        if len(self.free) < BATCH:
            self.cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.table, BATCH],
            )
            self.free = [row[0] for row in reversed(self.cursor.fetchall())] + self.free


# --- indexes and foreign keys off during the load ----------------------------------------------------------


def _secondary_schema(cursor) -> tuple[list[tuple[str, str]], list[tuple[str, str, str]]]:
    """(index name, CREATE INDEX statement) for every index not backing a constraint, and (table,
    constraint name, definition) for every foreign key, of the loaded tables."""
    indexes, foreign_keys = [], []
    for model in _LOADED:
        table = model._meta.db_table
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes += cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        foreign_keys += [(table, name, definition) for name, definition in cursor.fetchall()]
    return indexes, foreign_keys


def _owns_tables(cursor) -> bool:
    cursor.execute(
        "SELECT bool_and(pg_has_role(current_user, tableowner, 'USAGE')) FROM pg_tables "
        "WHERE schemaname = current_schema() AND tablename = ANY(%s)",
        [[model._meta.db_table for model in _LOADED]],
    )
    return bool(cursor.fetchone()[0])


# --- districts, agencies, users ------------------------------------------------------------------------


def _office_sizes(rng: random.Random, people: int) -> list[int]:
    """Cases per office for a district of `people`: a few hundred to a few thousand, summing to it."""
    count = max(1, round(people / OFFICE_MEAN))
    while True:
        weights = [rng.uniform(0.3, 2.0) for _ in range(count)]
        total = sum(weights)
        sizes = [int(people * weight / total) for weight in weights]
        sizes[0] += people - sum(sizes)
        if max(sizes) <= OFFICE_MAX:
            return sizes
        count += 1


def _district_sizes(rng: random.Random, people: int, districts: int) -> list[int]:
    """Districts differ: a county of 5,000 and a city district of 25,000 (weights 0.4 to 1.8)."""
    weights = [rng.uniform(0.4, 1.8) for _ in range(districts)]
    total = sum(weights)
    sizes = [int(people * weight / total) for weight in weights]
    sizes[0] += people - sum(sizes)
    return sizes


def _seed_structure(rng: random.Random, *, people: int, districts: int, password: str) -> list[dict]:
    """The districts, agencies and users; one dict per district with what the rows need."""
    plans = []
    new_users: list[User] = []
    for number, size in enumerate(_district_sizes(rng, people, districts)):
        code, name = district_code(number), district_name(number)
        prefix, city_name = PREFECTURES[number % len(PREFECTURES)]
        city, _created = City.objects.get_or_create(code=prefix, defaults={"name": city_name})
        district, _created = District.objects.get_or_create(code=code, defaults={"name": name, "city": city})
        if district.city_id is None:  # a district loaded before cities existed
            District.objects.filter(pk=district.pk).update(city=city)

        def agency(agency_name: str, kind: str, parent: Agency | None = None, *, district=district) -> Agency:
            row, _created = Agency.objects.get_or_create(
                district=district, name=agency_name, defaults={"kind": kind, "parent": parent}
            )
            agency_group(agency=row)
            return row

        bureau = agency(f"{name}司法局", AgencyKind.JUSTICE_BUREAU)
        others = {
            "police": agency(f"{name}公安分局", AgencyKind.POLICE),
            "procuratorate": agency(f"{name}人民检察院", AgencyKind.PROCURATORATE),
            "court": agency(f"{name}人民法院", AgencyKind.COURT),
            "intermediate_court": agency(f"{name}中级人民法院", AgencyKind.COURT),
            "prison": agency(f"{name}监狱", AgencyKind.PRISON),
        }
        offices = []
        for office_number, office_size in enumerate(_office_sizes(rng, size)):
            town = _OFFICE_TOWNS[(office_number * 2) % len(_OFFICE_TOWNS) :][:2] or "中心"
            office = agency(f"{town}{office_number + 1}司法所", AgencyKind.JUSTICE_OFFICE, bureau)
            officers = [f"o{code}_{office_number + 1:02d}_{k + 1:02d}" for k in range(_officers(office_size))]
            new_users += [
                User(
                    username=username,
                    role=Role.JUSTICE_OFFICER,
                    agency=office,
                    password=password,
                    last_name=rng.choice(_STAFF_SURNAMES),
                    first_name="".join(rng.choices(_STAFF_GIVEN, k=rng.choice((1, 2)))),
                )
                for username in officers
            ]
            offices.append({"agency": office, "size": office_size, "officers": officers})
        for role, key in (
            (Role.JUSTICE_SUPERVISOR, None),
            (Role.PROCURATORATE, "procuratorate"),
            (Role.COURT, "court"),
            (Role.POLICE, "police"),
        ):
            username = {None: "supervisor", "procuratorate": "procurator", "court": "judge"}.get(key, key)
            new_users.append(
                User(
                    username=f"{username}_{code}",
                    role=role,
                    agency=bureau if key is None else others[key],
                    password=password,
                )
            )
        plans.append({"district": district, "code": code, "size": size, "offices": offices, **others})
    existing = set(
        User.objects.filter(username__in=[u.username for u in new_users]).values_list("username", flat=True)
    )
    User.objects.bulk_create([u for u in new_users if u.username not in existing], batch_size=2000)
    ids = dict(
        User.objects.filter(username__in=[u.username for u in new_users]).values_list("username", "id")
    )
    for plan in plans:
        for office in plan["offices"]:
            office["officer_ids"] = [ids[username] for username in office["officers"]]
    return plans


def _officers(cases: int) -> int:
    return max(1, math.ceil(cases / CASES_PER_OFFICER))


# --- people and their history --------------------------------------------------------------------------


def _moment(rng: random.Random, day: dt.date) -> str:
    minutes = rng.randint(8 * 60 + 30, 17 * 60)
    return f"{day.isoformat()} {minutes // 60:02d}:{minutes % 60:02d}:00+08"


def _checkin_lines(
    rng: random.Random, *, supervisee_id: int, officer_id: int, case, today: dt.date
) -> tuple[list[str], str | None]:
    """Check-in COPY lines (supervisee, kind, occurred_at, recorded_by, recorded_at, notes, hours) and
    the last contact. Reports at the level's interval, a little early as people are; home visits; study
    and service hours for strict cases; some people stop reporting (missed reports for the sweep)."""
    person = case.supervisee
    intake = person["intake_date"]
    if intake is None:
        return [], None
    stop = (person["exit_date"] or today) - dt.timedelta(days=1)
    for _from, to_status, on, *_rest in case.changes:
        if to_status in (Status.ABSCONDED, Status.IN_CUSTODY) and person["status"] == to_status:
            stop = min(stop, on - dt.timedelta(days=1))
    if person["status"] == Status.UNDER_SUPERVISION and rng.random() < STOPPED_REPORTING:
        stop = today - dt.timedelta(days=rng.randint(15, 60))
    day = max(intake, stop - dt.timedelta(days=CHECKIN_DAYS))
    every, kinds = _REPORTING[person["management_level"]]
    visit_every = _HOME_VISIT_DAYS[person["management_level"]]
    strict = person["management_level"] == ManagementLevel.STRICT
    lines: list[str] = []
    last = None
    next_visit = day + dt.timedelta(days=rng.randint(1, visit_every))
    day += dt.timedelta(days=rng.randint(1, every))
    while day <= stop:
        at = _moment(rng, day)
        kind = kinds[0] if rng.random() < 0.7 else rng.choice(kinds)
        lines.append(f"{supervisee_id}\t{kind}\t{at}\t{officer_id}\t{at}\t\t\\N\n")
        last = at
        if strict and rng.random() < 0.3:
            kind = CheckInKind.EDUCATION.value if rng.random() < 0.5 else CheckInKind.COMMUNITY_SERVICE.value
            lines.append(f"{supervisee_id}\t{kind}\t{at}\t{officer_id}\t{at}\t\t{rng.choice((2, 3, 4))}\n")
        if day >= next_visit:
            visit = _moment(rng, day)
            lines.append(
                f"{supervisee_id}\t{CheckInKind.HOME_VISIT.value}\t{visit}\t{officer_id}\t{visit}\t\t\\N\n"
            )
            last = max(last, visit)
            next_visit = day + dt.timedelta(days=visit_every)
        day += dt.timedelta(days=every - rng.choice((0, 0, 1, 1, 2)))
    return lines, last


def _unique_id_number(rng: random.Random, *, region: str, birth_date: dt.date, gender: str, used: set) -> str:
    start = rng.randrange(100)
    for step in range(100):
        number = make_id_number(
            region=region, birth_date=birth_date, sequence=(start + step) % 100, gender=gender
        )
        if number not in used:
            used.add(number)
            return number
    raise AssertionError(f"no free ID number for {region} {birth_date}")  # pragma: no cover


_SUPERVISEE_COLUMNS = [
    "id", "case_number", "name", "gender", "id_number", "birth_date", "ethnicity", "education", "employment",
    "phone", "residence_address", "household_address", "household_type", "crime", "crime_chapter", "status",
    "management_level", "justice_office_id", "officer_id", "is_minor", "intake_date", "exit_date",
    "exit_reason", "last_contact_at", "created_at", "updated_at",
]  # fmt: skip
_SENTENCE_FIELDS = [
    "category", "penalty", "document_number", "judgment_date", "effective_date", "original_term_months",
    "probation_term_months", "combined_crimes", "prior_custody_days", "release_date", "original_term_end",
    "temporary_execution_ground", "start_date", "end_date", "period_rule", "notice_received_date",
    "documents_received_date",
]  # fmt: skip
_SENTENCE_DEFAULTS = {
    "original_term_months": None,
    "probation_term_months": None,
    "combined_crimes": False,
    "prior_custody_days": 0,
    "release_date": None,
    "original_term_end": None,
    "temporary_execution_ground": "",
    "notice_received_date": None,
    "documents_received_date": None,
}


def _slots(rng: random.Random, plan: dict) -> list[tuple[int, list[int]]]:
    """(office id, its officer ids) for every case of the district, shuffled."""
    slots = [
        (office["agency"].pk, office["officer_ids"])
        for office in plan["offices"]
        for _ in range(office["size"])
    ]
    rng.shuffle(slots)
    return slots


def _new_tables() -> dict:
    """One batch's rows of each loaded table, parents first."""
    return {
        Supervisee: _Table(Supervisee, _SUPERVISEE_COLUMNS),
        Sentence: _Table(Sentence, ["id", "supervisee_id", "deciding_agency_id", *_SENTENCE_FIELDS]),
        Prohibition: _Table(Prohibition, ["sentence_id", "content", "kind", "start_date", "end_date"]),
        StatusChange: _Table(
            StatusChange,
            [
                "supervisee_id",
                "from_status",
                "to_status",
                "date",
                "exit_reason",
                "custody_ground",
                "note",
                "recorded_by_id",
                "recorded_at",
            ],
        ),  # fmt: skip
        CheckIn: _Table(
            CheckIn,
            ["supervisee_id", "kind", "occurred_at", "recorded_by_id", "recorded_at", "notes", "hours"],
        ),
    }


def _load_people(cursor, plans: list[dict], *, today: dt.date, log: Callable[[str], None]) -> dict[str, int]:
    ids = {Supervisee: _Ids(cursor, Supervisee), Sentence: _Ids(cursor, Sentence)}
    now = timezone.now().isoformat()
    tables = _new_tables()
    # The COPY of one batch runs in a thread while the next batch is generated (psycopg2 lets other
    # threads run while it waits on the server): the two cores work at once. The next batch's ids are
    # reserved before each COPY starts, so this thread needs the connection only between COPYs.
    copying = ThreadPoolExecutor(max_workers=1)
    copy_cursor = connection.connection.cursor()
    pending = None
    counts = dict.fromkeys(("supervisees", "sentences", "prohibitions", "status_changes", "checkins"), 0)
    used_id_numbers = set(Supervisee.objects.values_list("id_number", flat=True))
    index = 0
    started = time.monotonic()
    for plan in plans:
        rng = random.Random(f"scale:{plan['code']}")
        code = plan["code"]
        for office_id, officer_ids in _slots(rng, plan):
            index += 1
            # The demo's generator gives the person, sentence and lifecycle (seeded by the index, so each is
            # different and the same every run); the district makes it its own below.
            case = build_case(index, today=today, used_id_numbers=set())
            person = case.supervisee
            officer_id = rng.choice(officer_ids)
            region = code if rng.random() < 0.8 else person["id_number"][:6]
            person["id_number"] = _unique_id_number(
                rng,
                region=region,
                birth_date=person["birth_date"],
                gender=person["gender"],
                used=used_id_numbers,
            )
            person["case_number"] = case_number(code, index)
            for field in ("residence_address", "household_address"):
                person[field] = person[field].replace("枣庄市薛城区", plan["district"].name)
            supervisee_id = ids[Supervisee].take()
            lines, last_contact = _checkin_lines(
                rng, supervisee_id=supervisee_id, officer_id=officer_id, case=case, today=today
            )
            for line in lines:
                tables[CheckIn].add_line(line)
            tables[Supervisee].add(
                supervisee_id,
                *(person[column] for column in _SUPERVISEE_COLUMNS[1:17]),
                office_id,
                officer_id,
                person["is_minor"],
                person["intake_date"],
                person["exit_date"],
                person["exit_reason"],
                last_contact,
                now,
                now,
            )
            sentence = {**_SENTENCE_DEFAULTS, **case.sentence}
            category = sentence["category"]
            if category in (Category.PROBATION, Category.CONTROL):
                deciding = plan["court"]
            elif category == Category.PAROLE:
                deciding = plan["intermediate_court"]
            else:
                deciding = plan["prison"] if sentence["release_date"] else plan["court"]
            sentence_id = ids[Sentence].take()
            tables[Sentence].add(
                sentence_id, supervisee_id, deciding.pk, *(sentence[f] for f in _SENTENCE_FIELDS)
            )
            for content, start, end in case.prohibitions:
                tables[Prohibition].add(sentence_id, content, prohibition_kind(content), start, end)
            for from_status, to_status, on, exit_reason, note in case.changes:
                tables[StatusChange].add(
                    supervisee_id, from_status, to_status, on, exit_reason, "", note, officer_id, now
                )
            if tables[Supervisee].rows >= BATCH:
                if pending is not None:
                    pending.result()
                for reserved in ids.values():
                    reserved.reserve()
                pending = copying.submit(_flush, copy_cursor, tables, counts)
                tables = _new_tables()
                log(
                    f"  {index:,} supervisees, {counts['checkins']:,} check-ins, "
                    f"{time.monotonic() - started:.0f} s"
                )
    if pending is not None:
        pending.result()
    copying.shutdown()
    _flush(copy_cursor, tables, counts)
    copy_cursor.close()
    return counts


def _flush(cursor, tables: dict, counts: dict[str, int]) -> None:
    names = {
        Supervisee: "supervisees",
        Sentence: "sentences",
        Prohibition: "prohibitions",
        StatusChange: "status_changes",
        CheckIn: "checkins",
    }
    for model, table in tables.items():  # parents first: the foreign keys are checked at the end anyway
        counts[names[model]] += table.rows
        table.copy(cursor)


def scale_population() -> int:
    """How many scale supervisees exist (the bench reuses a database loaded at its size)."""
    return Supervisee.objects.filter(case_number__startswith=CASE_PREFIX).count()


def scale_seed(
    *,
    supervisees: int,
    districts: int = DEFAULT_DISTRICTS,
    today: dt.date | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, int]:
    """Load `supervisees` people into `districts` new districts; return the counts written. Refuses to
    add to an existing scale population (drop the database, or keep it: the bench reuses it)."""
    if connection.vendor != "postgresql":
        raise RuntimeError(_("seed_scale loads with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL."))
    if supervisees < 1 or districts < 1:
        raise ValueError(_("--supervisees and --districts must be at least 1."))
    if districts > len(PREFECTURES) * 19:
        raise ValueError(_("At most %(count)d districts.") % {"count": len(PREFECTURES) * 19})
    existing = scale_population()
    if existing:
        raise RuntimeError(
            _("%(count)d scale supervisees exist already: load into an empty database.") % {"count": existing}
        )
    today = today or office_today()
    rng = random.Random("scale:structure")
    hasher = User(username="scale")
    hasher.set_password(DEMO_PASSWORD)  # one hash for every user: hashing is slow on purpose
    timings: dict[str, float] = {}
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        owner = _owns_tables(cursor)
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the index builds sort in memory
        cursor.execute("SET LOCAL synchronous_commit = off")
        mark = time.monotonic()
        plans = _seed_structure(rng, people=supervisees, districts=districts, password=hasher.password)
        timings["structure_s"] = time.monotonic() - mark
        log(f"{districts} districts, {sum(len(p['offices']) for p in plans)} offices")
        # The agencies' and users' deferred foreign-key checks run now: a table with pending trigger
        # events cannot be altered, and dropping a foreign key alters the table it points to.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        indexes, foreign_keys = _secondary_schema(cursor) if owner else ([], [])
        if not owner:
            # The application role (README "Database roles") may not drop indexes: the load still works,
            # with every index kept up to date row by row (several times slower at scale).
            log("not the tables' owner: loading with the indexes in place (DJANGO_DB_ROLE=owner is faster)")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        log(f"dropped {len(indexes)} indexes and {len(foreign_keys)} foreign keys")
        mark = time.monotonic()
        counts = _load_people(cursor, plans, today=today, log=log)
        timings["copy_s"] = time.monotonic() - mark
        mark = time.monotonic()
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.monotonic() - mark
        mark = time.monotonic()
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        timings["foreign_keys_s"] = time.monotonic() - mark
        log(
            f"indexes rebuilt in {timings['indexes_s']:.0f} s, "
            f"foreign keys checked in {timings['foreign_keys_s']:.0f} s"
        )
        audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            target_type="scale.seed",
            changes={**counts, "districts": districts},
        )
    mark = time.monotonic()
    # The reporting clock of every case loaded (supervision.duties), as the nightly task keeps it. Its
    # UPDATE writes each row again at the end of the table; CLUSTER puts them back in the order loaded
    # (an office's cases together, as the figures before the clock were taken), where it may run.
    report_clock_refresh(on=today)
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Supervisee._meta.db_table)
            cursor.execute(
                f"CLUSTER {table} USING {connection.ops.quote_name(f'{Supervisee._meta.db_table}_pkey')}"
            )
    timings["report_clock_s"] = time.monotonic() - mark
    mark = time.monotonic()
    # VACUUM as well as ANALYZE where it may run (not inside a transaction, e.g. a test's): rows just
    # COPY-ed are not yet marked all-visible, so until autovacuum reaches them every index-only scan reads
    # the table too, which a live database that autovacuum keeps does not.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in _LOADED:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    timings["analyze_s"] = time.monotonic() - mark
    return {**counts, "districts": districts, **{k: round(v, 1) for k, v in timings.items()}}
