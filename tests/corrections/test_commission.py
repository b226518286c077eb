"""The commission clocks (CCL 20): the deciding agency notifies the institution within 5 days of the
decision taking effect and delivers the legal documents within 10. The days they arrived are two
optional fields of the sentence, set through the case's services and the API's sentence object,
refused when they cannot be right; the clocks and the dashboard's SQL agree on what is overdue."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import AuditEvent
from config.api import StateConflict
from corrections.commission import commission_clocks, commission_overdue_condition
from corrections.constants import Status
from corrections.models import Supervisee
from corrections.services import supervisee_register, supervisee_transition, supervisee_update
from tests.corrections.test_registration import person, probation
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
EFFECTIVE = dt.date(2026, 11, 10)


def clocks(*, today, notice=None, documents=None):
    return commission_clocks(
        effective_date=EFFECTIVE,
        notice_received_date=notice,
        documents_received_date=documents,
        today=today,
    )


def day(n: int) -> dt.date:
    """The n-th day after the decision took effect."""
    return EFFECTIVE + dt.timedelta(days=n)


# The clocks, in Python.


def test_the_notice_is_due_on_the_fifth_day_and_overdue_on_the_sixth():
    notice, _documents = clocks(today=day(5))
    assert (notice.due, notice.state, notice.days_left) == (day(5), "waiting", 0)
    notice, _documents = clocks(today=day(6))
    assert (notice.state, notice.days_late) == ("overdue", 1)


def test_the_documents_are_due_on_the_tenth_day_and_overdue_on_the_eleventh():
    _notice, documents = clocks(today=day(10))
    assert (documents.due, documents.state) == (day(10), "waiting")
    _notice, documents = clocks(today=day(11))
    assert (documents.state, documents.days_late) == ("overdue", 1)


def test_an_arrival_on_the_due_day_is_on_time_and_the_next_day_late():
    notice, documents = clocks(today=day(30), notice=day(5), documents=day(10))
    assert (notice.state, documents.state) == ("on_time", "on_time")
    notice, documents = clocks(today=day(30), notice=day(6), documents=day(11))
    assert (notice.state, notice.days_late) == ("late", 1)
    assert (documents.state, documents.days_late) == ("late", 1)


@pytest.mark.parametrize(
    ("today", "notice", "documents", "overdue"),
    [
        (day(5), None, None, False),  # the notice's last day
        (day(6), None, None, True),  # the notice is a day late
        (day(6), day(5), None, False),  # the documents have until day 10
        (day(10), day(1), None, False),
        (day(11), day(1), None, True),
        (day(11), day(1), day(11), False),  # arrived late, but arrived
        (day(40), day(8), day(20), False),
    ],
)
def test_the_dashboard_s_sql_agrees_with_the_clocks(office, today, notice, documents, overdue):
    case = SuperviseeFactory(
        justice_office=office,
        sentence__effective=EFFECTIVE,
        sentence__notice_received_date=notice,
        sentence__documents_received_date=documents,
    )
    in_sql = Supervisee.objects.filter(commission_overdue_condition(today), pk=case.pk).exists()
    in_python = any(
        clock.state == "overdue" for clock in clocks(today=today, notice=notice, documents=documents)
    )
    assert in_sql == in_python == overdue


# The fields, through the services.


def test_register_and_update_record_the_arrivals_and_audit_them(office, officer, court, today):
    supervisee = supervisee_register(
        by=officer,
        fields=person(office),
        sentence=probation(court, notice_received_date=dt.date(2026, 1, 15)),
    )
    assert supervisee.sentence.notice_received_date == dt.date(2026, 1, 15)
    supervisee_update(
        supervisee=supervisee,
        by=officer,
        fields={},
        sentence={"documents_received_date": dt.date(2026, 1, 20)},
    )
    supervisee.sentence.refresh_from_db()
    assert supervisee.sentence.documents_received_date == dt.date(2026, 1, 20)
    event = AuditEvent.objects.filter(action="update", supervisee_id=supervisee.pk).get()
    assert event.changes["sentence.documents_received_date"] == {"before": None, "after": "2026-01-20"}
    # An empty value clears a date recorded by mistake.
    supervisee_update(
        supervisee=supervisee, by=officer, fields={}, sentence={"documents_received_date": None}
    )
    supervisee.sentence.refresh_from_db()
    assert supervisee.sentence.documents_received_date is None


@translation.override("en")
@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            dt.date(2026, 1, 12),
            "before the decision took effect (2026-01-13; Community Correction Law art. 20)",
        ),
        (dt.date(2026, 11, 26), "cannot be in the future"),
        (dt.date(1970, 1, 1), "Give a date between 1980-01-01 and 2026-11-25"),
    ],
)
def test_an_arrival_that_cannot_be_right_is_refused_by_its_field(office, officer, court, value, words):
    supervisee = supervisee_register(by=officer, fields=person(office), sentence=probation(court))
    for field in ("notice_received_date", "documents_received_date"):
        with pytest.raises(ValidationError) as refused:
            supervisee_update(supervisee=supervisee, by=officer, fields={}, sentence={field: value})
        messages = refused.value.message_dict[f"sentence.{field}"]
        assert len(messages) == 1 and words in messages[0]
    supervisee.sentence.refresh_from_db()
    assert supervisee.sentence.notice_received_date is None


def test_the_effective_date_itself_and_today_are_accepted(office, officer, court, today):
    supervisee = supervisee_register(
        by=officer,
        fields=person(office),
        sentence=probation(court, notice_received_date=dt.date(2026, 1, 13), documents_received_date=today),
    )
    assert supervisee.sentence.documents_received_date == today


def test_a_closed_case_is_read_only(office, officer, court):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    supervisee_transition(supervisee=case, by=officer, to=Status.DECEASED, on=dt.date(2026, 3, 1))
    with pytest.raises(StateConflict):
        supervisee_update(
            supervisee=case, by=officer, fields={}, sentence={"notice_received_date": dt.date(2026, 1, 12)}
        )


# The API's sentence object (v1.1 additions).


def test_the_api_reads_and_writes_the_arrivals(api_as, officer, office):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__effective=dt.date(2026, 1, 10))
    url = f"/api/v1/supervisees/{case.pk}/"
    body = api_as(officer).get(url).json()["sentence"]
    assert body["notice_received_date"] is None and body["documents_received_date"] is None
    response = api_as(officer).patch(
        url,
        {"sentence": {"notice_received_date": "2026-01-12", "documents_received_date": "2026-01-25"}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["sentence"]["documents_received_date"] == "2026-01-25"
    response = api_as(officer).patch(url, {"sentence": {"notice_received_date": "2026-01-09"}}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["sentence"] and list(response.json()["sentence"]) == [
        "notice_received_date"
    ]
