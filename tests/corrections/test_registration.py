"""Registering and editing a case file through the services: derivations, the period rules, refusals
that name the field, nothing half-saved, and the audit row."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections.constants import Status
from corrections.idnumber import make_id_number
from corrections.models import Prohibition, Sentence, Supervisee
from corrections.services import supervisee_register, supervisee_transition, supervisee_update
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db


def person(office, **overrides):
    fields = {
        "case_number": "(2026)薛矫字第00001号",
        "name": "李明",
        "gender": "male",
        "id_number": make_id_number(
            region="370403", birth_date=dt.date(1998, 3, 4), sequence=12, gender="male"
        ),
        "education": "junior_secondary",
        "residence_address": "临城街道光明路 8 号",
        "household_type": "urban",
        "crime": "盗窃罪",
        "crime_chapter": "property",
        "management_level": "strict",
        "justice_office": office,
    }
    return {**fields, **overrides}


def probation(court, **overrides):
    fields = {
        "category": "probation",
        "penalty": "fixed_term_imprisonment",
        "deciding_agency": court,
        "document_number": "(2026)鲁0403刑初12号",
        "judgment_date": dt.date(2026, 1, 2),
        "effective_date": dt.date(2026, 1, 13),
        "original_term_months": 10,
        "probation_term_months": 12,
    }
    return {**fields, **overrides}


def test_register_derives_birth_date_period_and_minor_flag_and_audits(office, officer, court):
    supervisee = supervisee_register(
        by=officer,
        fields=person(office),
        sentence=probation(court),
        prohibitions=["禁止进入夜总会、酒吧", " "],
    )
    assert supervisee.status == Status.PENDING_REPORT
    assert supervisee.birth_date == dt.date(1998, 3, 4)
    assert supervisee.is_minor is False
    sentence = Sentence.objects.get(supervisee=supervisee)
    # CL 73: from the day the judgment took effect, 12 months, the last day included.
    assert (sentence.start_date, sentence.end_date, sentence.period_rule) == (
        dt.date(2026, 1, 13),
        dt.date(2027, 1, 12),
        "probation_imprisonment",
    )
    assert list(Prohibition.objects.values_list("content", flat=True)) == ["禁止进入夜总会、酒吧"]
    event = AuditEvent.objects.get(action="create", supervisee_id=supervisee.pk)
    assert event.changes["name"]["after"] == "李明"
    assert event.changes["sentence.end_date"]["after"] == "2027-01-12"
    # The trail keeps no full ID number.
    assert "*" in event.changes["id_number"]["after"]


def test_a_minor_at_the_start_of_correction_stays_a_minor(office, officer, court):
    born = dt.date(2008, 6, 1)  # 17 on 2026-01-13
    supervisee = supervisee_register(
        by=officer,
        sentence=probation(court),
        fields=person(
            office, id_number=make_id_number(region="370403", birth_date=born, sequence=3, gender="male")
        ),
    )
    assert supervisee.is_minor is True
    supervisee_transition(
        supervisee=supervisee, by=officer, to=Status.UNDER_SUPERVISION, on=dt.date(2026, 1, 20)
    )
    supervisee_update(supervisee=supervisee, by=officer, fields={"phone": "13800000000"})
    supervisee.refresh_from_db()
    assert supervisee.is_minor is True


def test_bad_input_is_refused_with_every_field_named_and_nothing_saved(office, officer, court):
    with pytest.raises(ValidationError) as refused:
        supervisee_register(
            by=officer,
            fields=person(office, id_number="370403199803041235", gender="female"),
            sentence=probation(court, probation_term_months=61),
        )
    errors = refused.value.message_dict
    assert "checksum" in errors["id_number"][0]
    assert "sentence.probation_term_months" in errors
    # Each rule says it once, in words; the fields the period rules would have filled add no noise.
    assert len(errors["id_number"]) == 1 and len(errors["sentence.probation_term_months"]) == 1
    assert not {"sentence.start_date", "sentence.period_rule"} & set(errors)
    assert not any("['" in message for messages in errors.values() for message in messages)
    assert (
        not Supervisee.objects.exists() and not Sentence.objects.exists() and not AuditEvent.objects.exists()
    )


def test_gender_must_agree_with_the_id_number(office, officer, court):
    with pytest.raises(ValidationError) as refused:
        supervisee_register(by=officer, fields=person(office, gender="female"), sentence=probation(court))
    assert "17th digit" in refused.value.message_dict["gender"][0]


def test_a_stated_end_date_that_breaks_the_rule_is_refused(office, officer, court):
    with pytest.raises(ValidationError) as refused:
        supervisee_register(
            by=officer, fields=person(office), sentence={**probation(court), "end_date": dt.date(2027, 1, 13)}
        )
    assert "2027-01-12" in refused.value.message_dict["sentence.end_date"][0]


def test_a_person_has_one_open_case_at_a_time(office, officer, court):
    supervisee_register(by=officer, fields=person(office), sentence=probation(court))
    with pytest.raises(ValidationError) as refused:
        supervisee_register(
            by=officer, fields=person(office, case_number="(2026)薛矫字第00002号"), sentence=probation(court)
        )
    # By the field the clerk typed, not above the form: the constraint is about the ID number.
    assert refused.value.message_dict == {"id_number": ["This person already has an open correction case."]}


def test_duplicate_case_number_is_refused(office, officer, court):
    supervisee_register(by=officer, fields=person(office), sentence=probation(court))
    other = make_id_number(region="370403", birth_date=dt.date(1990, 1, 1), sequence=5, gender="male")
    with pytest.raises(ValidationError) as refused:
        supervisee_register(by=officer, fields=person(office, id_number=other), sentence=probation(court))
    assert "case_number" in refused.value.message_dict


def test_officer_registers_only_for_their_own_office(other_office, officer, court):
    with pytest.raises(ValidationError) as refused:
        supervisee_register(by=officer, fields=person(other_office), sentence=probation(court))
    assert "justice_office" in refused.value.message_dict


def test_read_only_roles_may_not_register(office, procurator, court):
    with pytest.raises(PermissionDenied):
        supervisee_register(by=procurator, fields=person(office), sentence=probation(court))


def test_deciding_agency_must_be_a_court_prison_or_police(office, officer, court):
    with pytest.raises(ValidationError) as refused:
        supervisee_register(by=officer, fields=person(office), sentence=probation(office))
    assert "sentence.deciding_agency" in refused.value.message_dict


def test_update_recomputes_the_period_and_audits_before_and_after(office, officer):
    supervisee = SuperviseeFactory(justice_office=office, officer=officer)
    supervisee_update(
        supervisee=supervisee,
        by=officer,
        fields={"phone": "13900000000"},
        sentence={"probation_term_months": 36},
    )
    sentence = Sentence.objects.get(supervisee=supervisee)
    assert sentence.end_date == dt.date(2029, 1, 9)
    event = AuditEvent.objects.get(action="update")
    assert event.changes["phone"] == {"before": "", "after": "13900000000"}
    assert event.changes["sentence.end_date"]["after"] == "2029-01-09"


def test_only_a_supervisor_reassigns_a_case(office, officer, supervisor):
    supervisee = SuperviseeFactory(justice_office=office, officer=officer)
    colleague = UserFactory(username="t_colleague", agency=office)
    with pytest.raises(PermissionDenied):
        supervisee_update(supervisee=supervisee, by=officer, fields={"officer": colleague})
    supervisee_update(supervisee=supervisee, by=supervisor, fields={"officer": colleague})
    supervisee.refresh_from_db()
    assert supervisee.officer == colleague
    assert AuditEvent.objects.get(action="update").changes["officer"] == {
        "before": officer.pk,
        "after": colleague.pk,
    }


def test_a_closed_case_is_read_only(office, officer):
    supervisee = SuperviseeFactory(
        justice_office=office, status=Status.DECEASED, exit_date=dt.date(2026, 2, 1), exit_reason="deceased"
    )
    with pytest.raises(StateConflict):
        supervisee_update(supervisee=supervisee, by=officer, fields={"phone": "1"})
