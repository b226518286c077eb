"""Measures (admonition 训诫, warning 警告): proposal, the supervisor's decision, and the suggestions the
case's record gives (a person decides)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections.constants import Category
from corrections.models import Supervisee
from corrections.services import supervisee_transition
from supervision.constants import MeasureKind, MeasureStatus
from supervision.duties import next_report_due
from supervision.models import DisciplineRule, Measure
from supervision.selectors import revocation_suggestions
from supervision.services.measures import measure_approve, measure_propose, measure_reject
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    CheckInFactory(supervisee=case, on=today())  # reported today: nothing late to suggest
    return case


def propose(case, by, kind=MeasureKind.WARNING, *, days_ago: int = 1, reason: str = "未按时报到") -> Measure:
    return measure_propose(
        supervisee=case, by=by, kind=kind, reason=reason, occurred_on=today() - dt.timedelta(days=days_ago)
    )


def impose(case, officer, supervisor, kind=MeasureKind.WARNING, times: int = 1) -> list[Measure]:
    return [measure_approve(measure=propose(case, officer, kind), by=supervisor) for _ in range(times)]


def suggestions(case, **kwargs) -> list[dict]:
    # Read the case afresh, as the API does: its status may have moved since the test built it.
    return revocation_suggestions(supervisee=Supervisee.objects.get(pk=case.pk), **kwargs)


def codes(case, **kwargs) -> list[tuple[str, str]]:
    return [(s["code"], s["proposal"]) for s in suggestions(case, **kwargs)]


def measure_audit(measure: Measure, action: str):
    return AuditEvent.objects.filter(
        target_type="supervision.measure", target_id=str(measure.pk), action=action
    )


# Proposal.


def test_an_officer_proposes_a_measure_for_their_case_and_it_is_audited(case, officer):
    measure = measure_propose(
        supervisee=case,
        by=officer,
        kind=MeasureKind.ADMONITION,
        reason="  逾期 5 日报到  ",
        occurred_on=today(),
        evidence="报到登记表",
    )
    assert (measure.status, measure.proposed_by, measure.reason) == ("proposed", officer, "逾期 5 日报到")
    row = measure_audit(measure, "create").get()
    assert row.supervisee_id == case.pk
    assert row.changes["kind"] == {"before": None, "after": "admonition"}


def test_a_warning_may_be_proposed_without_admonitions_first(case, officer):
    assert propose(case, officer, MeasureKind.WARNING).kind == MeasureKind.WARNING


def test_a_supervisor_may_propose_too(case, supervisor):
    assert propose(case, supervisor).proposed_by == supervisor


@pytest.mark.parametrize("who", ["procurator", "other_office_officer", "judge", "police"])
def test_others_may_not_propose(case, who, request):
    with pytest.raises(PermissionDenied):
        propose(case, request.getfixturevalue(who))
    assert not Measure.objects.exists()


def test_a_measure_for_an_absconded_case_is_allowed(case, officer):
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=3))
    assert propose(case, officer, reason="失联").status == MeasureStatus.PROPOSED


def test_a_closed_case_takes_no_measures(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    supervisee_transition(supervisee=case, by=officer, to="deceased", on=today())
    with pytest.raises(StateConflict):
        propose(case, officer)


def test_breach_date_and_reason_are_checked(case, officer):
    with pytest.raises(ValidationError) as error:
        propose(case, officer, days_ago=-1, reason=" ")
    assert set(error.value.message_dict) == {"occurred_on", "reason"}
    with pytest.raises(ValidationError) as error:
        measure_propose(
            supervisee=case,
            by=officer,
            kind=MeasureKind.WARNING,
            reason="逾期",
            occurred_on=case.intake_date - dt.timedelta(days=1),
        )
    assert case.intake_date.isoformat() in error.value.message_dict["occurred_on"][0]


# Decision: a bureau supervisor of the district only.


def test_a_supervisor_approves_dated_today_and_audited(case, officer, supervisor):
    measure = measure_approve(measure=propose(case, officer), by=supervisor, note="情节较重")
    assert (measure.status, measure.decided_by, measure.decided_on) == ("approved", supervisor, today())
    row = measure_audit(measure, "transition").get()
    assert row.changes["status"] == {"before": "proposed", "after": "approved"}
    assert row.changes["decided_on"]["after"] == today().isoformat()


@pytest.mark.parametrize("who", ["officer", "procurator"])
def test_only_a_supervisor_decides(case, officer, who, request):
    measure = propose(case, officer)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        measure_approve(measure=measure, by=user)
    with pytest.raises(PermissionDenied):
        measure_reject(measure=measure, by=user, note="不予警告")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PROPOSED


def test_approving_twice_or_rejecting_an_approved_measure_is_a_conflict(case, officer, supervisor):
    measure = measure_approve(measure=propose(case, officer), by=supervisor)
    with pytest.raises(StateConflict):
        measure_approve(measure=measure, by=supervisor)
    with pytest.raises(StateConflict):
        measure_reject(measure=measure, by=supervisor, note="撤回")
    assert measure_audit(measure, "transition").count() == 1


def test_a_rejection_needs_a_note_and_is_audited(case, officer, supervisor):
    measure = propose(case, officer)
    with pytest.raises(ValidationError) as error:
        measure_reject(measure=measure, by=supervisor, note="")
    assert "note" in error.value.message_dict
    rejected = measure_reject(measure=measure, by=supervisor, note="证据不足")
    assert (rejected.status, rejected.decision_note) == (MeasureStatus.REJECTED, "证据不足")
    assert measure_audit(measure, "transition").get().changes["decision_note"]["after"] == "证据不足"


# Suggestions: the software suggests, a person decides.


def test_no_suggestion_on_a_clean_record(case):
    assert suggestions(case) == []


def test_one_approved_warning_suggests_nothing(case, officer, supervisor):
    impose(case, officer, supervisor, times=1)
    propose(case, officer)  # a second warning still awaiting its decision does not count
    assert codes(case) == []


def test_two_approved_warnings_suggest_revoking_probation(case, officer, supervisor):
    impose(case, officer, supervisor, times=2)
    [suggestion] = suggestions(case)
    assert suggestion["code"] == "repeated_warnings"
    assert suggestion["proposal"] == "revocation_proposal"
    assert "revoke probation" in suggestion["message"]
    assert "Criminal Law art. 77" in suggestion["basis"]


def test_rejected_warnings_do_not_count(case, officer, supervisor):
    impose(case, officer, supervisor, times=1)
    measure_reject(measure=propose(case, officer), by=supervisor, note="证据不足")
    assert codes(case) == []


def test_two_warnings_suggest_revoking_parole(office, officer, supervisor):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=Category.PAROLE)
    impose(case, officer, supervisor, times=2)
    [suggestion] = suggestions(case)
    assert suggestion["proposal"] == "revocation_proposal"
    assert "art. 86" in suggestion["basis"]


def test_two_warnings_suggest_recommitment_for_temporary_execution(office, officer, supervisor):
    case = SuperviseeFactory(
        justice_office=office, officer=officer, sentence__category=Category.TEMPORARY_EXECUTION
    )
    impose(case, officer, supervisor, times=2)
    # (The factory's case is on the ground of illness with no re-examination since its intake in January:
    # supervision.medical suggests on that too; this test is about the warnings.)
    [suggestion] = [s for s in suggestions(case) if s["code"] == "repeated_warnings"]
    assert suggestion["proposal"] == "recommitment_proposal"
    assert "art. 49" in suggestion["basis"]


def test_control_gets_no_revocation_suggestion(office, officer, supervisor):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=Category.CONTROL)
    impose(case, officer, supervisor, times=3)
    assert codes(case) == []


def test_the_local_threshold_of_warnings_is_data(case, officer, supervisor, district):
    DisciplineRule.objects.create(
        district=district, warnings_before_revocation=3, effective_from=dt.date(2026, 1, 1)
    )
    impose(case, officer, supervisor, times=2)
    assert codes(case) == []
    impose(case, officer, supervisor, times=1)
    assert codes(case) == [("repeated_warnings", "revocation_proposal")]


def test_absconded_more_than_30_days_suggests_revocation(case, officer):
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=31))
    [suggestion] = suggestions(case)
    assert (suggestion["code"], suggestion["proposal"]) == ("lost_contact", "revocation_proposal")
    assert "31 days" in suggestion["message"]


def test_absconded_30_days_is_not_yet_more_than_a_month(case, officer):
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=30))
    assert codes(case) == []
    assert codes(case, on=today() + dt.timedelta(days=1)) == [("lost_contact", "revocation_proposal")]


def test_the_latest_absconding_counts(case, officer):
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=60))
    supervisee_transition(
        supervisee=case, by=officer, to="under_supervision", on=today() - dt.timedelta(days=40)
    )
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=10))
    assert codes(case) == []


def test_absconded_control_case_gets_no_revocation_suggestion(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=Category.CONTROL)
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=today() - dt.timedelta(days=45))
    assert codes(case) == []


def test_two_admonitions_suggest_a_warning_until_one_is_imposed(case, officer, supervisor):
    impose(case, officer, supervisor, MeasureKind.ADMONITION, times=1)
    assert codes(case) == []
    impose(case, officer, supervisor, MeasureKind.ADMONITION, times=1)
    [suggestion] = suggestions(case)
    assert (suggestion["code"], suggestion["proposal"]) == ("warning_suggested", "warning")
    assert "Community Correction Law art. 28" in suggestion["basis"] and "local" in suggestion["basis"]
    warning = propose(case, officer, MeasureKind.WARNING)
    assert codes(case) == []  # a warning is already proposed
    measure_approve(measure=warning, by=supervisor)
    assert codes(case) == []
    # One more admonition after the warning is not yet two.
    impose(case, officer, supervisor, MeasureKind.ADMONITION, times=1)
    assert codes(case) == []


def test_no_suggestion_for_a_closed_case(case, officer, supervisor):
    impose(case, officer, supervisor, times=2)
    supervisee_transition(supervisee=case, by=officer, to="deceased", on=today())
    assert suggestions(case) == []


# Lateness, from the dates alone (contract v1.1), through the reporting duty's due date.


def late_case(office, officer, *, late: int, category=Category.PROBATION):
    """A case whose next report (supervision.duties) was due `late` days before today, unreported."""
    case = SuperviseeFactory(
        justice_office=office, officer=officer, sentence__category=category, intake_date=dt.date(2026, 1, 15)
    )
    first = CheckInFactory(supervisee=case, on=today())
    interval = (next_report_due(case, on=today()) - today()).days
    first.delete()
    CheckInFactory(supervisee=case, on=today() - dt.timedelta(days=interval + late))
    assert next_report_due(case, on=today()) == today() - dt.timedelta(days=late)
    return case


@pytest.mark.parametrize(
    ("late", "expected"),
    [
        (0, []),  # due today: not late yet
        (1, [("late_report", "admonition")]),
        (10, [("late_report", "admonition")]),  # up to late_days_for_admonition
        (11, [("very_late_report", "warning")]),
        (30, [("very_late_report", "warning")]),  # a month is lost_contact_days_before_revocation
        (31, [("unreported", "revocation_proposal")]),
    ],
)
def test_lateness_suggests_by_its_days_at_the_boundaries(office, officer, late, expected):
    assert codes(late_case(office, officer, late=late)) == expected


def test_the_lateness_thresholds_are_the_local_rule(office, officer):
    DisciplineRule.objects.create(
        district=office.district, effective_from=dt.date(2026, 1, 1), late_days_for_admonition=3
    )
    assert codes(late_case(office, officer, late=3)) == [("late_report", "admonition")]
    assert codes(late_case(office, officer, late=4)) == [("very_late_report", "warning")]


def test_unreported_for_over_a_month_suggests_recommitment_or_nothing_for_control(office, officer):
    # (Its re-examination is overdue too, which supervision.medical suggests a warning for: not this test's.)
    case = late_case(office, officer, late=40, category=Category.TEMPORARY_EXECUTION)
    [suggestion] = [s for s in suggestions(case) if s["code"] == "unreported"]
    assert suggestion["proposal"] == "recommitment_proposal"
    assert "art. 516(2)" in suggestion["basis"]
    # Control has no revocation: a very late report still calls for a warning.
    assert codes(late_case(office, officer, late=40, category=Category.CONTROL)) == [
        ("very_late_report", "warning")
    ]


def test_a_parolee_unreported_for_over_a_month_cites_the_parole_grounds(office, officer):
    [suggestion] = suggestions(late_case(office, officer, late=31, category=Category.PAROLE))
    assert suggestion["proposal"] == "revocation_proposal"
    assert "Criminal Law art. 86 para. 3" in suggestion["basis"] and "art. 543 para. 2" in suggestion["basis"]


def test_a_measure_for_a_breach_since_the_due_day_answers_the_lateness(office, officer, supervisor):
    case = late_case(office, officer, late=5)
    propose(case, officer, MeasureKind.ADMONITION, days_ago=2)
    assert codes(case) == []


def test_a_report_made_clears_the_lateness(office, officer):
    case = late_case(office, officer, late=12)
    CheckInFactory(supervisee=case, on=today())
    assert codes(case) == []
