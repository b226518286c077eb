"""Demo data for `manage.py seed_demo` (docs/api.md#demo-data): Y District, which is Xuecheng District of
Zaozhuang (薛城区, 370403), its agencies, the demo users, and a population of supervisees with their
sentences and months of status history.

Idempotent and deterministic. Every demo supervisee has a stable case number (`XCJZ-000001`, 薛城矫正)
and is generated from its own random generator, seeded with that number, so a second run finds every
case it would create and writes nothing, and a larger `--supervisees` adds only the missing numbers.
The dates are laid out backwards from an anchor day (the office's today by default) so the demo
always looks current; the same anchor gives the same data.

Rows are written with `bulk_create` in batches and bypass the services on purpose: a service per row
would write an audit row per row and take an hour for a benchmark population. Instead each row is built
with the same derivations the services apply (birth date from the ID number, the period from
corrections.periods, `is_minor` from the age when correction began, dated status changes that the
lifecycle allows), and the seeding itself writes one audit row.

Higher apps add their own demo history (check-ins, referrals, ...) with `register_demo_step`, so this
app never imports them (README.md#where-things-are: imports point one way, lower apps offer registries).
"""

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import Agency, City, District, User
from accounts.services import audit_record
from config.office_time import office_today

from .constants import (
    MINOR_AGE,
    Category,
    CrimeChapter,
    Education,
    ExitReason,
    Gender,
    HouseholdType,
    ManagementLevel,
    Penalty,
    ProhibitionKind,
    Status,
    TemporaryExecutionGround,
)
from .idnumber import make_id_number
from .intake import INTAKE_DAYS
from .models import Prohibition, Sentence, StatusChange, Supervisee
from .periods import Period, compute_period, term_end
from .services import age_on

DEMO_PASSWORD = "Correction-2026"  # docs/api.md#demo-data: every demo user has it
# docs/domain.md#community-correction-in-one-page: the district supervises "a few hundred" people.
DEFAULT_SUPERVISEES = 300
CASE_NUMBER_PREFIX = "XCJZ-"
BATCH_SIZE = 2000
# Judgments reach back about three years, so the demo has closed cases and months of history.
HISTORY_DAYS = 3 * 365
# Bump to generate a different population; existing demo rows are never rewritten.
SEED = "xuecheng-demo-1"

DISTRICT_CODE = "370403"
DISTRICT_NAME = "薛城区"
# The city above it (docs/api.md#operating: `seed_demo --districts K` adds districts under it), and its
# bureau, where `citysupervisor` works.
CITY_CODE = "3704"
CITY_NAME = "枣庄市"
CITY_BUREAU_NAME = "枣庄市司法局"
CITY_BUREAU = "city_bureau"


# --- the registry for higher apps ------------------------------------------------------------------


@dataclasses.dataclass
class DemoContext:
    """What a demo step may use. `rng` is the step's own generator (seeded with the step's name, so a
    new step does not change the data of the others); `rng_for(key)` gives one per row, for steps that
    must stay stable when the population grows. A step adds what it wrote to `created`: the seeding's
    audit row reports those counts."""

    district: District
    agencies: dict[str, Agency]
    users: dict[str, User]
    rng: random.Random
    today: dt.date
    supervisees: QuerySet
    created: dict[str, int] = dataclasses.field(default_factory=dict)

    def rng_for(self, *key: Any) -> random.Random:
        return random.Random(":".join([SEED, *map(str, key)]))


DemoStep = Callable[[DemoContext], str]
# Insertion-ordered: steps run in the order they were registered (INSTALLED_APPS order when apps
# register in `AppConfig.ready`). Registering a name again replaces the step in its place.
_steps: dict[str, DemoStep] = {}


def register_demo_step(name: str, step: DemoStep) -> None:
    """Add a step that `seed_demo` runs after corrections' own. It must be idempotent like the rest and
    return one summary line."""
    _steps[name] = step


def registered_demo_steps() -> list[tuple[str, DemoStep]]:
    return list(_steps.items())


# --- the district, its agencies and users ------------------------------------------------------------

# key, name, kind, parent key
AGENCIES: tuple[tuple[str, str, str, str | None], ...] = (
    ("bureau", "薛城区司法局", AgencyKind.JUSTICE_BUREAU, None),
    ("lincheng", "临城司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("changzhuang", "常庄司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("shagou", "沙沟司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("zhouying", "周营司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("zouwu", "邹坞司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("taozhuang", "陶庄司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
    ("police", "枣庄市公安局薛城分局", AgencyKind.POLICE, None),
    ("procuratorate", "薛城区人民检察院", AgencyKind.PROCURATORATE, None),
    ("court", "薛城区人民法院", AgencyKind.COURT, None),
    # CL 82, CPL 273: parole is ruled on by an intermediate court, so parole cases name this court, not
    # the prison. Kept in the district's list because deciding agencies must be agencies we know.
    ("intermediate_court", "枣庄市中级人民法院", AgencyKind.COURT, None),
    # CPL 265: temporary execution of a prisoner is decided by the prison administration.
    ("prison", "山东省鲁南监狱", AgencyKind.PRISON, None),
)

# username, role, agency key, surname, given name. The first seven are docs/api.md#demo-data's table.
USERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("officer", Role.JUSTICE_OFFICER, "lincheng", "孙", "立新"),
    ("officer2", Role.JUSTICE_OFFICER, "changzhuang", "李", "红梅"),
    ("supervisor", Role.JUSTICE_SUPERVISOR, "bureau", "张", "志强"),
    ("procurator", Role.PROCURATORATE, "procuratorate", "刘", "静"),
    ("judge", Role.COURT, "court", "陈", "卫东"),
    ("police", Role.POLICE, "police", "赵", "磊"),
    ("socialworker", Role.SOCIAL_WORKER, "lincheng", "杨", "晓燕"),
    # The city bureau's supervisor: reads every district of Zaozhuang, changes nothing (docs/roles.md).
    ("citysupervisor", Role.JUSTICE_SUPERVISOR, CITY_BUREAU, "魏", "国华"),
    # More officers, so caseloads spread over each office as they do in life.
    ("officer_lc2", Role.JUSTICE_OFFICER, "lincheng", "周", "涛"),
    ("officer_lc3", Role.JUSTICE_OFFICER, "lincheng", "吴", "敏"),
    ("officer_cz2", Role.JUSTICE_OFFICER, "changzhuang", "郑", "伟"),
    ("officer_sg1", Role.JUSTICE_OFFICER, "shagou", "王", "海燕"),
    ("officer_sg2", Role.JUSTICE_OFFICER, "shagou", "冯", "刚"),
    ("officer_zy1", Role.JUSTICE_OFFICER, "zhouying", "褚", "洪亮"),
    ("officer_zw1", Role.JUSTICE_OFFICER, "zouwu", "孔", "祥军"),
    ("officer_tz1", Role.JUSTICE_OFFICER, "taozhuang", "颜", "丽"),
)
ADMIN_USERNAME = "admin"  # a superuser for /admin/, with no role: it sees no cases through the API

# office key -> the town or street it serves, whether it is urban, and its share of the caseload
OFFICE_AREAS: dict[str, tuple[str, bool, int]] = {
    "lincheng": ("临城街道", True, 30),
    "changzhuang": ("常庄街道", True, 22),
    "shagou": ("沙沟镇", False, 12),
    "zhouying": ("周营镇", False, 12),
    "zouwu": ("邹坞镇", False, 12),
    "taozhuang": ("陶庄镇", False, 12),
}


def _seed_city() -> tuple[City, Agency, int]:
    city, _city_created = City.objects.get_or_create(code=CITY_CODE, defaults={"name": CITY_NAME})
    bureau, bureau_created = Agency.objects.get_or_create(
        city=city, name=CITY_BUREAU_NAME, defaults={"kind": AgencyKind.JUSTICE_BUREAU}
    )
    return city, bureau, int(bureau_created)


def _seed_agencies() -> tuple[District, dict[str, Agency], int]:
    city, city_bureau, created = _seed_city()
    district, _created = District.objects.get_or_create(
        code=DISTRICT_CODE, defaults={"name": DISTRICT_NAME, "city": city}
    )
    # Two seeds at once would both find a case number missing; the second waits here (PostgreSQL).
    district = District.objects.select_for_update().get(pk=district.pk)
    if district.city_id is None:
        # A demo district seeded before cities existed: placed under Zaozhuang now.
        district.city = city
        district.save(update_fields=["city"])
    agencies: dict[str, Agency] = {CITY_BUREAU: city_bureau}
    for key, name, kind, parent in AGENCIES:
        agency, was_created = Agency.objects.get_or_create(
            district=district,
            name=name,
            defaults={"kind": kind, "parent": agencies[parent] if parent else None},
        )
        agencies[key] = agency
        created += was_created
    return district, agencies, created


def _seed_users(agencies: dict[str, Agency]) -> tuple[dict[str, User], int]:
    wanted = [*(username for username, *_rest in USERS), ADMIN_USERNAME]
    users = {user.username: user for user in User.objects.filter(username__in=wanted)}
    missing = [row for row in USERS if row[0] not in users]
    if not missing and ADMIN_USERNAME in users:
        return users, 0
    # One hash for everyone: hashing is slow on purpose, and the password is the same.
    hasher = User(username=ADMIN_USERNAME)
    hasher.set_password(DEMO_PASSWORD)
    new_users = [
        User(
            username=username,
            role=role,
            agency=agencies[agency_key],
            last_name=surname,
            first_name=given_name,
            password=hasher.password,
        )
        for username, role, agency_key, surname, given_name in missing
    ]
    if ADMIN_USERNAME not in users:
        new_users.append(
            User(
                username=ADMIN_USERNAME,
                first_name="系统管理员",
                is_staff=True,
                is_superuser=True,
                password=hasher.password,
            )
        )
    for user in User.objects.bulk_create(new_users):
        users[user.username] = user
    return users, len(new_users)


# --- the population ----------------------------------------------------------------------------------


def _table(*pairs: tuple[Any, float]) -> tuple[list[Any], list[float]]:
    """Values and cumulative weights for `random.choices`."""
    values, total, cumulative = [], 0.0, []
    for value, weight in pairs:
        total += weight
        values.append(value)
        cumulative.append(total)
    return values, cumulative


def _pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    return rng.choices(table[0], cum_weights=table[1])[0]


# Zaozhuang's 2020 mix: about 94% probation, 3% parole, 2% temporary execution, 1% control. Every
# hundred cases has exactly that mix, with the rare categories early in the hundred, so even a small
# demo shows all four.
_RARE_CATEGORY_SLOTS = {
    1: Category.PAROLE,
    2: Category.TEMPORARY_EXECUTION,
    3: Category.CONTROL,
    41: Category.PAROLE,
    52: Category.TEMPORARY_EXECUTION,
    71: Category.PAROLE,
}
# Fixed fates in every hundred, so every status and exit reason appears even in a small demo; the rest
# are drawn from _FATES. A fate is the case's story: where it stands today and how it got there.
_SHOWCASE = {
    0: {"fate": "supervised"},
    1: {"fate": "supervised"},
    2: {"fate": "supervised"},
    3: {"fate": "supervised"},
    4: {"fate": "pending_overdue"},
    5: {"fate": "pending"},
    6: {"fate": "absconded"},
    7: {"fate": "in_custody"},
    8: {"fate": "expired"},
    9: {"fate": "revoked"},
    10: {"fate": "deceased"},
    11: {"fate": "transferred_out"},
    12: {"fate": "supervised", "minor": True},
    13: {"fate": "supervised", "gender": Gender.FEMALE},
    41: {"fate": "revoked"},
    52: {"fate": "recommitted"},
    71: {"fate": "expired"},
}
_FATES = {
    Category.PROBATION: _table(
        ("supervised", 73),
        ("pending", 2.5),
        ("pending_overdue", 1.5),
        ("absconded", 1.5),
        ("in_custody", 1),
        ("expired", 15),
        ("revoked", 3),
        ("deceased", 0.5),
        ("transferred_out", 2),
    ),
    Category.PAROLE: _table(
        ("supervised", 73),
        ("pending", 2.5),
        ("pending_overdue", 1),
        ("absconded", 1),
        ("in_custody", 1),
        ("expired", 16),
        ("revoked", 3),
        ("deceased", 0.5),
        ("transferred_out", 2),
    ),
    # Control is not revoked: a new crime is sentenced together with it (CL 71).
    Category.CONTROL: _table(
        ("supervised", 75),
        ("pending", 2.5),
        ("pending_overdue", 1.5),
        ("absconded", 1),
        ("in_custody", 1),
        ("expired", 17),
        ("transferred_out", 2),
    ),
    Category.TEMPORARY_EXECUTION: _table(
        ("supervised", 70),
        ("pending", 3),
        ("absconded", 0.5),
        ("in_custody", 0.5),
        ("expired", 14),
        ("recommitted", 6),
        ("deceased", 4),
        ("transferred_out", 2),
    ),
}
_OPEN_FATES = {"supervised", "absconded", "in_custody"}
_MID_PERIOD_EXITS = {"revoked", "deceased", "transferred_out", "recommitted"}

# crime, chapter, weight, probation penalties (d: criminal detention, i: imprisonment)
_PROBATION_CRIMES = _table(
    (("危险驾驶罪", CrimeChapter.PUBLIC_SAFETY, "d"), 30),
    (("盗窃罪", CrimeChapter.PROPERTY, "di"), 18),
    (("故意伤害罪", CrimeChapter.PERSONAL_RIGHTS, "di"), 9),
    (("诈骗罪", CrimeChapter.PROPERTY, "i"), 7),
    (("帮助信息网络犯罪活动罪", CrimeChapter.SOCIAL_ADMINISTRATION, "di"), 6),
    (("开设赌场罪", CrimeChapter.SOCIAL_ADMINISTRATION, "i"), 5),
    (("寻衅滋事罪", CrimeChapter.SOCIAL_ADMINISTRATION, "di"), 5),
    (("交通肇事罪", CrimeChapter.PUBLIC_SAFETY, "di"), 5),
    (("掩饰、隐瞒犯罪所得罪", CrimeChapter.SOCIAL_ADMINISTRATION, "di"), 3),
    (("非法吸收公众存款罪", CrimeChapter.MARKET_ECONOMY, "i"), 3),
    (("聚众斗殴罪", CrimeChapter.SOCIAL_ADMINISTRATION, "i"), 2),
    (("拒不支付劳动报酬罪", CrimeChapter.MARKET_ECONOMY, "di"), 1.5),
    (("污染环境罪", CrimeChapter.SOCIAL_ADMINISTRATION, "di"), 1),
    (("贪污罪", CrimeChapter.CORRUPTION_BRIBERY, "i"), 1.5),
    (("受贿罪", CrimeChapter.CORRUPTION_BRIBERY, "i"), 1),
)
_MINOR_CRIMES = _table(
    (("盗窃罪", CrimeChapter.PROPERTY, "di"), 5),
    (("寻衅滋事罪", CrimeChapter.SOCIAL_ADMINISTRATION, "di"), 3),
    (("故意伤害罪", CrimeChapter.PERSONAL_RIGHTS, "di"), 2),
)
_CONTROL_CRIMES = _table(
    (("盗窃罪", CrimeChapter.PROPERTY, ""), 4),
    (("故意伤害罪", CrimeChapter.PERSONAL_RIGHTS, ""), 3),
    (("寻衅滋事罪", CrimeChapter.SOCIAL_ADMINISTRATION, ""), 2),
    (("妨害公务罪", CrimeChapter.SOCIAL_ADMINISTRATION, ""), 1),
)
# CL 81: no parole for those sentenced to 10 years or more for violent crimes; the terms below stay under.
_PRISON_CRIMES = _table(
    (("盗窃罪", CrimeChapter.PROPERTY, ""), 5),
    (("诈骗罪", CrimeChapter.PROPERTY, ""), 4),
    (("贩卖毒品罪", CrimeChapter.SOCIAL_ADMINISTRATION, ""), 3),
    (("抢劫罪", CrimeChapter.PROPERTY, ""), 2),
    (("故意伤害罪", CrimeChapter.PERSONAL_RIGHTS, ""), 2),
    (("合同诈骗罪", CrimeChapter.MARKET_ECONOMY, ""), 1),
    (("职务侵占罪", CrimeChapter.PROPERTY, ""), 1),
    (("贪污罪", CrimeChapter.CORRUPTION_BRIBERY, ""), 1),
)
_WHITE_COLLAR = {"非法吸收公众存款罪", "贪污罪", "受贿罪", "合同诈骗罪", "职务侵占罪", "污染环境罪"}

# Court prohibition orders (CL 38, 72): what a court typically forbids for each crime.
_PROHIBITIONS = {
    "寻衅滋事罪": "禁止进入夜总会、酒吧、迪厅、网吧等娱乐场所",
    "聚众斗殴罪": "禁止进入夜总会、酒吧、迪厅、网吧等娱乐场所",
    "故意伤害罪": "禁止接触被害人及其近亲属",
    "开设赌场罪": "禁止进入棋牌室、赌博场所",
    "非法吸收公众存款罪": "禁止从事吸收存款、理财等金融业务活动",
    "诈骗罪": "禁止从事网络营销、理财等经营活动",
    "帮助信息网络犯罪活动罪": "禁止出租、出借、出售银行卡及电话卡",
    "贪污罪": "禁止从事与原职务相关的经营活动",
    "受贿罪": "禁止从事与原职务相关的经营活动",
    "盗窃罪": "禁止进入被盗单位及其周边区域",
}
_MINOR_PROHIBITION = "禁止进入网吧、酒吧等未成年人不宜进入的场所"
_VICTIM_PROHIBITION = "禁止接触被害人及其近亲属"
# The kind of each demo order (CL 38 para. 2, 72 para. 2), by the verb the court uses: the demo's own
# texts, where each order names one kind.
_KIND_BY_VERB = (
    ("接触", ProhibitionKind.PERSONS),
    ("进入", ProhibitionKind.PLACES),
    ("从事", ProhibitionKind.ACTIVITIES),
    ("出租", ProhibitionKind.ACTIVITIES),
)


def prohibition_kind(content: str) -> str:
    """The kind of one of the demo's prohibition orders (its texts above)."""
    return next(kind for verb, kind in _KIND_BY_VERB if verb in content)


# Age when correction began: mostly young adults (docs/domain.md#community-correction-in-one-page), a few
# minors (probation only here).
_AGE_BANDS = _table(((18, 25), 17), ((26, 35), 32), ((36, 45), 25), ((46, 60), 19), ((61, 75), 7))
# "Junior secondary schooling or less" for most (the district's own analysis).
_EDUCATION = _table(
    (Education.NONE, 6),
    (Education.PRIMARY, 24),
    (Education.JUNIOR_SECONDARY, 50),
    (Education.SENIOR_SECONDARY, 10),
    (Education.VOCATIONAL, 5),
    (Education.COLLEGE, 3),
    (Education.BACHELOR_OR_ABOVE, 2),
)
_WHITE_COLLAR_EDUCATION = _table(
    (Education.SENIOR_SECONDARY, 3),
    (Education.COLLEGE, 3),
    (Education.BACHELOR_OR_ABOVE, 4),
)
# GB/T 2260 codes: born mostly in Xuecheng, else elsewhere in Zaozhuang, Shandong or nearby provinces.
_REGIONS = _table(
    ("370403", 65),  # 薛城区
    ("370402", 6),  # 市中区
    ("370404", 4),  # 峄城区
    ("370405", 3),  # 台儿庄区
    ("370406", 4),  # 山亭区
    ("370481", 8),  # 滕州市
    ("370826", 3),  # 济宁市微山县
    ("370811", 2),  # 济宁市任城区
    ("320382", 3),  # 江苏省邳州市
    ("341302", 2),  # 安徽省宿州市埇桥区
)
_SURNAMES = _table(
    *(
        (name, weight)
        for name, weight in zip(
            "王张李刘孙陈杨赵徐褚孔颜马周吴郑朱胡高韩宋袁邵苏",
            (9, 8, 8, 7, 4, 3, 3, 3, 3, 2, 2, 1, 2, 2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1),
            strict=True,
        )
    )
)
_MALE_CHARACTERS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帅东林峰建国庆海兵龙成亮新春志文"
_FEMALE_CHARACTERS = "芳娜敏静丽艳娟霞燕玲红梅琳婷雪慧莉萍颖倩秀兰凤英"
_ETHNICITIES = _table(("汉族", 98), ("回族", 1.5), ("满族", 0.5))
_PHONE_PREFIXES = ("130", "132", "135", "137", "138", "139", "150", "152", "155", "158", "176", "182", "188")
_ROADS = ("泰山路", "黄河路", "长江路", "燕山路", "永福路", "光明路", "珠江路", "武夷山路", "沙河路")
_VILLAGES = {
    "沙沟镇": ("沙沟村", "前良村", "后良村", "大彦村", "东大庄村"),
    "周营镇": ("周营村", "曹庄村", "大吕巷村", "沙庄村", "西小庄村"),
    "邹坞镇": ("邹坞村", "中陈郝村", "南王庄村", "西仓村", "东岩村"),
    "陶庄镇": ("陶庄村", "夏庄村", "杨峪村", "小营村", "东龙河村"),
    "临城街道": ("小北庄村", "南临城村", "东小宫村"),
    "常庄街道": ("张范村", "西托村", "南常庄村"),
}
_OTHER_PLACES = ("山东省枣庄市市中区", "山东省枣庄市峄城区", "山东省滕州市", "山东省济宁市微山县")
_URBAN_HOUSEHOLDS = _table((HouseholdType.URBAN, 6), (HouseholdType.RURAL, 3.5), (HouseholdType.OTHER, 0.5))
_RURAL_HOUSEHOLDS = _table((HouseholdType.URBAN, 1), (HouseholdType.RURAL, 8.5), (HouseholdType.OTHER, 0.5))
# Sentence lengths in months, weighted as judgments run: short terms are the rule.
_DETENTION_MONTHS = _table((1, 35), (2, 30), (3, 20), (4, 8), (5, 4), (6, 3))
_IMPRISONMENT_MONTHS = _table((6, 14), (8, 12), (10, 10), (12, 18), (18, 10), (24, 10), (30, 4), (36, 6))
_CONTROL_MONTHS = _table((3, 2), (4, 2), (6, 4), (8, 2), (10, 1), (12, 3), (18, 1), (24, 1))
_OFFICE_TABLE = _table(*((key, share) for key, (_area, _urban, share) in OFFICE_AREAS.items()))

# Notes written on status changes, as an officer would write them.
_NOTES = {
    Status.UNDER_SUPERVISION: "本人到司法所报到，办理入矫登记",
    "returned": "已与本人取得联系，恢复正常监管",
    "released": "解除拘留，回到司法所报到",
    Status.ABSCONDED: "电话无法接通，走访住所未见本人，失去联系",
    Status.IN_CUSTODY: "因涉嫌新的违法犯罪被公安机关羁押",
    "short_custody": "因违反治安管理规定被行政拘留",
    Status.DECEASED: "因病死亡，已核实死亡证明",
    Status.TRANSFERRED_OUT: "经批准变更执行地，已移交新执行地",
    Status.RECOMMITTED: "暂予监外执行情形消失，依法收监执行",
}


@dataclasses.dataclass(slots=True)
class _Case:
    """One generated case, not yet written: the person, the sentence, the orders and the history."""

    supervisee: dict[str, Any]
    office: str
    officer: str
    sentence: dict[str, Any]
    prohibitions: list[tuple[str, dt.date | None, dt.date | None]]
    # from_status, to_status, date, exit_reason, note
    changes: list[tuple[str, str, dt.date, str, str]]


def case_number(index: int) -> str:
    return f"{CASE_NUMBER_PREFIX}{index:06d}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, *, age: int, on: dt.date) -> dt.date:
    """A birth date that makes the person exactly `age` on `on`."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def _days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def _terms(rng: random.Random, category: str, crime_penalties: str, gender: str, age: int) -> dict[str, Any]:
    """The sentence's terms, without dates; the dates are laid out later from the correction's start."""
    if category == Category.PROBATION:
        if crime_penalties == "d" or (crime_penalties == "di" and rng.random() < 0.3):
            # CL 42, 73: detention of 1-6 months; probation at least the term and 2 months, at most 1 year.
            original = _pick(rng, _DETENTION_MONTHS)
            probation = min(12, max(2, original * rng.choice((1, 2, 2, 2, 3))))
            penalty = Penalty.CRIMINAL_DETENTION
        else:
            # CL 45, 72, 73: imprisonment of at most 3 years; probation at least the term and 1 year, at
            # most 5 years; "一年，缓刑二年" is the typical judgment.
            original = _pick(rng, _IMPRISONMENT_MONTHS)
            choices = [months for months in (12, 18, 24, 36, 48, 60) if months >= max(original, 12)]
            probation = choices[min(len(choices) - 1, int(rng.random() ** 2 * len(choices)))]
            penalty = Penalty.FIXED_TERM_IMPRISONMENT
        return {
            "penalty": penalty,
            "original_term_months": original,
            "probation_term_months": probation,
            "prior_custody_days": rng.choice((0, 0, 0, rng.randint(15, 90))),
        }
    if category == Category.CONTROL:
        # CL 38, 41: 3 months to 2 years, each day of prior custody offsets two days.
        original = _pick(rng, _CONTROL_MONTHS)
        return {
            "penalty": Penalty.CONTROL,
            "original_term_months": original,
            "prior_custody_days": rng.choice((0, 0, rng.randint(5, original * 4))),
        }
    if category == Category.PAROLE:
        # CL 81: more than half the term served; the unserved rest is the parole period (CL 83).
        original = rng.choice((36, 42, 48, 60, 72, 84, 96, 108, 120, 144, 180))
        return {
            "penalty": Penalty.FIXED_TERM_IMPRISONMENT,
            "original_term_months": original,
            "_remaining_months": rng.randint(4, min(36, original // 2)),
        }
    # Temporary execution (CPL 265): serious illness mostly; pregnancy or nursing only for women.
    if gender == Gender.FEMALE and rng.random() < 0.5:
        ground = TemporaryExecutionGround.PREGNANCY_NURSING
    elif age >= 60 and rng.random() < 0.5:
        ground = TemporaryExecutionGround.UNABLE_SELF_CARE
    else:
        ground = TemporaryExecutionGround.ILLNESS
    original = rng.choice((12, 18, 24, 36, 48, 60, 84, 120))
    return {
        "penalty": Penalty.FIXED_TERM_IMPRISONMENT,
        "original_term_months": original,
        "temporary_execution_ground": ground,
        "_remaining_months": rng.randint(6, min(60, original)),
        # Decided by the court before the sentence was executed, or by the prison administration later.
        "_by_prison": rng.random() < 0.6,
    }


def _sentence_fields(
    plan: dict[str, Any], *, category: str, start: dt.date, gaps: tuple[int, int]
) -> dict[str, Any]:
    """The Sentence fields for a correction starting on `start` (the day the period starts)."""
    fields = {k: v for k, v in plan.items() if not k.startswith("_")}
    judgment_gap, release_gap = gaps
    if category == Category.PAROLE:
        # The ruling takes effect when delivered; release follows within days.
        effective = _days(start, -release_gap)
        fields.update(
            judgment_date=effective,
            effective_date=effective,
            release_date=start,
            original_term_end=term_end(start, months=plan["_remaining_months"]),
        )
    elif category == Category.TEMPORARY_EXECUTION:
        if plan["_by_prison"]:
            effective = _days(start, -release_gap)
            fields.update(judgment_date=effective, effective_date=effective, release_date=start)
        else:
            # Decided with the judgment: the period runs from the day it takes effect.
            fields.update(judgment_date=_days(start, -judgment_gap), effective_date=start)
        fields["original_term_end"] = term_end(start, months=plan["_remaining_months"])
    else:
        # CPL: an appeal may be lodged within 10 days of delivery, so a judgment takes effect some
        # 11-20 days after it is given; probation and control run from that day.
        fields.update(judgment_date=_days(start, -judgment_gap), effective_date=start)
    return fields


def _period(fields: dict[str, Any], category: str, gender: str) -> Period:
    # The same path the services take: Sentence.terms() feeds corrections.periods.
    return compute_period(Sentence(category=category, **fields).terms(gender))


def _layout(
    rng: random.Random, *, fate: str, category: str, plan: dict[str, Any], gender: str, today: dt.date
) -> tuple[dict[str, Any], Period]:
    """Choose the start of correction so the fate fits: open cases still within their period, expired
    ones past it, pending ones recent; return the sentence fields and the computed period."""
    gaps = (rng.randint(11, 20), rng.randint(0, 5))

    def period_from(start: dt.date):
        fields = _sentence_fields(plan, category=category, start=start, gaps=gaps)
        return fields, _period(fields, category, gender)

    _fields, trial = period_from(today)
    length = (trial.end_date - trial.start_date).days + 1 if trial.end_date else 10 * 365
    longest_elapsed = max(1, min(HISTORY_DAYS, length - 5))
    if fate == "pending":
        elapsed = rng.randint(0, INTAKE_DAYS - 1)
    elif fate == "pending_overdue":
        elapsed = rng.randint(INTAKE_DAYS + 1, INTAKE_DAYS + 10)  # CCL 21: past the 10-day deadline
    elif fate == "supervised":
        elapsed = rng.randint(1, longest_elapsed)
    elif fate in ("absconded", "in_custody"):
        elapsed = rng.randint(30, max(30, longest_elapsed))
    elif fate == "expired":
        elapsed = length + rng.randint(1, max(30, HISTORY_DAYS - length))
    else:  # ended before the period did
        elapsed = rng.randint(60, max(60, longest_elapsed))
    start = _days(today, -elapsed)
    fields, period = period_from(start)
    # Month lengths move the end by a few days; nudge the start until the fate fits.
    for _attempt in range(60):
        if fate == "expired" and period.end_date >= today:
            start = _days(start, -1)
        elif fate != "expired" and period.end_date is not None and period.end_date <= today:
            start = _days(start, 1)
        else:
            break
        fields, period = period_from(start)
    else:  # pragma: no cover - the margins above make this unreachable
        raise AssertionError(f"no start date fits a {fate} {category} case")
    return fields, period


def _history(
    rng: random.Random, *, fate: str, category: str, start: dt.date, end: dt.date | None, today: dt.date
) -> tuple[str, dt.date | None, dt.date | None, str, list[tuple[str, str, dt.date, str, str]]]:
    """Status, intake date, exit date and reason, and the dated status changes that led there."""
    if fate in ("pending", "pending_overdue"):
        return Status.PENDING_REPORT, None, None, "", []
    # CCL 21: reported within 10 days, mostly in the first few.
    intake = min(_days(start, min(rng.randint(0, INTAKE_DAYS), rng.randint(0, INTAKE_DAYS))), today)
    changes = [
        (Status.PENDING_REPORT, Status.UNDER_SUPERVISION, intake, "", _NOTES[Status.UNDER_SUPERVISION])
    ]
    supervised_days = (today - intake).days
    if fate == "supervised":
        if supervised_days > 120 and rng.random() < 0.05:
            # An earlier episode: lost contact or a short detention, then back under supervision.
            left = _days(intake, rng.randint(30, supervised_days - 60))
            back = _days(left, rng.randint(3, 20))
            if rng.random() < 0.5:
                changes += [
                    (Status.UNDER_SUPERVISION, Status.ABSCONDED, left, "", _NOTES[Status.ABSCONDED]),
                    (Status.ABSCONDED, Status.UNDER_SUPERVISION, back, "", _NOTES["returned"]),
                ]
            else:
                changes += [
                    (Status.UNDER_SUPERVISION, Status.IN_CUSTODY, left, "", _NOTES["short_custody"]),
                    (Status.IN_CUSTODY, Status.UNDER_SUPERVISION, back, "", _NOTES["released"]),
                ]
        return Status.UNDER_SUPERVISION, intake, None, "", changes
    if fate in ("absconded", "in_custody"):
        status = Status.ABSCONDED if fate == "absconded" else Status.IN_CUSTODY
        on = _days(today, -rng.randint(1, min(180, supervised_days - 15)))
        changes.append((Status.UNDER_SUPERVISION, status, on, "", _NOTES[status]))
        return status, intake, None, "", changes
    if fate == "expired":
        # CCL 44: released when the period has expired, the day after its last day (contract v1.1).
        released = _days(end, 1)
        changes.append((Status.UNDER_SUPERVISION, Status.TERMINATED, released, ExitReason.EXPIRED, ""))
        return Status.TERMINATED, intake, released, ExitReason.EXPIRED, changes

    last_day = min(today, end) if end else today
    exit_on = _days(intake, rng.randint(15, max(15, (last_day - intake).days - 1)))
    if fate == "revoked":
        # CL 77, 86; CCL 45-48: revoked by the court after a breach or a new crime.
        reason = ExitReason.PROBATION_REVOKED if category == Category.PROBATION else ExitReason.PAROLE_REVOKED
        before, roll = Status.UNDER_SUPERVISION, rng.random()
        # Arrested with the proposal (CCL 47); the court rules within 30 days of it (CCL 48 para. 1).
        held = _days(exit_on, -rng.randint(5, 30))
        # Out of contact for over a month: a ground to revoke (SPC 543 para. 1(2)).
        lost = _days(exit_on, -rng.randint(35, 90))
        if roll < 0.4 and held > intake:
            changes.append((Status.UNDER_SUPERVISION, Status.IN_CUSTODY, held, "", _NOTES[Status.IN_CUSTODY]))
            before = Status.IN_CUSTODY
        elif roll < 0.7 and lost > intake:
            changes.append((Status.UNDER_SUPERVISION, Status.ABSCONDED, lost, "", _NOTES[Status.ABSCONDED]))
            before = Status.ABSCONDED
        changes.append((before, Status.TERMINATED, exit_on, reason, ""))
        return Status.TERMINATED, intake, exit_on, reason, changes
    status, reason = {
        "deceased": (Status.DECEASED, ExitReason.DECEASED),
        "transferred_out": (Status.TRANSFERRED_OUT, ExitReason.TRANSFERRED_OUT),
        "recommitted": (Status.RECOMMITTED, ExitReason.RECOMMITTED),
    }[fate]
    changes.append((Status.UNDER_SUPERVISION, status, exit_on, reason, _NOTES[status]))
    return status, intake, exit_on, reason, changes


def _name(rng: random.Random, gender: str) -> str:
    characters = _MALE_CHARACTERS if gender == Gender.MALE else _FEMALE_CHARACTERS
    given = "".join(rng.choice(characters) for _ in range(1 if rng.random() < 0.3 else 2))
    return _pick(rng, _SURNAMES) + given


def _address(rng: random.Random, area: str, urban: bool) -> str:
    if urban:
        return (
            f"山东省枣庄市薛城区{area}{rng.choice(_ROADS)}{rng.randint(1, 300)}号"
            f"{rng.randint(1, 20)}号楼{rng.randint(1, 3)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
        )
    return f"山东省枣庄市薛城区{area}{rng.choice(_VILLAGES[area])}{rng.randint(1, 260)}号"


def _employment(rng: random.Random, *, age: int, rural: bool, education: str, crime: str) -> str:
    if age < MINOR_AGE:
        return rng.choice(("在校学生", "在校学生", "无业"))
    if age >= 60:
        return rng.choice(("务农", "无业", "退休"))
    if crime in _WHITE_COLLAR and education in (Education.COLLEGE, Education.BACHELOR_OR_ABOVE):
        return rng.choice(("无业", "企业职员", "个体经营"))
    if rural:
        return rng.choice(("务农", "务农", "外出务工", "无业", "建筑工人"))
    return rng.choice(("无业", "个体经营", "企业职工", "货车司机", "外卖骑手", "灵活就业"))


def _document_number(rng: random.Random, *, category: str, plan: dict[str, Any], year: int) -> str:
    number = rng.randint(1, 900)
    if category == Category.PAROLE:
        return f"({year})鲁04刑更{number}号"
    if category == Category.TEMPORARY_EXECUTION and plan["_by_prison"]:
        return f"鲁狱暂字〔{year}〕{number}号"
    return f"({year})鲁0403刑初{number}号"


def _commission_arrivals(index: int, *, fate: str, effective: dt.date, today: dt.date) -> dict[str, Any]:
    """The days the deciding agency's notice and documents arrived (CCL 20: 5 and 10 days): mostly on
    time, some late, and for some cases still awaiting intake the documents not yet in. A random stream
    of its own, so the rest of the case is the same as before these dates were recorded."""
    rng = random.Random(f"{SEED}:commission:{index}")
    notice = _days(effective, rng.randint(0, 5) if rng.random() > 0.08 else rng.randint(6, 15))
    documents = _days(effective, rng.randint(2, 10) if rng.random() > 0.1 else rng.randint(11, 25))
    if fate == "pending_overdue" and rng.random() < 0.5:
        documents = None  # the supervisor's dashboard lists these (overdue from the deciding agency)
    return {
        "notice_received_date": notice if notice <= today else None,
        "documents_received_date": documents if documents and documents <= today else None,
    }


def build_case(index: int, *, today: dt.date, used_id_numbers: set[str]) -> _Case:
    """Case number `index`, the same every time for the same anchor day. Adds its ID number to
    `used_id_numbers` (one open case per person: two demo people never share a number)."""
    rng = random.Random(f"{SEED}:supervisee:{index}")
    slot = (index - 1) % 100
    category = _RARE_CATEGORY_SLOTS.get(slot, Category.PROBATION)
    showcase = _SHOWCASE.get(slot, {})
    fate = showcase.get("fate") or _pick(rng, _FATES[category])
    gender = showcase.get("gender") or (Gender.FEMALE if rng.random() < 0.1 else Gender.MALE)
    minor = showcase.get("minor", category == Category.PROBATION and rng.random() < 0.03)
    age = rng.randint(16, MINOR_AGE - 1) if minor else rng.randint(*_pick(rng, _AGE_BANDS))
    if minor:
        crime, chapter, penalties = _pick(rng, _MINOR_CRIMES)
    elif category == Category.PROBATION:
        crime, chapter, penalties = _pick(rng, _PROBATION_CRIMES)
    elif category == Category.CONTROL:
        crime, chapter, penalties = _pick(rng, _CONTROL_CRIMES)
    else:
        crime, chapter, penalties = _pick(rng, _PRISON_CRIMES)
    plan = _terms(rng, category, penalties, gender, age)
    fields, period = _layout(rng, fate=fate, category=category, plan=plan, gender=gender, today=today)

    birth_date = _birth_date(rng, age=age, on=period.start_date)
    region = _pick(rng, _REGIONS)
    sequence = rng.randrange(100)
    for step in range(100):
        id_number = make_id_number(
            region=region, birth_date=birth_date, sequence=(sequence + step) % 100, gender=gender
        )
        if id_number not in used_id_numbers:
            break
    else:  # pragma: no cover - a hundred people born the same day in the same county
        raise AssertionError(f"no free ID number for {region} {birth_date}")
    used_id_numbers.add(id_number)

    status, intake, exit_date, exit_reason, changes = _history(
        rng, fate=fate, category=category, start=period.start_date, end=period.end_date, today=today
    )
    office = _pick(rng, _OFFICE_TABLE)
    area, urban_area = OFFICE_AREAS[office][:2]
    household = _pick(rng, _URBAN_HOUSEHOLDS if urban_area else _RURAL_HOUSEHOLDS)
    rural = household == HouseholdType.RURAL
    residence = _address(rng, area, urban=not rural)
    if minor:
        education = Education.JUNIOR_SECONDARY if rng.random() < 0.7 else Education.PRIMARY
    elif crime in _WHITE_COLLAR:
        education = _pick(rng, _WHITE_COLLAR_EDUCATION)
    else:
        education = _pick(rng, _EDUCATION)
    officers = [name for name, role, key, *_rest in USERS if key == office and role == Role.JUSTICE_OFFICER]
    if status in (Status.PENDING_REPORT, Status.ABSCONDED, Status.IN_CUSTODY):
        level = ManagementLevel.STRICT
    else:
        roll = rng.random()
        if roll < 0.2:
            level = ManagementLevel.STRICT
        elif roll > 0.85 and intake is not None and (today - intake).days > 180:
            level = ManagementLevel.LENIENT
        else:
            level = ManagementLevel.NORMAL

    prohibitions = []
    if category in (Category.PROBATION, Category.CONTROL) and rng.random() < (0.6 if minor else 0.12):
        content = _MINOR_PROHIBITION if minor else _PROHIBITIONS.get(crime, _VICTIM_PROHIBITION)
        until = period.end_date
        if rng.random() < 0.3:
            until = min(until, term_end(period.start_date, months=rng.choice((6, 12))))
        prohibitions.append((content, period.start_date, until))

    fields["document_number"] = _document_number(
        rng, category=category, plan=plan, year=fields["judgment_date"].year
    )
    fields.update(start_date=period.start_date, end_date=period.end_date, period_rule=period.rule)
    fields.update(_commission_arrivals(index, fate=fate, effective=fields["effective_date"], today=today))
    return _Case(
        supervisee={
            "case_number": case_number(index),
            "name": _name(rng, gender),
            "gender": gender,
            "id_number": id_number,
            "birth_date": birth_date,
            "ethnicity": _pick(rng, _ETHNICITIES),
            "education": education,
            "employment": _employment(rng, age=age, rural=rural, education=education, crime=crime),
            "phone": rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            "residence_address": residence,
            "household_address": residence if rng.random() < 0.8 else rng.choice(_OTHER_PLACES),
            "household_type": household,
            "crime": crime,
            "crime_chapter": chapter,
            "status": status,
            "management_level": level,
            # CCL 54, 58: a minor when correction began stays one (as supervisee_register computes it).
            "is_minor": age_on(birth_date, period.start_date) < MINOR_AGE,
            "intake_date": intake,
            "exit_date": exit_date,
            "exit_reason": exit_reason,
        },
        office=office,
        officer=rng.choice(officers),
        sentence={"category": category, **fields},
        prohibitions=prohibitions,
        changes=changes,
    )


def _case_officer(users: dict[str, User], username: str, office: Agency) -> User | None:
    user = users[username]
    # An account that existed before the demo under a demo name may work elsewhere: then the case waits
    # for a supervisor to assign it rather than go to someone outside its office.
    return user if user.role == Role.JUSTICE_OFFICER and user.agency_id == office.pk else None


def _write_cases(cases: Sequence[_Case], *, agencies: dict[str, Agency], users: dict[str, User]) -> dict:
    deciding = {
        Category.PROBATION: agencies["court"],
        Category.CONTROL: agencies["court"],
        Category.PAROLE: agencies["intermediate_court"],
    }
    officers = [_case_officer(users, case.officer, agencies[case.office]) for case in cases]
    supervisees = Supervisee.objects.bulk_create(
        [
            Supervisee(justice_office=agencies[case.office], officer=officer, **case.supervisee)
            for case, officer in zip(cases, officers, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    sentences = Sentence.objects.bulk_create(
        [
            Sentence(
                supervisee_id=supervisee.pk,
                deciding_agency=deciding.get(case.sentence["category"])
                or (agencies["prison"] if case.sentence.get("release_date") else agencies["court"]),
                **case.sentence,
            )
            for case, supervisee in zip(cases, supervisees, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    prohibitions = Prohibition.objects.bulk_create(
        [
            Prohibition(
                sentence_id=sentence.pk,
                content=content,
                kind=prohibition_kind(content),
                start_date=start,
                end_date=end,
            )
            for case, sentence in zip(cases, sentences, strict=True)
            for content, start, end in case.prohibitions
        ],
        batch_size=BATCH_SIZE,
    )
    # In date order per case, so ids follow the dates as when recorded one by one.
    changes = StatusChange.objects.bulk_create(
        [
            StatusChange(
                supervisee_id=supervisee.pk,
                from_status=from_status,
                to_status=to_status,
                date=on,
                exit_reason=exit_reason,
                note=note,
                recorded_by=officer,
            )
            for case, supervisee, officer in zip(cases, supervisees, officers, strict=True)
            for from_status, to_status, on, exit_reason, note in case.changes
        ],
        batch_size=BATCH_SIZE,
    )
    return {
        "supervisees": len(supervisees),
        "sentences": len(sentences),
        "prohibitions": len(prohibitions),
        "status_changes": len(changes),
    }


def _seed_population(context: DemoContext, target: int) -> dict[str, int]:
    existing = set(
        Supervisee.objects.filter(case_number__startswith=CASE_NUMBER_PREFIX).values_list(
            "case_number", flat=True
        )
    )
    missing = [index for index in range(1, target + 1) if case_number(index) not in existing]
    totals = {"supervisees": 0, "sentences": 0, "prohibitions": 0, "status_changes": 0}
    if not missing:
        return totals
    # Every number already stored, demo or not: the demo never gives a second open case to a person.
    used_id_numbers = set(Supervisee.objects.values_list("id_number", flat=True))
    for offset in range(0, len(missing), BATCH_SIZE):
        cases = [
            build_case(index, today=context.today, used_id_numbers=used_id_numbers)
            for index in missing[offset : offset + BATCH_SIZE]
        ]
        for key, count in _write_cases(cases, agencies=context.agencies, users=context.users).items():
            totals[key] += count
    return totals


# --- more districts under the city (`seed_demo --districts K`) ------------------------------------------

# Zaozhuang's other districts and county-level city (GB/T 2260), then made-up ones, each with the prefix
# of its case numbers. Every district has its own bureau, two offices, police, procuratorate and court,
# and users `officer_dK`, `officer2_dK`, `supervisor_dK`, `procurator_dK`, `judge_dK`, `police_dK`.
_REAL_DISTRICTS = (
    ("370402", "市中区", "SZ"),
    ("370404", "峄城区", "YC"),
    ("370405", "台儿庄区", "TEZ"),
    ("370406", "山亭区", "ST"),
    ("370481", "滕州市", "TZ"),
)
_TAKEN_CODES = {DISTRICT_CODE, *(code for code, _name, _prefix in _REAL_DISTRICTS)}
# Made-up districts take the free codes 370407-370499 of the city (none is a real one above).
_MADE_UP_CODES = tuple(
    code for code in (f"{CITY_CODE}{n:02d}" for n in range(7, 100)) if code not in _TAKEN_CODES
)
MAX_EXTRA_DISTRICTS = len(_REAL_DISTRICTS) + len(_MADE_UP_CODES)
# A modest population per added district: enough for lists, statistics and alerts to have rows.
DEFAULT_DISTRICT_SUPERVISEES = 60
# The demo's own population starts at case 1; each added district draws its people from its own range
# of generator indices, so no two districts hold the same people.
_DISTRICT_INDEX_BASE = 1_000_000
# The Xuecheng offices' share of the caseload, folded onto the two offices of an added district.
_FIRST_OFFICE_AREAS = {"lincheng", "shagou", "zouwu"}


def extra_district(number: int) -> tuple[str, str, str]:
    """Code, name and case-number prefix of added district `number` (1-based)."""
    if not 1 <= number <= MAX_EXTRA_DISTRICTS:
        raise ValueError(f"the demo city has room for {MAX_EXTRA_DISTRICTS} more districts")
    if number <= len(_REAL_DISTRICTS):
        return _REAL_DISTRICTS[number - 1]
    return _MADE_UP_CODES[number - len(_REAL_DISTRICTS) - 1], f"示范{number}区", f"D{number:02d}"


def _district_users(number: int) -> tuple[tuple[str, str, str, str, str], ...]:
    return (
        (f"officer_d{number}", Role.JUSTICE_OFFICER, "office1", "钱", f"一{number}"),
        (f"officer2_d{number}", Role.JUSTICE_OFFICER, "office2", "孙", f"二{number}"),
        (f"supervisor_d{number}", Role.JUSTICE_SUPERVISOR, "bureau", "李", f"督{number}"),
        (f"procurator_d{number}", Role.PROCURATORATE, "procuratorate", "周", f"检{number}"),
        (f"judge_d{number}", Role.COURT, "court", "吴", f"法{number}"),
        (f"police_d{number}", Role.POLICE, "police", "郑", f"警{number}"),
    )


def _seed_one_district(
    number: int,
    *,
    city: City,
    main: dict[str, Agency],
    today: dt.date,
    target: int,
    used_id_numbers: set[str],
) -> dict[str, int]:
    code, name, prefix = extra_district(number)
    district, _created = District.objects.get_or_create(code=code, defaults={"name": name, "city": city})
    if district.city_id is None:
        district.city = city
        district.save(update_fields=["city"])
    created = {"districts": int(_created), "agencies": 0, "users": 0, "supervisees": 0}
    agencies: dict[str, Agency] = {}
    for key, agency_name, kind, parent in (
        ("bureau", f"{name}司法局", AgencyKind.JUSTICE_BUREAU, None),
        ("office1", f"{name}第一司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
        ("office2", f"{name}第二司法所", AgencyKind.JUSTICE_OFFICE, "bureau"),
        ("police", f"{name}公安分局", AgencyKind.POLICE, None),
        ("procuratorate", f"{name}人民检察院", AgencyKind.PROCURATORATE, None),
        ("court", f"{name}人民法院", AgencyKind.COURT, None),
    ):
        agency, was_created = Agency.objects.get_or_create(
            district=district,
            name=agency_name,
            defaults={"kind": kind, "parent": agencies[parent] if parent else None},
        )
        agencies[key] = agency
        created["agencies"] += was_created
    # Parole is ruled on by the intermediate court, temporary execution by the prison administration:
    # the city's, which the demo keeps among Xuecheng's agencies (a deciding agency in another district).
    agencies["intermediate_court"], agencies["prison"] = main["intermediate_court"], main["prison"]

    rows = _district_users(number)
    users = {user.username: user for user in User.objects.filter(username__in=[row[0] for row in rows])}
    missing = [row for row in rows if row[0] not in users]
    if missing:
        hasher = User(username=rows[0][0])
        hasher.set_password(DEMO_PASSWORD)
        for user in User.objects.bulk_create(
            User(
                username=username,
                role=role,
                agency=agencies[key],
                last_name=surname,
                first_name=given_name,
                password=hasher.password,
            )
            for username, role, key, surname, given_name in missing
        ):
            users[user.username] = user
        created["users"] = len(missing)

    numbers = {index: f"{prefix}JZ-{index:06d}" for index in range(1, target + 1)}
    existing = set(
        Supervisee.objects.filter(case_number__in=list(numbers.values())).values_list(
            "case_number", flat=True
        )
    )
    cases = []
    for index, number_text in numbers.items():
        if number_text in existing:
            continue
        case = build_case(_DISTRICT_INDEX_BASE * number + index, today=today, used_id_numbers=used_id_numbers)
        first = case.office in _FIRST_OFFICE_AREAS
        case.office = "office1" if first else "office2"
        case.officer = rows[0][0] if first else rows[1][0]
        case.supervisee["case_number"] = number_text
        for field in ("residence_address", "household_address"):
            case.supervisee[field] = case.supervisee[field].replace(DISTRICT_NAME, name)
        cases.append(case)
    if cases:
        created["supervisees"] = _write_cases(cases, agencies=agencies, users=users)["supervisees"]
    return created


def seed_districts(
    count: int,
    *,
    agencies: dict[str, Agency],
    today: dt.date,
    supervisees: int = DEFAULT_DISTRICT_SUPERVISEES,
) -> dict[str, int]:
    """Districts 1..`count` under the demo's city, each with its agencies, users and `supervisees` cases
    (their people, sentences and status history; the other demo steps' history is Xuecheng's only).
    Idempotent: a district, agency, user or case that exists is left as it is."""
    if count > MAX_EXTRA_DISTRICTS:
        raise ValueError(f"the demo city has room for {MAX_EXTRA_DISTRICTS} more districts")
    city = agencies[CITY_BUREAU].city
    totals = {"districts": 0, "agencies": 0, "users": 0, "supervisees": 0}
    if count <= 0:
        return totals
    used_id_numbers = set(Supervisee.objects.values_list("id_number", flat=True))
    for number in range(1, count + 1):
        for key, value in _seed_one_district(
            number, city=city, main=agencies, today=today, target=supervisees, used_id_numbers=used_id_numbers
        ).items():
            totals[key] += value
    return totals


# --- the whole seeding ---------------------------------------------------------------------------------


def demo_seed(
    *,
    supervisees: int = DEFAULT_SUPERVISEES,
    today: dt.date | None = None,
    districts: int = 0,
    district_supervisees: int = DEFAULT_DISTRICT_SUPERVISEES,
) -> list[str]:
    """Create whatever of the demo is missing, in one transaction; return one summary line per step.
    `districts`: how many more districts of the city to add (`seed_districts`)."""
    if supervisees < 0 or district_supervisees < 0:
        raise ValueError("the number of supervisees cannot be negative")
    today = today or office_today()
    with transaction.atomic():
        district, agencies, agencies_created = _seed_agencies()
        users, users_created = _seed_users(agencies)
        context = DemoContext(
            district=district,
            agencies=agencies,
            users=users,
            rng=random.Random(f"{SEED}:corrections"),
            today=today,
            supervisees=Supervisee.objects.filter(justice_office__district=district),
        )
        population = _seed_population(context, supervisees)
        context.created.update(agencies=agencies_created, users=users_created, **population)
        if any(context.created.values()):
            lines = [
                _(
                    "created %(supervisees)d supervisees (%(sentences)d sentences, %(prohibitions)d "
                    "prohibition orders, %(status_changes)d status changes), %(agencies)d agencies, "
                    "%(users)d users"
                )
                % context.created
            ]
        else:
            existing = context.supervisees.filter(case_number__startswith=CASE_NUMBER_PREFIX).count()
            lines = [
                _("nothing to do: %(supervisees)d demo supervisees, the agencies and users already exist")
                % {"supervisees": existing}
            ]
        for name, step in registered_demo_steps():
            lines.append(f"{name}: {step(dataclasses.replace(context, rng=context.rng_for('step', name)))}")
        if districts:
            added = seed_districts(
                districts, agencies=agencies, today=today, supervisees=district_supervisees
            )
            lines.append(
                _(
                    "districts: %(districts)d districts, %(agencies)d agencies, %(users)d users and "
                    "%(supervisees)d supervisees created"
                )
                % added
            )
            context.created.update({f"districts_{key}": count for key, count in added.items()})
        if any(context.created.values()):
            # One row for the whole seeding, not one per row it wrote.
            audit_record(
                actor=None,
                action=AuditAction.IMPORT,
                target_type="demo.seed",
                changes={
                    "supervisees": context.created["supervisees"],
                    **{key: count for key, count in context.created.items() if count},
                },
            )
    return lines
