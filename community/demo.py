"""Social forces' part of `seed_demo`: the district's providers and a year of activities in each justice
office (group education every fortnight, a minors' session apart each month, talks, counselling,
vocational training, employment help, help with social assistance and community service), each with its
participants' hours and outcomes.

Registered into corrections' demo registry. Idempotent: providers are looked up by name, and an office
that already has activities gets none. Participants are the office's people under correction on the
day, minors never with adults (CCL 52 para. 3). Written in bulk like the other demo steps (no audit row
per row); what a run writes depends only on the step's own generator and the population.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Exists, OuterRef

from corrections.demo import DemoContext, register_demo_step

from .constants import ActivityKind, ParticipationOutcome, ProviderKind
from .models import Activity, Participation, Provider

DAYS = 365
BATCH_SIZE = 2000
PROVIDERS = (
    (
        "薛城区阳光社会工作服务中心",
        ProviderKind.ORGANISATION,
        ["group_education", "counselling", "individual_talk"],
        "王主任 0632-4411001",
    ),
    ("枣庄市心理健康协会", ProviderKind.ORGANISATION, ["counselling"], "李老师 0632-3312002"),
    ("薛城区职业技能培训学校", ProviderKind.SCHOOL, ["vocational_training"], "教务处 0632-4417003"),
    (
        "枣庄鲁南建材有限公司",
        ProviderKind.EMPLOYER,
        ["employment_help", "vocational_training"],
        "人事部 0632-4455004",
    ),
    (
        "临城街道志愿者服务队",
        ProviderKind.VOLUNTEER,
        ["community_service", "group_education"],
        "张队长 13806320005",
    ),
    ("薛城区民政局社会救助窗口", ProviderKind.ORGANISATION, ["social_assistance"], "救助科 0632-4410006"),
)
TOPICS = {
    ActivityKind.GROUP_EDUCATION: [
        "宪法与社区矫正法学习",
        "法治教育：守法与悔罪",
        "道德讲堂：家庭责任",
        "禁毒与防范电信诈骗",
    ],
    ActivityKind.INDIVIDUAL_TALK: ["月度个别教育谈话", "思想动态谈话"],
    ActivityKind.COUNSELLING: ["心理健康评估与疏导", "情绪管理团体辅导"],
    ActivityKind.VOCATIONAL_TRAINING: ["电工技能培训", "家政服务技能培训", "电商直播入门"],
    ActivityKind.EMPLOYMENT_HELP: ["专场招聘会", "就业指导与岗位推荐"],
    ActivityKind.SOCIAL_ASSISTANCE: ["协助申请最低生活保障", "协助办理医疗救助"],
    ActivityKind.COMMUNITY_SERVICE: ["社区环境整治", "敬老院志愿服务", "交通路口文明劝导"],
}


def seed_community(context: DemoContext) -> str:
    today, rng = context.today, context.rng
    providers = {}
    for name, kind, offers, contact in PROVIDERS:
        provider, _created = Provider.objects.get_or_create(
            district=context.district,
            name=name,
            defaults={
                "kind": kind,
                "offers": offers,
                "contact": contact,
                "created_by": context.users["supervisor"],
            },
        )
        providers[name] = provider
    by_kind = {kind: [p for p in providers.values() if kind in p.offers] for kind in ActivityKind.values}
    people = list(
        context.supervisees.filter(intake_date__isnull=False)
        .exclude(Exists(Activity.objects.filter(agency_id=OuterRef("justice_office_id"))))
        .values("pk", "justice_office_id", "officer_id", "intake_date", "exit_date", "is_minor", "status")
        .order_by("pk")
    )
    offices: dict[int, list[dict]] = {}
    for person in people:
        offices.setdefault(person["justice_office_id"], []).append(person)
    fallback = context.users["officer"].pk
    first_day = today - dt.timedelta(days=DAYS)
    planned: list[tuple[Activity, list[Participation]]] = []

    def on(cases, day, minors):
        return [
            p
            for p in cases
            if p["is_minor"] == minors
            and p["intake_date"] <= day
            and (p["exit_date"] is None or p["exit_date"] > day)
        ]

    def add(kind, day, hours, participants, *, office_id, officer_id):
        if not participants:
            return
        provider = rng.choice(by_kind[kind]) if by_kind[kind] and rng.random() < 0.7 else None
        activity = Activity(
            kind=kind,
            date=day,
            hours=Decimal(hours),
            topic=rng.choice(TOPICS[kind]),
            provider=provider,
            outcome="按计划完成。"
            if kind != ActivityKind.EMPLOYMENT_HELP
            else "推荐岗位，部分人员达成就业意向。",
            agency_id=office_id,
            recorded_by_id=officer_id,
        )
        rows = []
        for person in participants:
            roll = rng.random()
            if roll < 0.08:
                outcome, own = ParticipationOutcome.ABSENT, Decimal(0)
            elif roll < 0.15:
                outcome, own = ParticipationOutcome.PARTLY, max(Decimal("0.5"), Decimal(hours) - 1)
            elif kind == ActivityKind.EMPLOYMENT_HELP and roll < 0.45:
                outcome, own = ParticipationOutcome.EMPLOYED, Decimal(hours)
            elif kind == ActivityKind.SOCIAL_ASSISTANCE and roll < 0.6:
                outcome, own = ParticipationOutcome.ASSISTANCE_GRANTED, Decimal(hours)
            else:
                outcome, own = ParticipationOutcome.COMPLETED, Decimal(hours)
            rows.append(Participation(supervisee_id=person["pk"], hours=own, outcome=outcome))
        planned.append((activity, rows))

    for office_id, cases in offices.items():
        officer_id = next((p["officer_id"] for p in cases if p["officer_id"]), fallback)
        day = first_day
        while day < today:
            adults = on(cases, day, minors=False)
            if day.weekday() == 2 and day.isocalendar()[1] % 2 == 0:
                # Every other Wednesday: a group session for the adults, four hours of education and,
                # the week after, community service, each for a sample of the office's people.
                add(
                    ActivityKind.GROUP_EDUCATION,
                    day,
                    "4",
                    rng.sample(adults, min(len(adults), rng.randint(8, 20))),
                    office_id=office_id,
                    officer_id=officer_id,
                )
                later = day + dt.timedelta(days=7)
                if later < today:
                    adults_later = on(cases, later, minors=False)
                    add(
                        ActivityKind.COMMUNITY_SERVICE,
                        later,
                        "4",
                        rng.sample(adults_later, min(len(adults_later), rng.randint(6, 15))),
                        office_id=office_id,
                        officer_id=officer_id,
                    )
            if day.day == 10:
                minors = on(cases, day, minors=True)
                # CCL 52 para. 3: the minors' session is their own.
                add(
                    ActivityKind.GROUP_EDUCATION, day, "3", minors, office_id=office_id, officer_id=officer_id
                )
                for kind, size in (
                    (ActivityKind.VOCATIONAL_TRAINING, (4, 10)),
                    (ActivityKind.EMPLOYMENT_HELP, (3, 8)),
                    (ActivityKind.COUNSELLING, (2, 6)),
                ):
                    when = day + dt.timedelta(days=rng.randint(1, 10))
                    when = when if when < today else day
                    present = on(cases, when, minors=False)
                    add(
                        kind,
                        when,
                        rng.choice(["2", "3"]),
                        rng.sample(present, min(len(present), rng.randint(*size))),
                        office_id=office_id,
                        officer_id=officer_id,
                    )
            if day.weekday() in (0, 3) and adults and rng.random() < 0.6:
                add(
                    ActivityKind.INDIVIDUAL_TALK,
                    day,
                    "1",
                    [rng.choice(adults)],
                    office_id=office_id,
                    officer_id=officer_id,
                )
            if day.day == 20 and adults and rng.random() < 0.7:
                add(
                    ActivityKind.SOCIAL_ASSISTANCE,
                    day,
                    "1",
                    rng.sample(adults, min(len(adults), rng.randint(1, 3))),
                    office_id=office_id,
                    officer_id=officer_id,
                )
            day += dt.timedelta(days=1)
    activities = Activity.objects.bulk_create([a for a, _rows in planned], batch_size=BATCH_SIZE)
    participations = []
    for activity, (_planned, rows) in zip(activities, planned, strict=True):
        for row in rows:
            row.activity_id = activity.pk
            participations.append(row)
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
    context.created["providers"] = len(providers)
    context.created["activities"] = len(activities)
    context.created["participations"] = len(participations)
    return (
        f"social forces: {len(providers)} providers, {len(activities)} activities, "
        f"{len(participations)} participations"
    )


def register() -> None:
    register_demo_step("community", seed_community)
