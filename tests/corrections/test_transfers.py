"""Transfer of the place of execution between two districts (CCL 27 para. 2; corrections.transfers): the
proposal and its deadline (data), who decides (never the proposer, only the receiving district's bureau),
the move of the same case file, who sees it before and after, the reporting duty without a gap, the
`transfer` notices, and the monthly statistics of both districts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Agency, AuditEvent
from accounts.selectors import audit_event_list
from config.api import StateConflict
from corrections.constants import Status, TransferStatus
from corrections.models import CorrectionTeamMember, Transfer, TransferRule
from corrections.scoping import can_edit_case, supervisees_visible_to
from corrections.teams import team_member_add
from corrections.transfers import (
    answered_late,
    is_overdue,
    overdue_condition,
    transfer_accept,
    transfer_propose,
    transfer_refuse,
    transfer_withdraw,
)
from documents.models import Notice
from reports.statistics import monthly_statistics
from supervision.duties import next_report_due
from supervision.models import Alert
from supervision.selectors import alert_list
from supervision.sweep import sweep_run
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


def _propose(case, officer, office_b, **more):
    return transfer_propose(
        supervisee=case,
        by=officer,
        to_office=office_b,
        reason=more.get("reason", "迁居至山亭区，与父母同住"),
        new_residence=more.get("new_residence", "山亭区山城街道 8 号"),
    )


# --- the proposal and its deadline -------------------------------------------------------------------


def test_the_answer_is_due_after_the_receiving_districts_reply_days(transfer_case, officer, office_b, today):
    transfer = _propose(transfer_case, officer, office_b)
    assert transfer.status == TransferStatus.PROPOSED
    assert transfer.reply_due == today + dt.timedelta(days=5)  # the model's default: no row in force
    assert AuditEvent.objects.filter(target_type="corrections.transfer", target_id=str(transfer.pk)).exists()


def test_the_reply_days_are_the_receiving_districts_data(transfer_case, officer, office_b, district_b, today):
    TransferRule.objects.create(district=district_b, effective_from=dt.date(2026, 1, 1), reply_days=3)
    TransferRule.objects.create(district=None, effective_from=dt.date(2026, 1, 1), reply_days=9)
    assert _propose(transfer_case, officer, office_b).reply_due == today + dt.timedelta(days=3)


def test_overdue_from_the_day_after_the_due_day(
    transfer_case, officer, office_b, receiving_supervisor, clock
):
    transfer = _propose(transfer_case, officer, office_b)
    due = transfer.reply_due
    assert not is_overdue(transfer, today=due)
    assert is_overdue(transfer, today=due + dt.timedelta(days=1))
    # Answered on the due day: in time; a day later: still recorded, but late.
    clock.move_to(dt.datetime.combine(due, dt.time(23, 0), tzinfo=timezone.get_current_timezone()))
    accepted = transfer_accept(transfer=transfer, by=receiving_supervisor)
    assert not answered_late(accepted) and not is_overdue(accepted, today=due + dt.timedelta(days=1))


def test_the_sweep_raises_an_unanswered_transfer_the_day_after_its_due_day(
    transfer_case, officer, office_b, receiving_supervisor, supervisor
):
    """CCL 27 para. 2: the receiving district answers within its days; the sweep raises `transfer_overdue`
    once its due day has ended unanswered, on the case, where the sending office and the receiving bureau
    both see it. The due day itself is still in time, and an answered transfer raises nothing."""
    transfer = _propose(transfer_case, officer, office_b)
    due = transfer.reply_due
    assert sweep_run(as_of=due)["transfer_overdue"] == 0  # the end of the day before the due day
    assert sweep_run(as_of=due + dt.timedelta(days=1))["transfer_overdue"] == 1  # the due day has ended
    assert sweep_run(as_of=due + dt.timedelta(days=2))["transfer_overdue"] == 0  # once
    alert = Alert.objects.get(kind="transfer_overdue")
    assert (alert.supervisee_id, alert.due_date) == (transfer_case.pk, due)
    for reader in (officer, supervisor, receiving_supervisor):
        assert alert_list(user=reader).filter(pk=alert.pk).exists()
    assert Transfer.objects.filter(overdue_condition(due + dt.timedelta(days=1))).get() == transfer
    assert is_overdue(transfer, today=due + dt.timedelta(days=1)) and not is_overdue(transfer, today=due)
    transfer_refuse(transfer=transfer, by=receiving_supervisor, reason="不同意")
    assert not Transfer.objects.filter(overdue_condition(due + dt.timedelta(days=9))).exists()
    assert sweep_run(as_of=due + dt.timedelta(days=9))["transfer_overdue"] == 0


def test_an_answer_after_the_due_day_is_late(transfer_case, officer, office_b, receiving_supervisor, clock):
    transfer = _propose(transfer_case, officer, office_b)
    clock.move_to(
        dt.datetime.combine(
            transfer.reply_due + dt.timedelta(days=1), dt.time(9, 0), tzinfo=timezone.get_current_timezone()
        )
    )
    refused = transfer_refuse(transfer=transfer, by=receiving_supervisor, reason="住所未核实")
    assert answered_late(refused)


def test_a_proposal_needs_an_office_of_another_district_a_reason_and_the_new_residence(
    transfer_case, officer, other_office, office_b
):
    with pytest.raises(ValidationError) as refused:
        transfer_propose(
            supervisee=transfer_case, by=officer, to_office=other_office, reason=" ", new_residence=""
        )
    assert set(refused.value.message_dict) == {"to_office", "reason", "new_residence"}
    assert not Transfer.objects.exists()


def test_only_a_case_under_supervision_and_one_open_proposal(transfer_case, officer, office_b):
    _propose(transfer_case, officer, office_b)
    with pytest.raises(StateConflict):
        _propose(transfer_case, officer, office_b)
    absconded = SuperviseeFactory(justice_office=transfer_case.justice_office, status=Status.ABSCONDED)
    with pytest.raises(StateConflict):
        _propose(absconded, officer, office_b)


def test_another_office_of_the_district_does_not_propose(transfer_case, other_office_officer, office_b):
    with pytest.raises(PermissionDenied):
        _propose(transfer_case, other_office_officer, office_b)


# --- who decides -------------------------------------------------------------------------------------


def test_the_proposer_and_the_sending_district_never_decide(
    transfer_case, officer, supervisor, office_b, receiving_officer
):
    transfer = _propose(transfer_case, officer, office_b)
    for user in (officer, supervisor, receiving_officer):
        with pytest.raises(PermissionDenied):
            transfer_accept(transfer=transfer, by=user)
        with pytest.raises(PermissionDenied):
            transfer_refuse(transfer=transfer, by=user, reason="不同意")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.PROPOSED


def test_a_supervisor_who_proposed_is_refused_even_in_the_receiving_district(
    transfer_case, supervisor, office_b, receiving_supervisor
):
    """The database refuses a decider who is the proposer, whatever the services say."""
    transfer = transfer_propose(
        supervisee=transfer_case, by=supervisor, to_office=office_b, reason="迁居", new_residence="山亭区"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(decided_by=supervisor)


def test_a_refusal_needs_a_reason_and_leaves_the_case(
    transfer_case, officer, office, office_b, receiving_supervisor
):
    transfer = _propose(transfer_case, officer, office_b)
    with pytest.raises(ValidationError) as refused:
        transfer_refuse(transfer=transfer, by=receiving_supervisor, reason="  ")
    assert "reason" in refused.value.message_dict
    transfer = transfer_refuse(transfer=transfer, by=receiving_supervisor, reason="新住所不在本区")
    transfer_case.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and transfer.refusal_reason == "新住所不在本区"
    assert transfer_case.justice_office == office and transfer.transfer_date is None
    with pytest.raises(StateConflict):
        transfer_accept(transfer=transfer, by=receiving_supervisor)


def test_the_sender_withdraws_and_a_withdrawn_transfer_is_not_accepted(
    transfer_case, officer, office_b, receiving_supervisor
):
    transfer = _propose(transfer_case, officer, office_b)
    with pytest.raises(PermissionDenied):
        transfer_withdraw(transfer=transfer, by=receiving_supervisor)
    transfer = transfer_withdraw(transfer=transfer, by=officer)
    assert transfer.status == TransferStatus.WITHDRAWN
    with pytest.raises(StateConflict):
        transfer_accept(transfer=transfer, by=receiving_supervisor)


def test_the_receiving_bureau_may_name_another_office_of_its_district_only(
    transfer_case, officer, office_b, other_office, receiving_supervisor, bureau_b, district_b
):
    from tests.factories import JusticeOfficeFactory

    transfer = _propose(transfer_case, officer, office_b)
    with pytest.raises(ValidationError):
        transfer_accept(transfer=transfer, by=receiving_supervisor, to_office=other_office)
    second = JusticeOfficeFactory(name="北庄司法所", district=district_b, parent=bureau_b)
    transfer = transfer_accept(transfer=transfer, by=receiving_supervisor, to_office=second)
    transfer_case.refresh_from_db()
    assert transfer_case.justice_office == second == transfer.to_office


# --- the move, the notices, the team ------------------------------------------------------------------


def test_acceptance_moves_the_same_case_and_sends_the_transfer_notices(
    transfer_case,
    officer,
    office,
    office_b,
    agencies,
    agencies_b,
    court,
    receiving_supervisor,
    today,
    social_worker,
):
    team_member_add(
        supervisee=transfer_case, by=officer, name="社工", role="social_worker", user=social_worker
    )
    assert transfer_case in supervisees_visible_to(social_worker)
    transfer = _propose(transfer_case, officer, office_b)
    transfer = transfer_accept(transfer=transfer, by=receiving_supervisor)
    transfer_case.refresh_from_db()

    assert transfer.status == TransferStatus.ACCEPTED and transfer.transfer_date == today
    assert Transfer.objects.filter(supervisee=transfer_case).count() == 1
    # The same row: status, intake date and history stay; office, officer and residence change.
    assert transfer_case.justice_office == office_b and transfer_case.officer is None
    assert transfer_case.status == Status.UNDER_SUPERVISION and transfer_case.intake_date == dt.date(
        2026, 1, 15
    )
    assert transfer_case.residence_address == "山亭区山城街道 8 号"
    # The sending side's team leaves on the transfer date, and the social worker loses the case.
    assert not CorrectionTeamMember.objects.filter(supervisee=transfer_case, left_on__isnull=True).exists()
    assert transfer_case not in supervisees_visible_to(social_worker)

    notices = Notice.objects.filter(supervisee=transfer_case, kind="transfer")
    # API.md v1.1: the receiving district's bureau and procuratorate; the law: the deciding agency.
    assert {n.to_agency_id for n in notices} == {
        agencies_b["bureau"].pk,
        agencies_b["procuratorate"].pk,
        court.pk,
    }
    # Sent by the agency that changed the place (CCL 27 para. 2), the sending office.
    assert {n.from_agency_id for n in notices} == {office.pk}
    assert AuditEvent.objects.filter(
        target_type="corrections.supervisee", target_id=str(transfer_case.pk), action="update"
    ).exists()


# --- who sees the case, before and after -------------------------------------------------------------


def test_cross_district_visibility_before_during_and_after(
    api_as,
    transfer_case,
    officer,
    other_office_officer,
    supervisor,
    procurator,
    office_b,
    agencies_b,
    receiving_supervisor,
    receiving_officer,
):
    url = f"/api/v1/supervisees/{transfer_case.pk}/"
    checkin = {"supervisee": transfer_case.pk, "kind": "phone", "occurred_at": timezone.now().isoformat()}

    def status(user, method="get", path=url, body=None):
        return getattr(api_as(user), method)(path, body, format="json").status_code

    # Before: the other district sees nothing.
    assert status(receiving_supervisor) == 404 and status(receiving_officer) == 404
    transfer = _propose(transfer_case, officer, office_b)
    # While proposed: the receiving bureau reads the case to decide, read-only; its office does not.
    assert status(receiving_supervisor) == 200
    assert not can_edit_case(receiving_supervisor, transfer_case)
    assert status(receiving_supervisor, "patch", body={"phone": "13800000000"}) == 403
    assert status(receiving_officer) == 404
    assert status(officer, "post", "/api/v1/checkins/", checkin) == 201
    transfer_accept(transfer=transfer, by=receiving_supervisor)

    # After: the receiving office works the case, with its whole history.
    assert status(receiving_officer) == 200
    assert status(receiving_officer, "post", "/api/v1/checkins/", checkin) == 201
    history = api_as(receiving_officer).get(f"{url}timeline/").json()
    assert {"transfer", "checkin"} <= {event["type"] for event in history["results"]}
    # The sender keeps a read-only view.
    assert status(officer) == 200
    assert status(officer, "post", "/api/v1/checkins/", checkin) == 403
    assert status(supervisor) == 200
    assert status(supervisor, "patch", body={"phone": "13800000000"}) == 403
    assert status(procurator) == 200
    # The rest of the sending district still sees nothing of it.
    assert status(other_office_officer) == 404


def test_each_district_s_audit_trail_keeps_its_part_of_the_case(
    api_as, transfer_case, officer, supervisor, office_b, receiving_supervisor, receiving_officer, clock
):
    """The sender keeps the case's history, its audit events included: those about the case written
    before the acceptance by anyone (the receiving bureau reading it to decide), not the receiver's
    after; the receiving district reads every event about its case."""
    url = f"/api/v1/supervisees/{transfer_case.pk}/"

    def events(reader):
        return set(
            audit_event_list(user=reader, filters={"supervisee": transfer_case.pk}).values_list(
                "actor_username", flat=True
            )
        )

    transfer = _propose(transfer_case, officer, office_b)
    clock.shift(dt.timedelta(minutes=5))
    assert api_as(receiving_supervisor).get(url).status_code == 200  # reads it to decide
    clock.shift(dt.timedelta(minutes=5))
    transfer_accept(transfer=transfer, by=receiving_supervisor)
    clock.shift(dt.timedelta(minutes=5))
    assert api_as(receiving_officer).get(url).status_code == 200  # works it
    assert events(supervisor) == {officer.username, receiving_supervisor.username}
    assert events(receiving_supervisor) == {
        officer.username,
        receiving_supervisor.username,
        receiving_officer.username,
    }


def test_a_refused_transfer_leaves_the_receiver_without_the_case(
    transfer_case, officer, office_b, receiving_supervisor
):
    transfer = _propose(transfer_case, officer, office_b)
    transfer_refuse(transfer=transfer, by=receiving_supervisor, reason="不同意")
    assert transfer_case not in supervisees_visible_to(receiving_supervisor)


# --- the reporting duty continues without a gap ------------------------------------------------------


def test_the_next_report_due_does_not_reset_or_jump(
    transfer_case, officer, office_b, receiving_supervisor, today
):
    CheckInFactory(
        supervisee=transfer_case, kind="in_person", on=today - dt.timedelta(days=3), recorded_by=officer
    )
    before = next_report_due(transfer_case, on=today)
    assert before is not None and before > today
    transfer_accept(transfer=_propose(transfer_case, officer, office_b), by=receiving_supervisor)
    transfer_case.refresh_from_db()
    after = next_report_due(transfer_case, on=today)
    # Counted from the last report made in the sending district, not from the transfer date.
    assert after == before
    assert after != today + (before - (today - dt.timedelta(days=3)))


# --- the statistics ---------------------------------------------------------------------------------


def _figures(user, month, offices):
    from corrections.models import Supervisee

    return monthly_statistics(
        supervisees=supervisees_visible_to(user) if user else Supervisee.objects.all(),
        month=month,
        offices=offices,
    )


def _balanced(figures):
    return figures["closing"] == (
        figures["opening"]
        + figures["intake"]
        + figures.get("transferred_in", 0)
        - sum(figures["exits"].values())
    )


@pytest.mark.clock("2026-10-10T10:00:00+08:00")
def test_statistics_count_out_and_in_on_the_transfer_date(
    transfer_case, officer, office, other_office, office_b, supervisor, receiving_supervisor, clock
):
    # Another case of the sending district, so the zeros are not all the test compares.
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 10, 3))
    sending, receiving = [office.pk, other_office.pk], [office_b.pk]
    september_before = _figures(supervisor, dt.date(2026, 9, 1), sending)
    assert september_before["closing"] == 1

    transfer = transfer_accept(transfer=_propose(transfer_case, officer, office_b), by=receiving_supervisor)
    assert transfer.transfer_date == dt.date(2026, 10, 10)
    clock.move_to("2026-11-25T10:00:00+08:00")  # later: the past months are asked again

    sent = _figures(supervisor, dt.date(2026, 10, 1), sending)
    assert (sent["opening"], sent["intake"], sent["exits"]["transferred_out"], sent["closing"]) == (
        1,
        1,
        1,
        1,
    )
    assert sent["transferred_in"] == 0 and _balanced(sent)
    received = _figures(receiving_supervisor, dt.date(2026, 10, 1), receiving)
    assert (received["opening"], received["transferred_in"], received["closing"]) == (0, 1, 1)
    assert sum(received["exits"].values()) == 0 and _balanced(received)
    assert received["by_category"]["probation"] == 1  # the breakdowns are of the receiver's closing
    # The past month of each reads as before the transfer: the sender still counts the case then.
    assert _figures(supervisor, dt.date(2026, 9, 1), sending) == september_before
    assert _figures(receiving_supervisor, dt.date(2026, 9, 1), receiving)["closing"] == 0
    # The next month: the case is the receiver's only.
    november = _figures(receiving_supervisor, dt.date(2026, 11, 1), receiving)
    assert (november["opening"], november["transferred_in"], november["closing"]) == (1, 0, 1)
    assert _figures(supervisor, dt.date(2026, 11, 1), sending)["closing"] == 1  # the other case


@pytest.mark.clock("2026-10-10T10:00:00+08:00")
def test_the_monthly_api_of_each_district_and_of_the_sending_office(
    api_as, transfer_case, officer, office, office_b, supervisor, receiving_supervisor, clock
):
    transfer_accept(transfer=_propose(transfer_case, officer, office_b), by=receiving_supervisor)
    clock.move_to("2026-11-25T10:00:00+08:00")
    url = "/api/v1/reports/monthly/?month=2026-10"
    sent = api_as(supervisor).get(url).json()
    assert sent["exits"]["transferred_out"] == 1 and sent["closing"] == 0 and sent["opening"] == 1
    received = api_as(receiving_supervisor).get(url).json()
    assert received["transferred_in"] == 1 and received["closing"] == 1 and received["opening"] == 0
    office_figures = api_as(officer).get(url).json()
    assert office_figures["opening"] == 1 and office_figures["exits"]["transferred_out"] == 1
    assert api_as(officer).get("/api/v1/reports/monthly/?month=2026-09").json()["closing"] == 1


@pytest.mark.clock("2026-10-10T10:00:00+08:00")
def test_the_reports_trend_of_each_district_follows_the_transfer(
    transfer_case, officer, office, office_b, supervisor, receiving_supervisor, clock
):
    """The /reports/ trend counts its months together, except for a unit a transfer touched, which it
    counts month by month as `monthly_statistics` does: each row equals that month's figures."""
    from reports.selectors import monthly_trend_list

    transfer_accept(transfer=_propose(transfer_case, officer, office_b), by=receiving_supervisor)
    clock.move_to("2026-11-25T10:00:00+08:00")
    for user in (supervisor, receiving_supervisor):
        rows = monthly_trend_list(user=user, month=dt.date(2026, 11, 1))
        offices = list(
            Agency.objects.filter(kind="justice_office", district_id=user.agency.district_id).values_list(
                "pk", flat=True
            )
        )
        for row in rows:
            figures = _figures(user, row["month"], offices)
            assert (row["opening"], row["intake"], row["exits"], row["closing"]) == (
                figures["opening"],
                figures["intake"],
                sum(figures["exits"].values()),
                figures["closing"],
            )
    october = {
        user.username: next(
            r for r in monthly_trend_list(user=user, month=dt.date(2026, 11, 1)) if r["month"].month == 10
        )
        for user in (supervisor, receiving_supervisor)
    }
    assert october[supervisor.username]["exits"] == 1 and october[supervisor.username]["closing"] == 0
    assert october[receiving_supervisor.username]["closing"] == 1


def test_the_old_exit_transfer_still_counts_as_transferred_out(supervisor, office, other_office):
    """A transfer to a place not on this system closes the case here (workspace.lifecycle)."""
    SuperviseeFactory(
        justice_office=office,
        status=Status.TRANSFERRED_OUT,
        exit_date=dt.date(2026, 10, 5),
        exit_reason="transferred_out",
    )
    figures = _figures(supervisor, dt.date(2026, 10, 1), [office.pk, other_office.pk])
    assert figures["exits"]["transferred_out"] == 1 and figures["opening"] == 1 and _balanced(figures)
