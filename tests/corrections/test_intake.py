"""The intake deadline (CCL 21), in Python and in SQL: one rule, two forms that must agree."""

import datetime

import pytest

from corrections.intake import earliest_event_date, intake_deadline, intake_deadline_expression
from corrections.models import Sentence
from tests.factories import SuperviseeFactory

D = datetime.date
EFFECTIVE = D(2026, 1, 10)
CASES = [
    ("probation", D(2026, 1, 10), None, D(2026, 1, 20)),
    ("control", D(2026, 1, 25), D(2026, 1, 26), D(2026, 2, 4)),  # release does not count for control
    # CCL 21 para. 1: a parolee's 10 days count from the ruling taking effect, not from the release.
    ("parole", D(2026, 3, 1), D(2026, 3, 5), D(2026, 3, 11)),
    ("parole", D(2026, 3, 1), None, D(2026, 3, 11)),
    # CCL 21 para. 2, 3: from receipt of the decision, not recorded: its effective date stands in.
    ("temporary_execution", D(2026, 2, 1), D(2026, 2, 3), D(2026, 2, 11)),
    ("temporary_execution", D(2026, 2, 25), None, D(2026, 3, 7)),
    ("probation", D(2024, 2, 25), None, D(2024, 3, 6)),  # across a leap day
    ("probation", D(2026, 12, 25), None, D(2027, 1, 4)),  # across a year
]


@pytest.mark.parametrize(("category", "effective", "release", "deadline"), CASES)
def test_intake_deadline_is_ten_days_after_the_base_date(category, effective, release, deadline):
    assert intake_deadline(category=category, effective_date=effective, release_date=release) == deadline


@pytest.mark.parametrize(
    ("category", "effective", "release"),
    [("temporary_execution", None, None), ("probation", None, D(2026, 1, 10))],
)
def test_no_deadline_while_the_base_date_is_unknown(category, effective, release):
    assert intake_deadline(category=category, effective_date=effective, release_date=release) is None


@pytest.mark.parametrize(
    ("category", "effective", "release", "earliest"),
    [
        ("probation", D(2026, 1, 10), None, D(2026, 1, 10)),
        ("parole", D(2026, 3, 1), D(2026, 3, 5), D(2026, 3, 5)),  # nothing before the release
        ("parole", D(2026, 3, 1), None, None),
        ("temporary_execution", D(2026, 2, 1), D(2026, 2, 3), D(2026, 2, 3)),
        ("temporary_execution", D(2026, 2, 25), None, D(2026, 2, 25)),
    ],
)
def test_nothing_is_dated_before_the_decision_or_the_release(category, effective, release, earliest):
    assert earliest_event_date(category=category, effective_date=effective, release_date=release) == earliest


def test_intake_deadline_refuses_an_unknown_category():
    with pytest.raises(ValueError):
        intake_deadline(category="house_arrest", effective_date=EFFECTIVE, release_date=None)


@pytest.mark.django_db
def test_the_sql_form_gives_the_same_day_as_the_python_form(office):
    expected = {}
    for n, (category, effective, release, deadline) in enumerate(CASES):
        case = SuperviseeFactory(justice_office=office, case_number=f"INTAKE-{n}")
        # Only the dates the rule reads; the period rules are not the subject here.
        Sentence.objects.filter(supervisee=case).update(
            category=category, effective_date=effective, judgment_date=effective, release_date=release
        )
        expected[case.pk] = deadline
    rows = Sentence.objects.annotate(deadline=intake_deadline_expression(sentence=""))
    assert dict(rows.values_list("supervisee_id", "deadline")) == expected
    assert sum(deadline is not None for deadline in expected.values()) == 8
