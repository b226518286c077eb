"""Intake with its checklist (CCL 21, 22; corrections.services.supervisee_intake) and the ground of
custody (CCL 32) on StatusChange.

The checklist is saved before the move to `under_supervision`, in the same transaction, because the
transition effects that run inside supervisee_transition (the intake announcement of the documents
app) read it; if the move is refused, the checklist goes with it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections import services
from corrections.constants import CustodyGround, IntakeItem, Status
from corrections.intake import INTAKE_CHECKLIST
from corrections.models import IntakeRecord, StatusChange
from corrections.services import supervisee_intake, supervisee_transition
from corrections.teams import team_member_add
from corrections.timeline import status_change_events
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
EFFECTIVE = dt.date(2026, 11, 16)
REPORTED = dt.date(2026, 11, 20)
DONE = dict.fromkeys(IntakeItem.values, True)


@pytest.fixture
def pending(office, officer):
    """Awaiting intake, its correction team set up (CCL 25: someone besides the officer)."""
    case = SuperviseeFactory(
        justice_office=office, officer=officer, status=Status.PENDING_REPORT, sentence__effective=EFFECTIVE
    )
    team_member_add(supervisee=case, by=officer, name="周母", role="family", joined_on=EFFECTIVE)
    return case


def test_the_checklist_holds_the_items_of_ccl_22_and_names_the_office_practice():
    assert [item.code for item in INTAKE_CHECKLIST] == IntakeItem.values
    with translation.override("en"):
        bases = {item.code: item.basis for item in INTAKE_CHECKLIST}
    for code in ("documents_checked", "identity_verified", "registered", "announced"):
        assert bases[code] == "Community Correction Law art. 22"
    assert bases["team_set_up"] == "Community Correction Law art. 25 para. 1"
    assert bases["exit_ban_requested"] == "office practice"
    assert bases["rules_explained"].startswith("office practice")


def test_intake_with_every_item_done_records_the_checklist_and_the_move(pending, officer):
    supervisee = supervisee_intake(
        supervisee=pending, by=officer, on=REPORTED, checklist=DONE, note="本人到所报到"
    )
    assert (supervisee.status, supervisee.intake_date) == (Status.UNDER_SUPERVISION, REPORTED)
    record = IntakeRecord.objects.get(supervisee=pending)
    assert record.items == DONE and (record.date, record.recorded_by) == (REPORTED, officer)
    change = StatusChange.objects.get(supervisee=pending)
    assert (change.from_status, change.to_status, change.note) == (
        Status.PENDING_REPORT,
        Status.UNDER_SUPERVISION,
        "本人到所报到",
    )
    created = AuditEvent.objects.get(action="create", target_type="corrections.intakerecord")
    assert created.supervisee_id == pending.pk and created.changes["announced"] == {
        "before": None,
        "after": True,
    }
    assert AuditEvent.objects.filter(action="transition", supervisee_id=pending.pk).count() == 1


@translation.override("en")
def test_every_item_left_undone_is_named_by_its_own_key_with_the_date_s_error(pending, officer):
    checklist = {**DONE, "announced": False, "exit_ban_requested": False}
    del checklist["team_set_up"]  # left out counts as not done
    with pytest.raises(ValidationError) as refused:
        supervisee_intake(supervisee=pending, by=officer, on=dt.date(2026, 11, 15), checklist=checklist)
    errors = refused.value.message_dict
    assert set(errors) == {
        "date",
        "checklist.announced",
        "checklist.team_set_up",
        "checklist.exit_ban_requested",
    }
    assert "Community Correction Law art. 22" in errors["checklist.announced"][0]
    assert "office practice" in errors["checklist.exit_ban_requested"][0]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_REPORT
    assert not IntakeRecord.objects.exists() and not StatusChange.objects.exists()


@translation.override("en")
def test_team_set_up_is_refused_while_the_team_lacks_what_the_law_asks(office, officer):
    woman = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        status=Status.PENDING_REPORT,
        sentence__effective=EFFECTIVE,
        gender="female",
    )
    with pytest.raises(ValidationError) as refused:
        supervisee_intake(supervisee=woman, by=officer, on=REPORTED, checklist=DONE)
    (messages,) = refused.value.message_dict.values()
    assert list(refused.value.message_dict) == ["checklist.team_set_up"] and len(messages) == 2
    assert "besides the officer" in messages[0] and "must include a woman" in messages[1]
    team_member_add(
        supervisee=woman, by=officer, name="周母", role="family", gender="female", joined_on=EFFECTIVE
    )
    assert (
        supervisee_intake(supervisee=woman, by=officer, on=REPORTED, checklist=DONE).intake_date == REPORTED
    )


def test_an_item_that_is_not_on_the_checklist_is_refused(pending, officer):
    with pytest.raises(ValidationError) as refused:
        supervisee_intake(
            supervisee=pending, by=officer, on=REPORTED, checklist={**DONE, "photo_taken": True}
        )
    assert list(refused.value.message_dict) == ["checklist.photo_taken"]


def test_the_transition_effects_read_the_checklist_saved_before_the_move(pending, officer, monkeypatch):
    seen = []

    def effect(supervisee, change, by):
        # What the documents app's intake announcement does: read the record of this very intake.
        record = IntakeRecord.objects.get(supervisee=supervisee)
        seen.append((change.to_status, record.announced, record.recorded_by, supervisee.intake_date))

    monkeypatch.setattr(services, "_transition_effects", [effect])
    supervisee_intake(supervisee=pending, by=officer, on=REPORTED, checklist=DONE)
    assert seen == [(Status.UNDER_SUPERVISION, True, officer, REPORTED)]


def test_an_effect_that_fails_takes_the_checklist_with_the_move(pending, officer, monkeypatch):
    def effect(supervisee, change, by):
        raise ValidationError({"document": ["no template in force"]})

    monkeypatch.setattr(services, "_transition_effects", [effect])
    with pytest.raises(ValidationError):
        supervisee_intake(supervisee=pending, by=officer, on=REPORTED, checklist=DONE)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_REPORT and not IntakeRecord.objects.exists()


def test_a_case_that_had_its_intake_is_refused_a_second_one(pending, officer):
    supervisee_intake(supervisee=pending, by=officer, on=REPORTED, checklist=DONE)
    supervisee_transition(supervisee=pending, by=officer, to=Status.ABSCONDED, on=dt.date(2026, 11, 22))
    with pytest.raises(StateConflict):
        supervisee_intake(supervisee=pending, by=officer, on=dt.date(2026, 11, 24), checklist=DONE)
    assert IntakeRecord.objects.count() == 1


def test_a_person_who_absconded_before_reporting_is_taken_in_on_return(pending, officer):
    supervisee_transition(supervisee=pending, by=officer, to=Status.ABSCONDED, on=dt.date(2026, 11, 18))
    assert services.is_intake(pending, Status.UNDER_SUPERVISION)
    supervisee = supervisee_intake(supervisee=pending, by=officer, on=REPORTED, checklist=DONE)
    assert supervisee.intake_date == REPORTED and IntakeRecord.objects.filter(supervisee=pending).exists()


# The API: the checklist is an optional addition (v1 callers send only to, date and reason).


def transition(api_as, user, case, **body):
    return api_as(user).post(f"/api/v1/supervisees/{case.pk}/transition/", body, format="json")


def test_api_v1_intake_without_a_checklist_still_works(api_as, officer, pending):
    response = transition(api_as, officer, pending, to="under_supervision", date=REPORTED.isoformat())
    assert response.status_code == 200 and response.json()["intake_date"] == REPORTED.isoformat()
    assert not IntakeRecord.objects.exists()


def test_api_intake_with_its_checklist(api_as, officer, pending):
    response = transition(
        api_as, officer, pending, to="under_supervision", date=REPORTED.isoformat(), checklist=DONE
    )
    assert response.status_code == 200
    assert IntakeRecord.objects.get(supervisee=pending).items == DONE


def test_api_names_the_missing_items_nested(api_as, officer, pending):
    response = transition(
        api_as,
        officer,
        pending,
        to="under_supervision",
        date=REPORTED.isoformat(),
        checklist={**DONE, "identity_verified": False},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["checklist"] and list(response.json()["checklist"]) == [
        "identity_verified"
    ]


def test_api_refuses_a_checklist_on_another_move(api_as, officer, pending):
    response = transition(api_as, officer, pending, to="absconded", date=REPORTED.isoformat(), checklist=DONE)
    assert response.status_code == 400 and "checklist" in response.json()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_REPORT


# The ground of custody (CCL 32).


@pytest.mark.parametrize("ground", CustodyGround.values)
def test_custody_keeps_its_ground_and_the_timeline_shows_it(office, officer, ground):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    supervisee_transition(
        supervisee=case, by=officer, to=Status.IN_CUSTODY, on=dt.date(2026, 11, 20), ground=ground
    )
    change = StatusChange.objects.get(supervisee=case)
    assert change.custody_ground == ground
    with translation.override("en"):
        (event,) = status_change_events(case, limit=10)
        assert str(CustodyGround(ground).label) in event.summary
    assert event.details["custody_ground"] == ground
    assert AuditEvent.objects.get(action="transition").changes["custody_ground"] == ground


def test_a_ground_on_another_move_or_an_unknown_ground_is_refused(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    for to, ground in ((Status.ABSCONDED, CustodyGround.DETENTION), (Status.IN_CUSTODY, "house_arrest")):
        with pytest.raises(ValidationError) as refused:
            supervisee_transition(supervisee=case, by=officer, to=to, on=dt.date(2026, 11, 20), ground=ground)
        assert list(refused.value.message_dict) == ["ground"]
    assert not StatusChange.objects.exists()


def test_api_custody_with_and_without_its_ground(api_as, officer, office):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    response = transition(
        api_as, officer, case, to="in_custody", date="2026-11-20", ground="drug_rehabilitation"
    )
    assert response.status_code == 200
    assert StatusChange.objects.get(supervisee=case).custody_ground == "drug_rehabilitation"
    other = SuperviseeFactory(justice_office=office, officer=officer)
    response = transition(api_as, officer, other, to="in_custody", date="2026-11-20")  # API v1
    assert response.status_code == 200 and StatusChange.objects.get(supervisee=other).custody_ground == ""
    response = transition(
        api_as, officer, other, to="under_supervision", date="2026-11-21", ground="detention"
    )
    assert response.status_code == 400 and list(response.json()) == ["ground"]
