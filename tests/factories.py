"""One factory per model. Supervisees are built with the same derivations the services apply
(birth date from the ID number, the period from corrections.periods), so factory rows are lawful."""

import datetime as dt

import factory

from accounts.constants import AgencyKind, Role
from accounts.models import Agency, District, User
from config.office_time import at_office_time, office_now
from corrections.constants import Category, CrimeChapter, Education, Gender, HouseholdType, Penalty, Status
from corrections.idnumber import birth_date_from_id, make_id_number
from corrections.models import Sentence, Supervisee
from corrections.periods import compute_period
from supervision.constants import CheckInKind
from supervision.models import CheckIn

PASSWORD = "Correction-2026"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"District {n}")
    code = factory.Sequence(lambda n: f"{370400 + n:06d}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.JUSTICE_BUREAU
    district = factory.SubFactory(DistrictFactory)


class JusticeOfficeFactory(AgencyFactory):
    kind = AgencyKind.JUSTICE_OFFICE
    parent = factory.SubFactory(AgencyFactory, district=factory.SelfAttribute("..district"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.JUSTICE_OFFICER
    agency = factory.SubFactory(JusticeOfficeFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def lawful_sentence_fields(*, category: str, effective: dt.date) -> dict:
    """Inputs that the period rules accept for each category."""
    if category == Category.PROBATION:
        return {
            "penalty": Penalty.FIXED_TERM_IMPRISONMENT,
            "original_term_months": 12,
            "probation_term_months": 24,
        }
    if category == Category.CONTROL:
        return {"penalty": Penalty.CONTROL, "original_term_months": 12}
    if category == Category.PAROLE:
        return {
            "penalty": Penalty.FIXED_TERM_IMPRISONMENT,
            "original_term_months": 60,
            "release_date": effective,
            "original_term_end": effective + dt.timedelta(days=400),
        }
    return {
        "penalty": Penalty.FIXED_TERM_IMPRISONMENT,
        "original_term_months": 36,
        "release_date": effective,
        "original_term_end": effective + dt.timedelta(days=500),
        "temporary_execution_ground": "illness",
    }


class SuperviseeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervisee
        skip_postgeneration_save = True

    class Params:
        born = dt.date(1995, 5, 17)

    case_number = factory.Sequence(lambda n: f"YCJ-{n:06d}")
    name = factory.Sequence(lambda n: f"张{n}")
    gender = Gender.MALE
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(region="370403", birth_date=o.born, sequence=n % 99, gender=o.gender)
    )
    birth_date = factory.LazyAttribute(lambda o: birth_date_from_id(o.id_number))
    education = Education.JUNIOR_SECONDARY
    residence_address = "薛城区临城街道 1 号"
    household_type = HouseholdType.RURAL
    crime = "盗窃罪"
    crime_chapter = CrimeChapter.PROPERTY
    status = Status.UNDER_SUPERVISION
    justice_office = factory.SubFactory(JusticeOfficeFactory)
    intake_date = factory.LazyAttribute(
        lambda o: dt.date(2026, 1, 15) if o.status != Status.PENDING_REPORT else None
    )

    @factory.post_generation
    def sentence(
        obj, create, extracted, category=Category.PROBATION, effective=dt.date(2026, 1, 10), **kwargs
    ):
        court = kwargs.pop("deciding_agency", None) or (
            Agency.objects.filter(district=obj.justice_office.district, kind=AgencyKind.COURT)
            .order_by("id")
            .first()
        )
        if court is None:
            court = AgencyFactory(kind=AgencyKind.COURT, district=obj.justice_office.district)
        fields = {**lawful_sentence_fields(category=category, effective=effective), **kwargs}
        record = Sentence(
            supervisee=obj,
            category=category,
            deciding_agency=court,
            document_number="(2025)鲁0403刑初1号",
            judgment_date=effective - dt.timedelta(days=10),
            effective_date=effective,
            **fields,
        )
        period = compute_period(record.terms(obj.gender))
        record.start_date, record.end_date, record.period_rule = (
            period.start_date,
            period.end_date,
            period.rule,
        )
        if create:
            record.save()


class CheckInFactory(factory.django.DjangoModelFactory):
    """A contact as the check-in service stores it; `on` (a day, office time, 10:00) or `occurred_at`."""

    class Meta:
        model = CheckIn

    class Params:
        on = None

    supervisee = factory.SubFactory(SuperviseeFactory)
    kind = CheckInKind.IN_PERSON
    occurred_at = factory.LazyAttribute(
        lambda o: at_office_time(o.on, dt.time(10, 0)) if o.on else office_now().replace(microsecond=0)
    )
    recorded_by = factory.LazyAttribute(
        lambda o: UserFactory(role=Role.JUSTICE_OFFICER, agency=o.supervisee.justice_office)
    )


# What the law asks of every leave request beyond its dates (CCL 27; supervision.services.leave): a
# destination outside the county of residence (the fixtures' district is 370403; 370102 is Jinan's
# Lixia District), one of the office's proper reasons, and, for a start sooner than the notice days,
# urgency with why. Tests about other rules pass these; tests of these rules spell them out.
LEAVE_BY_THE_LAW = {
    "destination_code": "370102",
    "reason_code": "family",
    "urgent": True,
    "urgent_reason": "父亲突发疾病住院",
}
