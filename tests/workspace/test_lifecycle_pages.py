"""The case's lifecycle on the case page (workspace/lifecycle.py): every move the reader may make from the
current status, each its own small form posted to /supervisees/{id}/transition/ with `to`, `date`,
`reason` (+ `ground`, + the intake's checklist), calling the one service. A refusal is shown by its field
(400) or above the form (409); every exit asks for confirmation first; the roles that may not change
the case get no form and 403. Also the commission's clocks and arrival dates (CCL 20), the release
link of the header and of the alert ledger."""

import datetime as dt
import re

import pytest
from django.utils import translation

from config.office_time import office_today
from coordination.services import referral_create, referral_send
from corrections.constants import IntakeItem, Status
from corrections.models import IntakeRecord, StatusChange, Supervisee
from corrections.services import supervisee_transition
from corrections.teams import team_member_add
from supervision.models import Alert
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
ENDED = dt.date(2026, 10, 31)  # the last day of the `ended` case's period


def days(n: int) -> str:
    return (office_today() + dt.timedelta(days=n)).isoformat()


def page(client, case) -> str:
    response = client.get(f"/supervisees/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def part(html: str, element_id: str) -> str:
    """The element with this id, up to its closing tag (the forms' <details> and <section>)."""
    start = html.index(f'id="{element_id}"')
    tag = html.rfind("<", 0, start)
    name = re.match(r"<(\w+)", html[tag:]).group(1)
    return html[tag : html.index(f"</{name}>", start)]


def moves_on(html: str) -> list[str]:
    return re.findall(r'<details class="move move-(\w+)', html)


def post(client, case, **data):
    return client.post(f"/supervisees/{case.pk}/transition/", data)


CHECKLIST = {f"checklist_{code}": "on" for code in IntakeItem.values}


@pytest.fixture
def pending(office, officer):
    """Awaiting intake, its correction team set up (CCL 25)."""
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        status=Status.PENDING_REPORT,
        sentence__effective=dt.date(2026, 11, 18),
        name="周入矫",
    )
    team_member_add(supervisee=case, by=officer, name="周母", role="family", joined_on=dt.date(2026, 11, 18))
    return case


@pytest.fixture
def case(office, officer, court):
    """Under supervision, on probation, decided by `court`: its period runs to 2028."""
    return SuperviseeFactory(justice_office=office, officer=officer, name="吴在矫")


@pytest.fixture
def ended(office, officer):
    """A probation case whose period (12 months from 2025-11-01) ended on 2026-10-31."""
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
        name="郑期满",
    )
    assert case.sentence.end_date == ENDED
    return case


# Which moves are offered.


def test_a_pending_case_offers_the_intake_with_its_checklist_and_no_return(client, officer, pending):
    client.force_login(officer)
    html = page(client, pending)
    intake = part(html, "intake")
    assert f'action="/supervisees/{pending.pk}/transition/#intake"' in intake
    for code in IntakeItem.values:
        assert f'name="checklist_{code}"' in intake
    assert 'name="to" value="under_supervision"' in intake
    assert moves_on(html) == ["absconding", "custody", "release", "revocation", "death", "transfer"]


@pytest.mark.parametrize(
    ("status", "category", "moves"),
    [
        (
            "under_supervision",
            "probation",
            ["absconding", "custody", "release", "revocation", "death", "transfer"],
        ),
        ("under_supervision", "control", ["absconding", "custody", "release", "death", "transfer"]),
        (
            "under_supervision",
            "temporary_execution",
            ["absconding", "custody", "release", "recommitment", "death", "transfer"],
        ),
        ("absconded", "parole", ["return", "custody", "release", "revocation", "death"]),
        ("in_custody", "probation", ["return", "release", "revocation", "death"]),
    ],
)
def test_only_the_moves_the_lifecycle_allows_from_the_status_and_the_category(
    client, officer, office, status, category, moves
):
    case = SuperviseeFactory(
        justice_office=office, officer=officer, status=status, sentence__category=category
    )
    client.force_login(officer)
    html = page(client, case)
    assert moves_on(html) == moves
    assert 'id="intake"' not in html


def test_a_closed_case_offers_no_move(client, officer, case):
    supervisee_transition(supervisee=case, by=officer, to=Status.DECEASED, on=dt.date(2026, 11, 1))
    client.force_login(officer)
    html = page(client, case)
    assert 'id="lifecycle"' not in html and f'action="/supervisees/{case.pk}/transition/' not in html


# Intake.


def test_the_officer_does_the_intake_with_the_checklist(client, officer, pending):
    client.force_login(officer)
    response = post(
        client, pending, to="under_supervision", date=days(-1), reason="本人到所报到", **CHECKLIST
    )
    change = StatusChange.objects.get(supervisee=pending)
    assert response.status_code == 302 and response.url.endswith(f"#status_change-{change.pk}")
    pending.refresh_from_db()
    assert (
        pending.status == Status.UNDER_SUPERVISION
        and pending.intake_date == office_today() - dt.timedelta(days=1)
    )
    assert all(IntakeRecord.objects.get(supervisee=pending).items.values())
    html = page(client, pending)
    record = part(html, "intake-record")
    assert record.count('class="done"') == len(IntakeItem.values)
    assert 'id="intake"' not in html


@translation.override("en")
def test_an_intake_with_items_left_undone_names_each_beside_its_box(client, officer, pending):
    client.force_login(officer)
    ticked = {
        k: v for k, v in CHECKLIST.items() if k not in ("checklist_announced", "checklist_exit_ban_requested")
    }
    response = post(client, pending, to="under_supervision", date=days(-1), **ticked)
    assert response.status_code == 400
    html = response.content.decode()
    for code in ("announced", "exit_ban_requested"):
        box = re.search(rf'<input [^>]*id="intake-checklist_{code}"[^>]*>', html).group(0)
        assert "checked" not in box
        errors = html[html.index(f'id="intake-checklist_{code}-errors"') :][:400]
        assert "Intake needs this done" in errors
    box = re.search(r'<input [^>]*id="intake-checklist_identity_verified"[^>]*>', html).group(0)
    assert "checked" in box  # what was ticked stays ticked
    # Each once beside its box and once in the error summary above the form, as a link to the box.
    assert html.count("Intake needs this done") == 4
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert summary.count("Intake needs this done") == 2
    assert 'href="#intake-checklist_announced"' in summary
    assert f'value="{days(-1)}"' in html
    assert (
        not IntakeRecord.objects.exists() and Supervisee.objects.get(pk=pending.pk).status == "pending_report"
    )


# Absconding, return, custody.


@translation.override("en")
def test_absconding_and_return(client, officer, case):
    client.force_login(officer)
    response = post(client, case, to="absconded", date=days(-3), reason="电话关机，住处无人")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ABSCONDED
    html = page(client, case)
    assert "return" in moves_on(html) and "absconding" not in moves_on(html)
    response = post(client, case, to="under_supervision", date=days(-1), reason="主动到所")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.UNDER_SUPERVISION and case.intake_date == dt.date(2026, 1, 15)
    assert not IntakeRecord.objects.exists()  # a return, not an intake


@translation.override("en")
def test_a_date_the_service_refuses_is_shown_by_the_field(client, officer, case):
    client.force_login(officer)
    response = post(client, case, to="absconded", date=days(2), reason="电话关机")
    assert response.status_code == 400
    html = response.content.decode()
    form = part(html, "absconding")
    assert "open" in form.split(">")[0]
    assert 'id="absconding-date-errors"' in form and "cannot be in the future" in form
    assert "电话关机" in form  # what was typed stays
    assert Supervisee.objects.get(pk=case.pk).status == Status.UNDER_SUPERVISION


@translation.override("en")
def test_custody_needs_its_ground_and_keeps_it(client, officer, case):
    client.force_login(officer)
    response = post(client, case, to="in_custody", date=days(-2))
    assert response.status_code == 400
    assert 'id="custody-ground-errors"' in part(response.content.decode(), "custody")
    response = post(
        client,
        case,
        to="in_custody",
        date=days(-2),
        ground="criminal_coercive_measure",
        reason="涉嫌盗窃被刑拘",
    )
    assert response.status_code == 302
    change = StatusChange.objects.get(supervisee=case)
    assert change.custody_ground == "criminal_coercive_measure"
    timeline = part(page(client, case), f"status_change-{change.pk}")
    assert "Criminal coercive measure" in timeline


# Exits: the confirmation step.


@translation.override("en")
def test_release_asks_for_confirmation_then_closes_the_case(client, supervisor, ended):
    client.force_login(supervisor)
    response = post(client, ended, to="terminated", date=days(-1), reason="expired")
    assert response.status_code == 200
    html = response.content.decode()
    release = part(html, "release")
    assert "This closes the case; it becomes read-only." in release
    assert "is released from community correction on" in release
    for name, value in (("to", "terminated"), ("date", days(-1)), ("reason", "expired"), ("confirm", "yes")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in release
    assert not StatusChange.objects.exists()
    response = post(client, ended, to="terminated", date=days(-1), reason="expired", confirm="yes")
    assert response.status_code == 302
    ended.refresh_from_db()
    assert (ended.status, ended.exit_reason) == (Status.TERMINATED, "expired")


@pytest.mark.parametrize(
    ("category", "to", "reason"),
    [
        ("probation", "terminated", "probation_revoked"),
        ("parole", "terminated", "parole_revoked"),
        ("temporary_execution", "recommitted", ""),
        ("probation", "deceased", "病故"),
        ("control", "transferred_out", "迁居济南市"),
        ("probation", "terminated", "pardoned"),
    ],
)
def test_every_exit_needs_the_confirmation_step(client, officer, office, category, to, reason):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=category)
    client.force_login(officer)
    response = post(client, case, to=to, date=days(-1), reason=reason)
    assert response.status_code == 200 and 'name="confirm" value="yes"' in response.content.decode()
    assert Supervisee.objects.get(pk=case.pk).status == Status.UNDER_SUPERVISION
    response = post(client, case, to=to, date=days(-1), reason=reason, confirm="yes")
    assert response.status_code == 302
    assert Supervisee.objects.get(pk=case.pk).status == to


@translation.override("en")
def test_a_refused_exit_shows_no_confirmation(client, officer, case):
    client.force_login(officer)
    response = post(client, case, to="terminated", date=days(-1), reason="expired")  # ends in 2028
    assert response.status_code == 400
    release = part(response.content.decode(), "release")
    assert 'name="confirm"' not in release
    assert 'id="release-reason-errors"' in release and "has not ended" in release


@translation.override("en")
def test_release_in_custody_is_refused_above_the_form_naming_the_cause(client, officer, ended):
    supervisee_transition(supervisee=ended, by=officer, to=Status.IN_CUSTODY, on=dt.date(2026, 11, 2))
    client.force_login(officer)
    html = page(client, ended)
    release = part(html, "release")
    assert "Release is blocked now:" in release and "in custody" in release  # before anyone tries
    response = post(client, ended, to="terminated", date=days(-1), reason="expired", confirm="yes")
    assert response.status_code == 409
    release = part(response.content.decode(), "release")
    form = release[release.index("<form") :]
    assert form.index('class="error-summary" id="error-summary" role="alert"') < form.index('name="date"')
    assert "in custody" in form[: form.index('name="date"')]
    assert Supervisee.objects.get(pk=ended.pk).status == Status.IN_CUSTODY


@translation.override("en")
def test_release_with_a_pending_proposal_is_shown_and_refused(client, officer, ended, agencies):
    referral_send(
        referral=referral_create(
            supervisee=ended,
            by=officer,
            to_agency=agencies["court"],
            kind="revocation_proposal",
            summary="两次警告后仍不改正",
        ),
        by=officer,
    )
    client.force_login(officer)
    assert "revocation proposal" in part(page(client, ended), "release")
    response = post(client, ended, to="terminated", date=days(-1), reason="pardoned")
    assert response.status_code == 409 and 'name="confirm"' not in part(response.content.decode(), "release")


@translation.override("en")
def test_the_release_form_gives_the_earliest_day_and_the_header_links_to_it_once_ended(
    client, officer, ended, case
):
    client.force_login(officer)
    html = page(client, ended)
    assert "Release as expired from 2026-11-01" in part(html, "release")
    assert re.search(r'<details class="move move-release exit" id="release" open>', html)
    assert 'href="#release"' in part(html, "release-due")
    assert "days left" not in html  # not "(-25 days left)" once the period has ended
    html = page(client, case)  # ends in 2028
    assert 'id="release-due"' not in html
    assert not re.search(r'id="release" open', html)


@translation.override("en")
def test_a_move_the_lifecycle_refuses_is_409_above_the_panel(client, officer, case):
    client.force_login(officer)
    response = post(client, case, to="pending_report", date=days(-1))
    assert response.status_code == 409
    assert "cannot become" in part(response.content.decode(), "lifecycle")
    response = post(client, case, to="recommitted", date=days(-1))  # probation: revoked instead
    assert response.status_code == 400
    assert Supervisee.objects.get(pk=case.pk).status == Status.UNDER_SUPERVISION


# Who may act.


def test_the_supervisor_has_the_forms_too(client, supervisor, pending):
    client.force_login(supervisor)
    html = page(client, pending)
    assert 'id="intake"' in html and moves_on(html)


@pytest.fixture
def readers(procurator, judge, police, social_worker, officer, case, agencies):
    """Every read-only role, each able to see the case: the court decided it, the police got a
    referral, the social worker serves on its team."""
    referral_send(
        referral=referral_create(
            supervisee=case,
            by=officer,
            to_agency=agencies["police"],
            kind="absconder_search",
            summary="请协查",
        ),
        by=officer,
    )
    team_member_add(supervisee=case, by=officer, name="社工", role="social_worker", user=social_worker)
    return [procurator, judge, police, social_worker]


@pytest.mark.parametrize(
    "data",
    [
        {"to": "absconded", "date": "2026-11-20"},
        {"to": "terminated", "date": "2026-11-20", "reason": "pardoned", "confirm": "yes"},
        {"to": "in_custody", "date": "2026-11-20", "ground": "detention"},
        {"to": "nonsense"},
    ],
)
def test_read_only_roles_get_no_form_and_403(client, case, readers, data):
    for user in readers:
        client.force_login(user)
        html = page(client, case)
        assert f'action="/supervisees/{case.pk}/transition/' not in html, user.role
        assert f'action="/supervisees/{case.pk}/commission/' not in html, user.role
        assert 'id="clock-notice"' in html  # the clocks are for every reader
        assert post(client, case, **data).status_code == 403, user.role
        assert (
            client.post(
                f"/supervisees/{case.pk}/commission/", {"sentence_notice_received_date": "2026-01-12"}
            ).status_code
            == 403
        )
    assert not StatusChange.objects.exists()


def test_another_office_gets_404(client, other_office_officer, case):
    client.force_login(other_office_officer)
    assert post(client, case, to="absconded", date="2026-11-20").status_code == 404


# The commission's clocks and arrival dates (CCL 20).


@translation.override("en")
def test_the_clocks_and_the_arrival_form(client, officer, office):
    case = SuperviseeFactory(
        justice_office=office, officer=officer, sentence__effective=dt.date(2026, 11, 18)
    )
    client.force_login(officer)
    html = page(client, case)
    assert "due 2026-11-23" in part(html, "clock-notice") and "overdue by 2 days" in part(
        html, "clock-notice"
    )
    assert "due 2026-11-28" in part(html, "clock-documents") and "due in 3 days" in part(
        html, "clock-documents"
    )
    response = client.post(
        f"/supervisees/{case.pk}/commission/",
        {"sentence_notice_received_date": "2026-11-24", "sentence_documents_received_date": ""},
    )
    assert response.status_code == 302 and response.url.endswith("#commission")
    html = page(client, case)
    assert "received on 2026-11-24, 1 day late" in part(html, "clock-notice")
    response = client.post(
        f"/supervisees/{case.pk}/commission/",
        {"sentence_notice_received_date": "2026-11-24", "sentence_documents_received_date": "2026-11-17"},
    )
    assert response.status_code == 400
    form = part(response.content.decode(), "commission")
    assert 'id="commission-sentence_documents_received_date-errors"' in form
    assert "before the decision took effect" in form
    case.sentence.refresh_from_db()
    assert case.sentence.documents_received_date is None


# The alert ledger.


def test_a_term_ending_alert_links_to_the_release_form(client, officer, ended):
    Alert.objects.create(supervisee=ended, kind="term_ending", due_date=ENDED)
    Alert.objects.create(supervisee=ended, kind="missed_report", due_date=ENDED)
    client.force_login(officer)
    html = client.get("/alerts/").content.decode()
    assert html.count(f'href="/supervisees/{ended.pk}/#release"') == 1


# The audit trail in words (workspace/audit.py).


def test_the_audit_page_says_the_ground_and_the_checklist_in_words(client, officer, procurator, pending):
    client.force_login(officer)
    post(client, pending, to="under_supervision", date=days(-3), **CHECKLIST)
    post(client, pending, to="in_custody", date=days(-1), ground="drug_rehabilitation")
    client.force_login(procurator)
    html = client.get("/audit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="field-name">限制人身自由的事由</span>' in html and "强制隔离戒毒" in html
    assert "入矫接收记录" in html and '<span class="field-name">核对法律文书</span>' in html
    assert "custody_ground" not in html and "drug_rehabilitation" not in html
