"""`manage.py seed_demo` (docs/api.md#demo-data): the demo users, a lawful and realistic population, and
idempotence: a second run writes nothing, a larger one adds only what is missing."""

import datetime as dt
import hashlib
import io
import random

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from accounts.constants import ROLE_AGENCY_KIND, AgencyKind, AuditAction, Role
from accounts.models import Agency, AuditEvent, District, User
from corrections import demo
from corrections.constants import (
    ALLOWED_TRANSITIONS,
    EXIT_REASONS_BY_STATUS,
    EXIT_STATUSES,
    MINOR_AGE,
    Category,
    Education,
    Gender,
    Status,
)
from corrections.idnumber import birth_date_from_id, gender_from_id, validate_id_number
from corrections.intake import intake_deadline
from corrections.models import Prohibition, Sentence, StatusChange, Supervisee
from corrections.periods import compute_period
from corrections.services import DECIDING_AGENCY_KINDS, age_on

pytestmark = pytest.mark.django_db

# A fixed anchor day: the data depend on it, so both runs of a test must share it (even across midnight).
ANCHOR = dt.date(2026, 6, 30)
PASSWORD = "Correction-2026"
# docs/api.md#demo-data's table: username -> (role, agency name)
DEMO_USERS = {
    "officer": (Role.JUSTICE_OFFICER, "临城司法所"),
    "officer2": (Role.JUSTICE_OFFICER, "常庄司法所"),
    "supervisor": (Role.JUSTICE_SUPERVISOR, "薛城区司法局"),
    "procurator": (Role.PROCURATORATE, "薛城区人民检察院"),
    "judge": (Role.COURT, "薛城区人民法院"),
    "police": (Role.POLICE, "枣庄市公安局薛城分局"),
    "socialworker": (Role.SOCIAL_WORKER, "临城司法所"),
}


def seed(**options) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out, **{"date": ANCHOR, **options})
    return out.getvalue()


def table_rows(model) -> list[tuple]:
    """Every column of every row, in primary-key order: any rewrite shows up here."""
    columns = [field.attname for field in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values_list(*columns))


def database_digest() -> str:
    rows = [
        table_rows(model)
        for model in (District, Agency, User, Supervisee, Sentence, Prohibition, StatusChange)
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def demo_people(up_to: int | None = None) -> list[tuple]:
    """The demo cases by what they are, not by their ids or timestamps: person, sentence, orders, history."""
    supervisees = Supervisee.objects.filter(case_number__startswith=demo.CASE_NUMBER_PREFIX)
    if up_to is not None:
        supervisees = supervisees.filter(case_number__lte=demo.case_number(up_to))
    skip = {"id", "created_at", "updated_at", "justice_office_id", "officer_id"}
    columns = [f.attname for f in Supervisee._meta.concrete_fields if f.attname not in skip]
    people = list(
        supervisees.order_by("case_number").values_list(*columns, "justice_office__name", "officer__username")
    )
    sentence_columns = [
        f.attname
        for f in Sentence._meta.concrete_fields
        if f.attname not in {"id", "supervisee_id", "deciding_agency_id"}
    ]
    sentences = list(
        Sentence.objects.filter(supervisee__in=supervisees)
        .order_by("supervisee__case_number")
        .values_list("supervisee__case_number", *sentence_columns, "deciding_agency__name")
    )
    orders = list(
        Prohibition.objects.filter(sentence__supervisee__in=supervisees)
        .order_by("sentence__supervisee__case_number", "id")
        .values_list("sentence__supervisee__case_number", "content", "start_date", "end_date")
    )
    history = list(
        StatusChange.objects.filter(supervisee__in=supervisees)
        .order_by("supervisee__case_number", "date", "id")
        .values_list(
            "supervisee__case_number",
            "from_status",
            "to_status",
            "date",
            "exit_reason",
            "note",
            "recorded_by__username",
        )
    )
    return [people, sentences, orders, history]


@pytest.fixture
def no_other_steps(monkeypatch):
    """Only the steps a test registers itself (and none it registers leak into other tests)."""
    monkeypatch.setattr(demo, "_steps", {})


def test_the_seven_demo_users_sign_in_with_their_role_and_agency():
    seed(supervisees=0)

    for username, (role, agency_name) in DEMO_USERS.items():
        user = User.objects.select_related("agency__district").get(username=username)
        assert (user.role, user.agency.name) == (role, agency_name)
        assert user.agency.kind == ROLE_AGENCY_KIND[role]
        assert user.agency.district.code == "370403"
        assert user.check_password(PASSWORD)
        assert user.last_name and user.first_name  # a Chinese full name, shown on cases and the trail
        user.clean()  # role and agency agree, as the model requires
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(PASSWORD)
    assert not admin.role and admin.agency is None
    # Extra officers spread the caseloads: every justice office has at least one.
    offices = Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, district__code="370403")
    assert offices.count() >= 4
    for office in offices:
        assert office.parent.kind == AgencyKind.JUSTICE_BUREAU
        assert office.users.filter(role=Role.JUSTICE_OFFICER).exists()


def test_the_district_has_every_kind_of_agency():
    seed(supervisees=0)

    district = District.objects.get(code="370403")
    assert district.name == "薛城区"
    assert set(district.agencies.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert district.agencies.get(kind=AgencyKind.JUSTICE_BUREAU).name == "薛城区司法局"


def test_the_demo_district_sits_under_zaozhuang_with_the_city_supervisor():
    seed(supervisees=0)

    district = District.objects.get(code="370403")
    assert (district.city.code, district.city.name) == ("3704", "枣庄市")
    # Without --districts the demo has its one district, and the city bureau's supervisor.
    assert District.objects.count() == 1
    city = User.objects.get(username="citysupervisor")
    assert city.role == Role.JUSTICE_SUPERVISOR and city.check_password(PASSWORD)
    assert (city.agency.kind, city.agency.name, city.agency.city_id) == (
        AgencyKind.JUSTICE_BUREAU,
        "枣庄市司法局",
        district.city_id,
    )
    assert city.is_city_level and city.district_id is None
    city.clean()
    city.agency.full_clean()


def test_a_demo_district_seeded_before_cities_is_placed_under_the_city(no_other_steps):
    District.objects.create(code="370403", name="薛城区")
    seed(supervisees=0)
    assert District.objects.get(code="370403").city.code == "3704"


def test_more_districts_each_with_their_agencies_and_users(no_other_steps):
    out = seed(supervisees=10, districts=2, district_supervisees=5)
    assert "2 districts, 12 agencies, 12 users and 10 supervisees created" in out
    for number, code in ((1, "370402"), (2, "370404")):
        district = District.objects.get(code=code)
        assert district.city.code == "3704"
        assert set(district.agencies.values_list("kind", flat=True)) == set(AgencyKind.values) - {
            AgencyKind.PRISON
        }
        assert district.agencies.filter(kind=AgencyKind.JUSTICE_OFFICE).count() == 2
        for username in (f"officer_d{number}", f"supervisor_d{number}"):
            user = User.objects.get(username=username)
            assert user.agency.district == district and user.check_password(PASSWORD)
            user.clean()
        cases = Supervisee.objects.filter(justice_office__district=district)
        assert cases.count() == 5
        # Every case the same lawful shape as Xuecheng's: its sentence, and an officer of its own office.
        for case in cases.select_related("sentence", "officer"):
            assert case.sentence is not None
            assert case.officer is None or case.officer.agency_id == case.justice_office_id
    # A larger K adds only the missing district; the same K again writes nothing.
    counts = model_counts()
    assert "0 districts, 0 agencies, 0 users and 0 supervisees created" in seed(
        supervisees=10, districts=2, district_supervisees=5
    )
    assert model_counts() == counts
    assert "1 districts, 6 agencies, 6 users and 5 supervisees created" in seed(
        supervisees=10, districts=3, district_supervisees=5
    )


def test_a_second_run_writes_nothing(no_other_steps):
    first = seed(supervisees=60)
    digest, counts, audit_rows = database_digest(), model_counts(), AuditEvent.objects.count()

    second = seed(supervisees=60)

    assert "created 60 supervisees" in first
    assert "nothing to do" in second
    assert database_digest() == digest
    assert model_counts() == counts
    assert AuditEvent.objects.count() == audit_rows


def test_the_seeding_writes_one_audit_row_and_none_when_nothing_is_created(no_other_steps):
    seed(supervisees=60)
    seed(supervisees=60)

    event = AuditEvent.objects.get(target_type="demo.seed")
    assert event.action == AuditAction.IMPORT
    assert event.actor is None
    assert event.changes["supervisees"] == 60
    assert event.changes["users"] == len(demo.USERS) + 1  # and the admin
    # No audit row per supervisee: the trail records the seeding, not each row it wrote.
    assert AuditEvent.objects.count() == 1


def test_the_same_anchor_day_gives_the_same_people(no_other_steps):
    seed(supervisees=60)
    people = demo_people()
    Supervisee.objects.all().delete()

    seed(supervisees=60)

    assert demo_people() == people
    assert len(people[0]) == 60


def test_a_larger_number_adds_only_the_missing_cases(no_other_steps):
    seed(supervisees=60)
    first_sixty = demo_people()

    output = seed(supervisees=80)

    assert "created 20 supervisees" in output
    assert Supervisee.objects.count() == 80
    assert Sentence.objects.count() == 80
    assert demo_people(up_to=60) == first_sixty
    assert [e.changes["supervisees"] for e in AuditEvent.objects.order_by("id")] == [60, 20]
    # A smaller number never deletes anything.
    assert "nothing to do" in seed(supervisees=10)
    assert Supervisee.objects.count() == 80


def test_every_case_is_lawful_under_the_projects_own_rules(no_other_steps):
    seed(supervisees=60)

    supervisees = Supervisee.objects.select_related(
        "sentence__deciding_agency", "officer", "justice_office"
    ).prefetch_related("status_changes")
    assert supervisees.count() == 60
    id_numbers = [s.id_number for s in supervisees if s.status not in EXIT_STATUSES]
    assert len(id_numbers) == len(set(id_numbers))
    for supervisee in supervisees:
        sentence = supervisee.sentence
        validate_id_number(supervisee.id_number)
        assert supervisee.birth_date == birth_date_from_id(supervisee.id_number)
        assert supervisee.gender == gender_from_id(supervisee.id_number)
        period = compute_period(sentence.terms(supervisee.gender))
        assert (sentence.start_date, sentence.end_date, sentence.period_rule) == (
            period.start_date,
            period.end_date,
            period.rule,
        )
        assert supervisee.is_minor == (age_on(supervisee.birth_date, sentence.start_date) < MINOR_AGE)
        assert sentence.deciding_agency.kind in DECIDING_AGENCY_KINDS
        assert supervisee.officer.role == Role.JUSTICE_OFFICER
        assert supervisee.officer.agency_id == supervisee.justice_office_id
        assert supervisee.last_contact_at is None  # no invented check-ins
        # What the model itself checks, constraints included.
        supervisee.full_clean()
        sentence.full_clean()

        if supervisee.status == Status.UNDER_SUPERVISION:
            assert supervisee.intake_date is not None
        if supervisee.status in EXIT_STATUSES:
            assert supervisee.exit_date is not None
            assert supervisee.exit_reason in EXIT_REASONS_BY_STATUS[supervisee.status]
            assert supervisee.exit_date <= ANCHOR
        else:
            assert (supervisee.exit_date, supervisee.exit_reason) == (None, "")
            assert sentence.end_date is None or sentence.end_date > ANCHOR

        # The history is a walk the lifecycle allows, dated in order, ending where the case stands.
        changes = sorted(supervisee.status_changes.all(), key=lambda change: (change.date, change.pk))
        status = Status.PENDING_REPORT
        for change in changes:
            assert change.from_status == status
            assert change.to_status in ALLOWED_TRANSITIONS[status]
            assert sentence.effective_date <= change.date <= ANCHOR
            assert change.recorded_by == supervisee.officer
            status = change.to_status
        assert status == supervisee.status
        if changes:
            deadline = intake_deadline(
                category=sentence.category,
                effective_date=sentence.effective_date,
                release_date=sentence.release_date,
            )
            assert changes[0].date == supervisee.intake_date <= deadline  # CCL 21
            assert supervisee.intake_date >= sentence.start_date
        else:
            assert supervisee.status == Status.PENDING_REPORT and supervisee.intake_date is None
        if supervisee.exit_date:
            assert (changes[-1].date, changes[-1].exit_reason) == (
                supervisee.exit_date,
                supervisee.exit_reason,
            )


def test_a_small_demo_still_shows_every_category_and_the_main_statuses(no_other_steps):
    seed(supervisees=60)

    assert set(Sentence.objects.values_list("category", flat=True)) == set(Category.values)
    statuses = set(Supervisee.objects.values_list("status", flat=True))
    assert {Status.PENDING_REPORT, Status.UNDER_SUPERVISION, Status.ABSCONDED, Status.IN_CUSTODY} <= statuses
    exited = Supervisee.objects.filter(status__in=EXIT_STATUSES)
    assert exited.exists()
    assert not exited.filter(exit_date__isnull=True).exists()
    assert not exited.filter(exit_reason="").exists()
    # Some people have not reported and are past the 10-day deadline, so `intake_overdue` will fire.
    pending = Supervisee.objects.filter(status=Status.PENDING_REPORT).select_related("sentence")
    deadlines = [
        intake_deadline(
            category=s.sentence.category,
            effective_date=s.sentence.effective_date,
            release_date=s.sentence.release_date,
        )
        for s in pending
    ]
    assert any(deadline < ANCHOR for deadline in deadlines)
    assert any(deadline >= ANCHOR for deadline in deadlines)
    assert Supervisee.objects.filter(is_minor=True).exists()
    assert Prohibition.objects.exists()


def test_the_default_population_looks_like_the_districts(no_other_steps):
    seed()

    supervisees = list(Supervisee.objects.select_related("sentence"))
    total = len(supervisees)
    assert total == demo.DEFAULT_SUPERVISEES

    def share(condition) -> float:
        return sum(1 for s in supervisees if condition(s)) / total

    # Zaozhuang 2020: about 94% probation, 3% parole, 2% temporary execution, 1% control.
    assert share(lambda s: s.sentence.category == Category.PROBATION) == pytest.approx(0.94, abs=0.01)
    assert share(lambda s: s.sentence.category == Category.PAROLE) == pytest.approx(0.03, abs=0.01)
    assert share(lambda s: s.sentence.category == Category.TEMPORARY_EXECUTION) == pytest.approx(
        0.02, abs=0.01
    )
    assert share(lambda s: s.sentence.category == Category.CONTROL) == pytest.approx(0.01, abs=0.01)
    # Mostly men aged 18-45 with junior secondary schooling or less.
    assert share(lambda s: s.gender == Gender.MALE) >= 0.8
    assert share(lambda s: 18 <= age_on(s.birth_date, s.sentence.start_date) <= 45) >= 0.6
    low = {Education.NONE, Education.PRIMARY, Education.JUNIOR_SECONDARY}
    assert share(lambda s: s.education in low) >= 0.7
    # Mostly under supervision; months of history behind them.
    assert share(lambda s: s.status == Status.UNDER_SUPERVISION) >= 0.6
    judgments = [s.sentence.judgment_date for s in supervisees]
    assert min(judgments) <= ANCHOR - dt.timedelta(days=2 * 365)
    # Every justice office has cases, spread over its officers.
    assert Agency.objects.filter(kind=AgencyKind.JUSTICE_OFFICE, supervisees__isnull=True).count() == 0
    assert Supervisee.objects.filter(officer__username="officer").exists()
    assert Supervisee.objects.filter(officer__username="officer2").exists()


def test_the_demo_is_laid_out_back_from_today_by_default(no_other_steps):
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", supervisees=20, stdout=out)

    today = timezone.localdate()
    assert "created 20 supervisees" in out.getvalue()
    assert Sentence.objects.filter(judgment_date__gt=today).count() == 0
    assert StatusChange.objects.filter(date__gt=today).count() == 0
    # The newest cases are recent: some judgments took effect within the last three weeks.
    assert Sentence.objects.filter(effective_date__gte=today - dt.timedelta(days=21)).exists()


def test_existing_agencies_of_the_district_are_reused(office, bureau, no_other_steps):
    seed(supervisees=10)

    assert Agency.objects.filter(name="临城司法所").count() == 1
    assert User.objects.get(username="officer").agency == office
    assert Agency.objects.get(name="常庄司法所").parent == bureau


def test_registered_steps_run_after_corrections_in_order_with_the_context(no_other_steps):
    seen = []

    def checkins(context: demo.DemoContext) -> str:
        seen.append(
            (
                context.district.code,
                context.agencies["lincheng"].name,
                context.users["officer"].username,
                context.today,
                context.supervisees.count(),
                isinstance(context.rng, random.Random),
            )
        )
        context.created["check_ins"] = 5
        return "created 5 check-ins"

    def referrals(context: demo.DemoContext) -> str:
        seen.append("referrals")
        return "created no referrals"

    demo.register_demo_step("supervision.checkins", lambda context: "replaced")
    demo.register_demo_step("coordination.referrals", referrals)
    demo.register_demo_step("supervision.checkins", checkins)  # replaces, keeps its place

    lines = seed(supervisees=15).splitlines()

    assert lines[0].startswith("created 15 supervisees")
    assert lines[1:3] == [
        "supervision.checkins: created 5 check-ins",
        "coordination.referrals: created no referrals",
    ]
    assert seen == [("370403", "临城司法所", "officer", ANCHOR, 15, True), "referrals"]
    # What a step creates is on the seeding's audit row.
    assert AuditEvent.objects.get(target_type="demo.seed").changes["check_ins"] == 5


def test_each_step_gets_its_own_repeatable_generator(no_other_steps):
    draws = []
    demo.register_demo_step("a", lambda context: str(draws.append(context.rng.random())))
    demo.register_demo_step("b", lambda context: str(draws.append(context.rng.random())))

    seed(supervisees=0)
    seed(supervisees=0)

    assert draws[0] == draws[2] and draws[1] == draws[3]
    assert draws[0] != draws[1]


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", supervisees=-1)
    with pytest.raises(CommandError):
        call_command("seed_demo", date=timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(CommandError):
        call_command("seed_demo", districts=demo.MAX_EXTRA_DISTRICTS + 1)
    with pytest.raises(CommandError):
        call_command("seed_demo", districts=-1)
    with pytest.raises(CommandError):
        call_command("seed_demo", district_supervisees=-1)
    assert not Supervisee.objects.exists()
    assert not User.objects.exists()
