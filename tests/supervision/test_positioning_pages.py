"""Electronic positioning on the pages: the case page's panel (propose, extend, end), the approvals page
(a supervisor other than the proposer decides), the register of orders in force, the violation form, and
who sees none of it."""

import datetime as dt

import pytest

from accounts.constants import Role
from accounts.models import AuditEvent
from corrections.constants import ProhibitionKind
from corrections.models import Prohibition
from documents.models import Document
from supervision.constants import PositioningStatus
from supervision.models import Measure, PositioningOrder, ProhibitionViolation
from supervision.services.positioning import positioning_order_approve, positioning_order_propose
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, officer, court, agencies):
    return SuperviseeFactory(
        justice_office=office, officer=officer, name="李四", sentence__deciding_agency=court
    )


@pytest.fixture
def second_supervisor(bureau):
    return UserFactory(username="t_supervisor2", role=Role.JUSTICE_SUPERVISOR, agency=bureau)


def proposal(**overrides):
    return {
        "positioning-ground": "left_without_approval",
        "positioning-violation": "",
        "positioning-start_date": "2026-11-25",
        "positioning-end_date": "2027-02-24",
        "positioning-reason": "10月3日未经批准前往临沂，经评估有必要加强监管",
        **overrides,
    }


def test_four_months_is_refused_by_its_field_naming_ccl_29_and_three_months_is_proposed(
    client, officer, case
):
    client.force_login(officer)
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert 'id="positioning"' in page and "Propose electronic positioning" in page
    refused = client.post(
        f"/supervisees/{case.pk}/positioning/", proposal(**{"positioning-end_date": "2027-03-24"})
    )
    assert refused.status_code == 400
    (panel,) = [
        p for p in refused.context["bottom_panels"] if p["template"] == "supervision/_positioning.html"
    ]
    errors = panel["form"].errors["end_date"]
    assert "Community Correction Law art. 29 para. 2" in errors[0] and "2027-02-24" in errors[0]
    assert not PositioningOrder.objects.exists()
    response = client.post(f"/supervisees/{case.pk}/positioning/", proposal())
    order = PositioningOrder.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#positioning-order-{order.pk}")
    assert (order.status, order.proposed_by, order.end_date) == ("proposed", officer, dt.date(2027, 2, 24))
    page = client.get(response["Location"]).content.decode()
    assert "a bureau supervisor decides it on the approvals page" in page


def test_the_proposer_sees_no_buttons_and_another_supervisor_approves_writing_the_decision(
    client, supervisor, second_supervisor, case
):
    order = positioning_order_propose(
        supervisee=case,
        by=supervisor,
        ground="left_without_approval",
        start_date=dt.date(2026, 11, 25),
        end_date=dt.date(2027, 2, 24),
        reason="未经批准外出",
    )
    client.force_login(supervisor)
    page = client.get("/approvals/").content.decode()
    assert f'id="positioning-{order.pk}"' in page and "Proposed by you: another supervisor decides" in page
    assert f"/approvals/positioning/{order.pk}/approve/" not in page
    refused = client.post(f"/approvals/positioning/{order.pk}/approve/")
    assert refused.status_code == 403
    assert "the person who asked for a decision never makes it" in refused.content.decode()

    client.force_login(second_supervisor)
    page = client.get("/approvals/").content.decode()
    assert f'formaction="/approvals/positioning/{order.pk}/approve/"' in page
    response = client.post(
        f"/approvals/positioning/{order.pk}/approve/", {f"positioning-{order.pk}-note": "同意"}
    )
    assert response.status_code == 302
    document = Document.objects.get(kind="positioning_decision")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any(document.number in m for m in shown)
    case_page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert f"/api/v1/documents/{document.pk}/pdf/" in case_page  # listed on the case page, and in the panel
    assert case_page.count(document.number) >= 2
    order.refresh_from_db()
    assert (order.status, order.decided_by) == (PositioningStatus.APPROVED, second_supervisor)


def test_a_rejection_needs_a_note_on_the_approvals_page(client, officer, supervisor, case):
    order = positioning_order_propose(
        supervisee=case,
        by=officer,
        ground="left_without_approval",
        start_date=dt.date(2026, 11, 25),
        end_date=dt.date(2026, 12, 24),
        reason="未经批准外出",
    )
    client.force_login(supervisor)
    refused = client.post(f"/approvals/positioning/{order.pk}/reject/", {f"positioning-{order.pk}-note": ""})
    assert refused.status_code == 400
    assert "Say why electronic positioning is not approved." in refused.content.decode()
    assert (
        client.post(
            f"/approvals/positioning/{order.pk}/reject/", {f"positioning-{order.pk}-note": "电话核查即可"}
        ).status_code
        == 302
    )
    assert PositioningOrder.objects.get().status == "rejected"


def test_extend_and_end_from_the_case_page(client, officer, supervisor, case):
    order = positioning_order_approve(
        order=positioning_order_propose(
            supervisee=case,
            by=officer,
            ground="left_without_approval",
            start_date=dt.date(2026, 11, 25),
            end_date=dt.date(2026, 12, 31),
            reason="未经批准外出",
        ),
        by=supervisor,
    )
    client.force_login(officer)
    too_long = client.post(
        f"/supervisees/{case.pk}/positioning/{order.pk}/extend/",
        {f"extend-{order.pk}-end_date": "2027-04-01", f"extend-{order.pk}-reason": "仍需"},
    )
    assert too_long.status_code == 400
    assert "Each extension lasts at most 3 months" in too_long.content.decode()
    extended = client.post(
        f"/supervisees/{case.pk}/positioning/{order.pk}/extend/",
        {f"extend-{order.pk}-end_date": "2027-03-31", f"extend-{order.pk}-reason": "仍需"},
    )
    assert extended.status_code == 302
    extension = PositioningOrder.objects.get(extends=order)
    assert (extension.start_date, extension.status) == (dt.date(2027, 1, 1), "proposed")
    no_reason = client.post(
        f"/supervisees/{case.pk}/positioning/{order.pk}/end/", {f"end-{order.pk}-reason": ""}
    )
    assert no_reason.status_code == 400
    ended = client.post(
        f"/supervisees/{case.pk}/positioning/{order.pk}/end/", {f"end-{order.pk}-reason": "无需继续使用"}
    )
    assert ended.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.ended_on) == ("ended", dt.date(2026, 11, 25))


def test_a_violation_recorded_on_the_case_page_proposes_its_measure_and_offers_ground_one(
    client, officer, case
):
    order = Prohibition.objects.create(
        sentence=case.sentence, content="禁止进入夜总会、酒吧", kind=ProhibitionKind.PLACES
    )
    client.force_login(officer)
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert (
        "Record a violation of a prohibition order" in page and "Entering specified areas or places" in page
    )
    response = client.post(
        f"/supervisees/{case.pk}/violations/",
        {
            "violation-prohibition": str(order.pk),
            "violation-occurred_on": "2026-11-23",
            "violation-description": "进入酒吧饮酒",
            "violation-measure_kind": "warning",
            "violation-evidence": "派出所情况说明",
        },
    )
    assert response.status_code == 302
    violation = ProhibitionViolation.objects.get()
    assert violation.measure == Measure.objects.get(kind="warning", status="proposed")
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert f'<option value="{violation.pk}">2026-11-23 · 禁止进入夜总会、酒吧</option>' in page
    assert "Prohibition order violated on 2026-11-23" in page  # the timeline
    proposed = client.post(
        f"/supervisees/{case.pk}/positioning/",
        proposal(
            **{"positioning-ground": "prohibition_violated", "positioning-violation": str(violation.pk)}
        ),
    )
    assert proposed.status_code == 302
    assert PositioningOrder.objects.get().violation == violation


def test_the_register_lists_orders_in_force_for_supervisors_and_the_procuratorate(
    client, officer, supervisor, procurator, judge, police, office, case
):
    minor = SuperviseeFactory(justice_office=office, name="小明")
    type(minor).objects.filter(pk=minor.pk).update(is_minor=True)
    for supervisee in (case, minor):
        positioning_order_approve(
            order=positioning_order_propose(
                supervisee=supervisee,
                by=officer,
                ground="left_without_approval",
                start_date=dt.date(2026, 11, 25),
                end_date=dt.date(2026, 11, 30),
                reason="未经批准外出",
            ),
            by=supervisor,
        )
    for reader in (supervisor, procurator):
        client.force_login(reader)
        page = client.get("/positioning-orders/").content.decode()
        assert "李四" in page and "小明" not in page and "Minor (name withheld)" in page
        assert minor.case_number in page and '<span class="days due">5</span>' in page
        assert AuditEvent.objects.filter(
            actor=reader, action="list", target_type="supervision.positioningorder"
        ).exists()
    for reader in (officer, judge, police):
        client.force_login(reader)
        assert client.get("/positioning-orders/").status_code == 403


def test_roles_that_do_not_read_positioning_see_none_of_it(client, officer, supervisor, judge, case):
    order = positioning_order_approve(
        order=positioning_order_propose(
            supervisee=case,
            by=officer,
            ground="left_without_approval",
            start_date=dt.date(2026, 11, 25),
            end_date=dt.date(2026, 12, 24),
            reason="未经批准外出",
        ),
        by=supervisor,
    )
    client.force_login(judge)  # the deciding court sees the case
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert 'id="positioning"' not in page and "Electronic positioning" not in page
    timeline = client.get(f"/api/v1/supervisees/{case.pk}/timeline/").json()["results"]
    assert not [
        e
        for e in timeline
        if e["type"] == "positioning" or e["details"].get("kind") == "positioning_decision"
    ]
    client.force_login(officer)
    timeline = client.get(f"/api/v1/supervisees/{case.pk}/timeline/").json()["results"]
    assert [e["id"] for e in timeline if e["type"] == "positioning"] == [order.pk]


def test_the_pages_in_chinese(client, officer, supervisor, case):
    positioning_order_propose(
        supervisee=case,
        by=officer,
        ground="left_without_approval",
        start_date=dt.date(2026, 11, 25),
        end_date=dt.date(2026, 12, 24),
        reason="未经批准外出",
    )
    client.force_login(officer)
    page = client.get(f"/supervisees/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "电子定位" in page and "Electronic positioning" not in page
    client.force_login(supervisor)
    page = client.get("/approvals/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "无正当理由，未经批准离开所居住的市、县" in page
    assert "Electronic positioning" not in page
    assert client.get("/positioning-orders/", HTTP_ACCEPT_LANGUAGE="zh-hans").status_code == 200
