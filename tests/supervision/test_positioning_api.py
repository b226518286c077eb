"""Through the API (API.md v1.1 "Special supervision"): a positioning order of 4 months is refused naming
CCL 29, one of 3 months waits for a supervisor's approval, its proposer cannot approve it, and approved
it writes the decision document. And the prohibition orders, read and written as objects while
`prohibitions` keeps its meaning."""

import datetime as dt

import pytest

from accounts.constants import Role
from accounts.models import AuditEvent
from corrections.constants import Category, ProhibitionKind
from corrections.models import Prohibition
from supervision.models import ProhibitionViolation
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/positioning-orders/"


@pytest.fixture
def case(office, officer, agencies):
    return SuperviseeFactory(justice_office=office, officer=officer, name="李四")


@pytest.fixture
def second_supervisor(bureau):
    return UserFactory(username="t_supervisor2", role=Role.JUSTICE_SUPERVISOR, agency=bureau)


def body(case, **overrides):
    return {
        "supervisee": case.pk,
        "ground": "left_without_approval",
        "start_date": "2026-11-25",
        "end_date": "2027-02-24",
        "reason": "未经批准前往临沂三日，经评估有必要加强监管",
        **overrides,
    }


def test_four_months_is_refused_naming_ccl_29_in_both_languages(api, case, officer):
    api.force_authenticate(user=officer)
    response = api.post(URL, body(case, end_date="2027-03-24"), format="json")
    assert response.status_code == 400
    assert "Community Correction Law art. 29 para. 2" in response.json()["end_date"][0]
    response = api.post(URL, body(case, end_date="2027-03-24"), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["end_date"][0] == (
        "使用电子定位装置的期限不得超过 3 个月（《社区矫正法》第二十九条第二款）："
        "自 2026-11-25 起，最迟至 2027-02-24 止。"
    )


def test_three_months_waits_for_a_supervisor_whom_the_proposer_cannot_replace(
    api, case, supervisor, second_supervisor, officer
):
    api.force_authenticate(user=supervisor)
    response = api.post(URL, body(case), format="json")
    assert response.status_code == 201, response.json()
    order = response.json()
    assert {key: order[key] for key in ("status", "extends", "proposed_by", "decided_by", "ground")} == {
        "status": "proposed",
        "extends": None,
        "proposed_by": "t_supervisor",
        "decided_by": None,
        "ground": "left_without_approval",
    }
    assert (order["start_date"], order["end_date"]) == ("2026-11-25", "2027-02-24")

    refused = api.post(f"{URL}{order['id']}/approve/", {}, format="json")
    assert refused.status_code == 403
    assert "the person who asked for a decision never makes it" in refused.json()["detail"]
    api.force_authenticate(user=officer)
    assert api.post(f"{URL}{order['id']}/approve/", {}, format="json").status_code == 403

    api.force_authenticate(user=second_supervisor)
    approved = api.post(f"{URL}{order['id']}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "t_supervisor2")
    documents = api.get(f"/api/v1/supervisees/{case.pk}/documents/").json()["results"]
    assert [d["kind"] for d in documents] == ["positioning_decision"]
    pdf = api.get(documents[0]["url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    read = api.get(f"{URL}{order['id']}/")
    assert read.status_code == 200 and read.json()["location_checks"] == 0
    assert AuditEvent.objects.filter(
        actor=second_supervisor,
        action="view",
        target_type="supervision.positioningorder",
        target_id=str(order["id"]),
    ).exists()
    # In force today: the register's filter finds it.
    in_force = api.get(f"{URL}?in_force=true").json()
    assert [o["id"] for o in in_force["results"]] == [order["id"]]
    assert AuditEvent.objects.filter(
        actor=second_supervisor, action="list", target_type="supervision.positioningorder"
    ).exists()


def test_an_extension_through_the_api(api, case, officer, supervisor):
    api.force_authenticate(user=officer)
    first = api.post(URL, body(case), format="json").json()
    api.force_authenticate(user=supervisor)
    api.post(f"{URL}{first['id']}/approve/", {}, format="json")
    api.force_authenticate(user=officer)
    too_long = api.post(
        URL,
        {"supervisee": case.pk, "extends": first["id"], "end_date": "2027-05-25", "reason": "仍需"},
        format="json",
    )
    assert too_long.status_code == 400 and "art. 29 para. 2" in too_long.json()["end_date"][0]
    extension = api.post(
        URL,
        {"supervisee": case.pk, "extends": first["id"], "end_date": "2027-05-24", "reason": "仍需"},
        format="json",
    )
    assert extension.status_code == 201
    assert (extension.json()["extends"], extension.json()["start_date"]) == (first["id"], "2027-02-25")
    ended = api.post(f"{URL}{first['id']}/end/", {"reason": "经评估无需继续使用"}, format="json")
    assert (ended.status_code, ended.json()["status"], ended.json()["ended_on"]) == (
        200,
        "ended",
        "2026-11-25",
    )


def test_a_ground_one_order_through_the_api_names_a_violation_recorded_against_an_order(api, case, officer):
    order = Prohibition.objects.create(
        sentence=case.sentence, content="禁止接触被害人", kind=ProhibitionKind.PERSONS
    )
    api.force_authenticate(user=officer)
    violation = api.post(
        "/api/v1/prohibition-violations/",
        {
            "prohibition": order.pk,
            "occurred_on": "2026-11-20",
            "description": "到被害人家中纠缠",
            "measure_kind": "warning",
        },
        format="json",
    )
    assert violation.status_code == 201, violation.json()
    assert violation.json()["measure"] is not None
    refused = api.post(URL, body(case, ground="prohibition_violated"), format="json")
    assert refused.status_code == 400 and "violation" in refused.json()
    proposed = api.post(
        URL, body(case, ground="prohibition_violated", violation=violation.json()["id"]), format="json"
    )
    assert proposed.status_code == 201 and proposed.json()["violation"] == violation.json()["id"]


# --- prohibition orders as objects (CL 38 para. 2, 72 para. 2) ---------------------------------------------


def test_prohibition_orders_read_and_written_as_objects(api, case, officer):
    Prohibition.objects.create(sentence=case.sentence, content="禁止进入酒吧")
    api.force_authenticate(user=officer)
    sentence = api.get(f"/api/v1/supervisees/{case.pk}/").json()["sentence"]
    (legacy,) = sentence["prohibition_orders"]
    assert sentence["prohibitions"] == ["禁止进入酒吧"]
    assert (legacy["kind"], legacy["start_date"], legacy["end_date"]) == ("", None, None)
    # Probation of 24 months from 2026-01-10: the period runs until 2028-01-09.
    response = api.patch(
        f"/api/v1/supervisees/{case.pk}/",
        {
            "sentence": {
                "prohibition_orders": [
                    {"id": legacy["id"], "content": "禁止进入酒吧", "kind": "places"},
                    {
                        "content": "禁止接触被害人",
                        "kind": "persons",
                        "start_date": "2026-01-10",
                        "end_date": "2027-01-09",
                    },
                ]
            }
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    orders = response.json()["sentence"]["prohibition_orders"]
    assert [(o["id"] == legacy["id"], o["kind"], o["end_date"]) for o in orders] == [
        (True, "places", None),
        (False, "persons", "2027-01-09"),
    ]
    assert response.json()["sentence"]["prohibitions"] == ["禁止进入酒吧", "禁止接触被害人"]
    audit = AuditEvent.objects.filter(action="update", supervisee_id=case.pk).latest("id")
    assert audit.changes["sentence.prohibition_orders"]["after"][1]["kind"] == "persons"
    # Written as text again, the orders still listed keep their kind and dates.
    api.patch(
        f"/api/v1/supervisees/{case.pk}/", {"sentence": {"prohibitions": ["禁止接触被害人"]}}, format="json"
    )
    (kept,) = Prohibition.objects.filter(sentence=case.sentence)
    assert (kept.content, kept.kind, kept.end_date) == ("禁止接触被害人", "persons", dt.date(2027, 1, 9))


@pytest.mark.parametrize(
    "order, message",
    [
        ({"content": "禁止进入酒吧", "kind": ""}, "activities, areas or places, or persons"),
        ({"content": " ", "kind": "places"}, "say what the order forbids"),
        (
            {"content": "禁止进入酒吧", "kind": "places", "start_date": "2026-01-09"},
            "outside the correction period",
        ),
        (
            {"content": "禁止进入酒吧", "kind": "places", "end_date": "2028-01-10"},
            "outside the correction period",
        ),
        (
            {
                "content": "禁止进入酒吧",
                "kind": "places",
                "start_date": "2026-06-01",
                "end_date": "2026-05-31",
            },
            "cannot end before it starts",
        ),
        ({"id": 999999, "content": "禁止进入酒吧", "kind": "places"}, "no prohibition order 999999"),
    ],
)
def test_a_wrong_prohibition_order_is_refused_naming_it(api, case, officer, order, message):
    api.force_authenticate(user=officer)
    response = api.patch(
        f"/api/v1/supervisees/{case.pk}/", {"sentence": {"prohibition_orders": [order]}}, format="json"
    )
    assert response.status_code == 400
    (text,) = response.json()["sentence"]["prohibition_orders"]
    assert text.startswith("Order 1: ") and message in text
    assert not Prohibition.objects.exists()


def test_prohibition_orders_only_with_control_or_probation(api, office, officer, agencies):
    parole = SuperviseeFactory(justice_office=office, officer=officer, sentence__category=Category.PAROLE)
    api.force_authenticate(user=officer)
    for sentence in (
        {"prohibitions": ["禁止进入酒吧"]},
        {"prohibition_orders": [{"content": "禁止进入酒吧", "kind": "places"}]},
    ):
        response = api.patch(f"/api/v1/supervisees/{parole.pk}/", {"sentence": sentence}, format="json")
        assert response.status_code == 400
        assert "Criminal Law art. 38 para. 2, art. 72 para. 2" in str(response.json())
    both = api.patch(
        f"/api/v1/supervisees/{parole.pk}/",
        {"sentence": {"prohibitions": [], "prohibition_orders": []}},
        format="json",
    )
    assert both.status_code == 400 and "not both" in str(both.json())


def test_an_order_with_a_recorded_violation_stays(api, case, officer):
    order = Prohibition.objects.create(
        sentence=case.sentence, content="禁止进入酒吧", kind=ProhibitionKind.PLACES
    )
    ProhibitionViolation.objects.create(
        supervisee=case,
        prohibition=order,
        occurred_on=dt.date(2026, 11, 20),
        description="进入酒吧",
        recorded_by=officer,
    )
    api.force_authenticate(user=officer)
    for sentence in ({"prohibitions": []}, {"prohibition_orders": []}):
        response = api.patch(f"/api/v1/supervisees/{case.pk}/", {"sentence": sentence}, format="json")
        assert response.status_code == 400
        assert "禁止进入酒吧" in response.json()["sentence"]["prohibition_orders"][0]
    assert Prohibition.objects.filter(pk=order.pk).exists()
