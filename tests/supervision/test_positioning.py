"""Electronic positioning orders (CCL 29): the five grounds, three months at most (and each extension),
proposed by one person and approved by a bureau supervisor who is another, the decision document, the
early end, the positioning_ending alert, the location checks an order yields and who reads them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.constants import Role
from accounts.models import AuditEvent
from config.api import StateConflict
from config.office_time import at_office_time
from corrections.constants import Category, ProhibitionKind, Status
from corrections.models import Prohibition
from corrections.services import supervisee_transition
from documents.models import Document
from supervision.constants import MeasureKind, MeasureStatus, PositioningGround, PositioningStatus
from supervision.models import Alert, CheckIn, Measure, PositioningOrder
from supervision.positioning import latest_end
from supervision.services.checkins import checkin_record
from supervision.services.positioning import (
    positioning_order_approve,
    positioning_order_end,
    positioning_order_propose,
    positioning_order_reject,
)
from supervision.services.prohibitions import prohibition_violation_record
from supervision.sweep import sweep_run
from tests.documents.pdf import pdf_text
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db
TERM_CITED = "Community Correction Law art. 29 para. 2"


@pytest.fixture
def second_supervisor(bureau):
    return UserFactory(username="t_supervisor2", role=Role.JUSTICE_SUPERVISOR, agency=bureau)


@pytest.fixture
def case(office, officer, agencies):
    return SuperviseeFactory(justice_office=office, officer=officer, name="李四")


@pytest.fixture
def control_case(office, officer, agencies):
    return SuperviseeFactory(
        justice_office=office, officer=officer, sentence__category=Category.CONTROL, name="王五"
    )


def propose(
    case, by, *, start, months_end=None, end=None, ground=PositioningGround.LEFT_WITHOUT_APPROVAL, **kw
):
    return positioning_order_propose(
        supervisee=case,
        by=by,
        ground=ground,
        start_date=start,
        end_date=end or latest_end(start),
        reason=kw.pop("reason", "10月3日未经批准前往临沂，经评估有必要加强监管"),
        **kw,
    )


# --- three months at most (CCL 29 para. 2), counted as every term here -----------------------------------


def test_three_months_from_today_is_the_day_before_the_same_date_three_months_later(case, officer, today):
    assert today == dt.date(2026, 11, 25)
    assert latest_end(today) == dt.date(2027, 2, 24)
    # The same date does not exist in February: it clamps to the 28th, and the term ends the day before.
    assert latest_end(dt.date(2026, 11, 30)) == dt.date(2027, 2, 27)
    order = propose(case, officer, start=today, end=dt.date(2027, 2, 24))
    assert (order.status, order.end_date) == (PositioningStatus.PROPOSED, dt.date(2027, 2, 24))


def test_a_day_more_than_three_months_is_refused_naming_ccl_29(case, officer, today):
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today, end=dt.date(2027, 2, 25))
    (message,) = refused.value.message_dict["end_date"]
    assert TERM_CITED in message and "2027-02-24" in message
    assert not PositioningOrder.objects.exists()


def test_an_order_cannot_begin_in_the_past_nor_end_before_it_begins(case, officer, today):
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today - dt.timedelta(days=1))
    assert "start_date" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today + dt.timedelta(days=3), end=today + dt.timedelta(days=2))
    assert "end_date" in refused.value.message_dict


def test_an_order_stays_inside_the_correction_period(office, officer, today, agencies):
    # Control of 12 months from 2026-01-10: the period ends on 2027-01-09.
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=Category.CONTROL)
    assert case.sentence.end_date == dt.date(2027, 1, 9)
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today, end=dt.date(2027, 1, 10))
    assert "2027-01-09" in refused.value.message_dict["end_date"][0]


# --- separation of duties: proposed by one, approved by a supervisor who is another ---------------------


def test_the_proposer_never_decides_and_an_officer_never_approves(
    case, officer, supervisor, second_supervisor, colleague, today
):
    order = propose(case, supervisor, start=today)
    with pytest.raises(PermissionDenied, match="the person who asked for a decision never makes it"):
        positioning_order_approve(order=order, by=supervisor)
    with pytest.raises(PermissionDenied):
        positioning_order_approve(order=order, by=colleague)
    order.refresh_from_db()
    assert order.status == PositioningStatus.PROPOSED and not Document.objects.exists()
    approved = positioning_order_approve(order=order, by=second_supervisor, note="同意")
    assert (approved.status, approved.decided_by, approved.decided_on) == (
        PositioningStatus.APPROVED,
        second_supervisor,
        today,
    )


def test_approval_writes_the_decision_document_citing_ccl_29(case, officer, supervisor, today):
    order = propose(case, officer, start=today)
    positioning_order_approve(order=order, by=supervisor)
    document = Document.objects.get(kind="positioning_decision")
    assert document.number == f"薛城区司法局矫定〔{today.year}〕1号"
    assert (document.source_type, document.source_id) == ("supervision.positioningorder", str(order.pk))
    text = pdf_text(document.file.pdf)
    for expected in (
        "使用电子定位装置决定书",
        "李四",
        case.case_number,
        "《社区矫正法》第二十九条第一款第（二）项",
        "《社区矫正法》第二十九条第二款",
        "《社区矫正法》第二十九条第三款",
        "2026年11月25日起至2027年2月24日止",
        "无正当理由，未经批准离开所居住的市、县",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(
        target_type="supervision.positioningorder", target_id=str(order.pk), action="transition"
    ).exists()


def test_a_rejection_says_why_and_writes_nothing(case, officer, supervisor, today):
    order = propose(case, officer, start=today)
    with pytest.raises(ValidationError):
        positioning_order_reject(order=order, by=supervisor, note=" ")
    rejected = positioning_order_reject(order=order, by=supervisor, note="情节轻微，电话核查即可")
    assert rejected.status == PositioningStatus.REJECTED and not Document.objects.exists()
    with pytest.raises(StateConflict):
        positioning_order_approve(order=order, by=supervisor)


def test_an_order_is_not_approved_after_its_first_day(case, officer, supervisor, today, clock):
    order = propose(case, officer, start=today)
    clock.move_to(timezone.now() + dt.timedelta(days=1))
    with pytest.raises(StateConflict, match="2026-11-25"):
        positioning_order_approve(order=order, by=supervisor)


def test_one_order_at_a_time_an_extension_instead(case, officer, supervisor, today):
    order = propose(case, officer, start=today)
    with pytest.raises(StateConflict):
        propose(case, officer, start=today + dt.timedelta(days=3))  # one proposal awaits a decision
    positioning_order_approve(order=order, by=supervisor)
    with pytest.raises(StateConflict, match="extension"):
        propose(case, officer, start=today + dt.timedelta(days=10))


# --- extensions: from the day after, at most three months each time -------------------------------------


def test_an_extension_of_more_than_three_months_is_refused_naming_ccl_29(case, officer, supervisor, today):
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    first = dt.date(2027, 2, 25)
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=None, ground="", end=dt.date(2027, 5, 25), extends=order)
    (message,) = refused.value.message_dict["end_date"]
    assert "extension" in message and TERM_CITED in message and "2027-05-24" in message
    extension = propose(case, officer, start=None, ground="", end=dt.date(2027, 5, 24), extends=order)
    assert (extension.start_date, extension.ground, extension.extends) == (first, order.ground, order)
    with pytest.raises(StateConflict):  # one extension at a time
        propose(case, officer, start=None, ground="", end=dt.date(2027, 4, 1), extends=order)


def test_an_extension_begins_the_day_after_and_keeps_the_ground(case, officer, supervisor, today):
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    with pytest.raises(ValidationError) as refused:
        propose(
            case,
            officer,
            start=dt.date(2027, 3, 1),
            end=dt.date(2027, 4, 1),
            ground=PositioningGround.REVOCATION_PENDING,
            extends=order,
        )
    assert {"start_date", "ground"} <= set(refused.value.message_dict)


def test_the_approved_extension_names_the_decision_it_extends(
    case, officer, supervisor, second_supervisor, today
):
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    extension = propose(case, officer, start=None, ground="", end=dt.date(2027, 3, 31), extends=order)
    positioning_order_approve(order=extension, by=second_supervisor)
    first, second = Document.objects.filter(kind="positioning_decision").order_by("id")
    text = pdf_text(second.file.pdf)
    assert "延长使用电子定位装置期限决定书" in text and first.number in text
    assert "2027年2月25日起至2027年3月31日止" in text


# --- the grounds the record shows --------------------------------------------------------------------------


def prohibition(case, **kw) -> Prohibition:
    return Prohibition.objects.create(
        sentence=case.sentence, content="禁止进入夜总会、酒吧", kind=ProhibitionKind.PLACES, **kw
    )


def test_ground_one_needs_a_recorded_violation_and_names_it(case, officer, supervisor, today):
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today, ground=PositioningGround.PROHIBITION_VIOLATED)
    assert "Community Correction Law art. 29 para. 1(1)" in refused.value.message_dict["violation"][0]
    violation = prohibition_violation_record(
        prohibition=prohibition(case),
        by=officer,
        occurred_on=today - dt.timedelta(days=2),
        description="11月23日晚进入酒吧饮酒",
        measure_kind=MeasureKind.WARNING,
    )
    # The violation links to the measure proposed with it, which names the order.
    measure = Measure.objects.get()
    assert violation.measure == measure and measure.status == MeasureStatus.PROPOSED
    assert "禁止进入夜总会、酒吧" in measure.reason
    order = propose(
        case, officer, start=today, ground=PositioningGround.PROHIBITION_VIOLATED, violation=violation
    )
    positioning_order_approve(order=order, by=supervisor)
    text = pdf_text(Document.objects.get(kind="positioning_decision").file.pdf)
    assert "违反的禁止令：禁止进入夜总会、酒吧" in text and "第二十九条第一款第（一）项" in text


def test_a_violation_of_another_case_or_on_another_ground_is_refused(case, officer, today, office):
    other = SuperviseeFactory(justice_office=office)
    violation = prohibition_violation_record(
        prohibition=prohibition(other), by=officer, occurred_on=today, description="接触被害人"
    )
    with pytest.raises(ValidationError) as refused:
        propose(
            case, officer, start=today, ground=PositioningGround.PROHIBITION_VIOLATED, violation=violation
        )
    assert "violation" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        propose(other, officer, start=today, violation=violation)
    assert "violation" in refused.value.message_dict


def test_a_violation_is_of_a_day_the_order_bound(case, officer, today):
    order = prohibition(case, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 8, 31))
    with pytest.raises(ValidationError) as refused:
        prohibition_violation_record(prohibition=order, by=officer, occurred_on=today, description="进入酒吧")
    assert "2026-03-01" in refused.value.message_dict["occurred_on"][0]
    prohibition_violation_record(
        prohibition=order, by=officer, occurred_on=dt.date(2026, 8, 31), description="进入酒吧"
    )


def test_ground_three_needs_an_approved_warning(case, officer, supervisor, today):
    with pytest.raises(ValidationError) as refused:
        propose(case, officer, start=today, ground=PositioningGround.WARNED_FOR_NOT_REPORTING)
    assert "art. 29 para. 1(3)" in refused.value.message_dict["ground"][0]
    Measure.objects.create(
        supervisee=case,
        kind=MeasureKind.WARNING,
        reason="拒不报告活动情况",
        occurred_on=today - dt.timedelta(days=5),
        status=MeasureStatus.APPROVED,
        proposed_by=officer,
        decided_by=supervisor,
        decided_on=today - dt.timedelta(days=3),
    )
    assert propose(case, officer, start=today, ground=PositioningGround.WARNED_FOR_NOT_REPORTING).pk


def test_ground_five_is_not_for_control(control_case, case, officer, today):
    with pytest.raises(ValidationError) as refused:
        propose(control_case, officer, start=today, ground=PositioningGround.REVOCATION_PENDING)
    assert "art. 29 para. 1(5)" in refused.value.message_dict["ground"][0]
    assert propose(case, officer, start=today, ground=PositioningGround.REVOCATION_PENDING).pk


def test_only_the_case_s_office_or_a_supervisor_proposes(case, other_office_officer, procurator, today):
    for user in (other_office_officer, procurator):
        with pytest.raises(PermissionDenied):
            propose(case, user, start=today)


# --- ending early, and the case's exit ------------------------------------------------------------------


def test_ending_early_ends_its_approved_extension_too(case, officer, supervisor, second_supervisor, today):
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    extension = positioning_order_approve(
        order=propose(case, officer, start=None, ground="", end=dt.date(2027, 3, 31), extends=order),
        by=second_supervisor,
    )
    with pytest.raises(ValidationError):
        positioning_order_end(order=order, by=officer, reason="")
    positioning_order_end(order=order, by=officer, reason="经评估无需继续使用")
    order.refresh_from_db()
    extension.refresh_from_db()
    assert (order.status, order.ended_on, order.ended_by) == (PositioningStatus.ENDED, today, officer)
    assert extension.status == PositioningStatus.ENDED
    assert not order.in_force_on(today + dt.timedelta(days=1)) and order.in_force_on(today)
    with pytest.raises(StateConflict):
        positioning_order_end(order=order, by=officer, reason="again")


def test_a_closed_case_s_orders_end_on_the_day_it_closed(case, officer, supervisor, today):
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    supervisee_transition(supervisee=case, by=supervisor, to=Status.DECEASED, on=today, reason="病故")
    order.refresh_from_db()
    assert (order.status, order.ended_on) == (PositioningStatus.ENDED, today)


# --- positioning_ending: 7 days before the last day, once -------------------------------------------------


def test_positioning_ending_is_raised_seven_days_before_the_last_day_once(case, officer, supervisor, today):
    order = positioning_order_approve(
        order=propose(case, officer, start=today, end=today + dt.timedelta(days=30)), by=supervisor
    )
    last = order.end_date
    assert sweep_run(as_of=last - dt.timedelta(days=8))["positioning_ending"] == 0
    assert sweep_run(as_of=last - dt.timedelta(days=7))["positioning_ending"] == 1
    assert sweep_run(as_of=last - dt.timedelta(days=6))["positioning_ending"] == 0
    assert list(Alert.objects.filter(kind="positioning_ending").values_list("supervisee_id", "due_date")) == [
        (case.pk, last)
    ]


def test_no_positioning_ending_once_ended_or_extended(case, officer, supervisor, second_supervisor, today):
    order = positioning_order_approve(
        order=propose(case, officer, start=today, end=today + dt.timedelta(days=10)), by=supervisor
    )
    extension = propose(
        case, officer, start=None, ground="", end=today + dt.timedelta(days=40), extends=order
    )
    positioning_order_approve(order=extension, by=second_supervisor)
    assert sweep_run(as_of=order.end_date - dt.timedelta(days=7))["positioning_ending"] == 0
    positioning_order_end(order=order, by=officer, reason="不再需要")
    assert sweep_run(as_of=extension.end_date - dt.timedelta(days=3))["positioning_ending"] == 0


# --- location checks: linked to the order in force, read by those who may, audited ----------------------


def test_location_checks_made_under_an_order_are_linked_to_it(case, officer, supervisor, today, clock):
    def check(kind="location_check"):
        return checkin_record(
            supervisee=case,
            by=officer,
            kind=kind,
            at=timezone.now(),
            latitude=Decimal("34.795123"),
            longitude=Decimal("117.256456"),
        )

    before = check()
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    during, phone = check(), check("phone")
    assert (before.positioning_order, during.positioning_order, phone.positioning_order) == (
        None,
        order,
        None,
    )
    positioning_order_end(order=order, by=officer, reason="不再需要")
    clock.move_to(at_office_time(today + dt.timedelta(days=1), dt.time(9, 0)))
    assert check().positioning_order is None
    # The trail records that a location was taken, never where.
    audit = AuditEvent.objects.get(target_type="supervision.checkin", target_id=str(during.pk))
    assert audit.changes["location"] == {"before": None, "after": "recorded"}
    assert "34.79" not in str(audit.changes)


def test_locations_are_null_for_those_who_may_not_read_them_and_audited_for_those_who_do(
    api, case, officer, supervisor, procurator, social_worker, today
):
    from corrections.teams import team_member_add

    team_member_add(supervisee=case, by=officer, name="社工", role="social_worker", user=social_worker)
    order = positioning_order_approve(order=propose(case, officer, start=today), by=supervisor)
    checkin = checkin_record(
        supervisee=case,
        by=officer,
        kind="location_check",
        at=timezone.now(),
        latitude=Decimal("34.795123"),
        longitude=Decimal("117.256456"),
    )
    for reader, shown in ((officer, True), (supervisor, True), (procurator, True), (social_worker, False)):
        api.force_authenticate(user=reader)
        body = api.get(f"/api/v1/checkins/?supervisee={case.pk}").json()
        (row,) = [r for r in body["results"] if r["id"] == checkin.pk]
        assert (row["latitude"], row["positioning_order"]) == (
            ("34.795123", order.pk) if shown else (None, None)
        ), reader.username
        reads = AuditEvent.objects.filter(
            actor=reader, action="view", target_type="supervision.location", supervisee_id=case.pk
        )
        assert reads.count() == (1 if shown else 0), reader.username
        if shown:
            assert reads.get().changes == {"checkins": [checkin.pk]}
    api.force_authenticate(user=social_worker)
    assert api.get(f"/api/v1/checkins/?positioning_order={order.pk}").json()["count"] == 0
    api.force_authenticate(user=procurator)
    assert api.get(f"/api/v1/checkins/?positioning_order={order.pk}").json()["count"] == 1


def test_no_export_carries_a_location():
    from reports.resources import CheckInResource

    columns = {field.column_name for field in CheckInResource().get_export_fields()}
    assert not columns & {"latitude", "longitude", "positioning_order"}


def test_the_admin_lists_no_location():
    from django.contrib import admin

    checkins = admin.site._registry[CheckIn]
    assert not {"latitude", "longitude"} & set(checkins.list_display)
    assert {"latitude", "longitude", "positioning_order"} <= set(checkins.exclude)
    assert PositioningOrder not in admin.site._registry
