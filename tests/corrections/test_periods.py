import datetime
from dataclasses import FrozenInstanceError

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from corrections.periods import (
    Period,
    SentenceTerms,
    add_months,
    compute_period,
    term_end,
)

D = datetime.date
EFFECTIVE = D(2026, 1, 10)


def control(**overrides) -> SentenceTerms:
    return SentenceTerms(
        **{
            "category": "control",
            "penalty": "control",
            "effective_date": EFFECTIVE,
            "original_term_months": 6,
        }
        | overrides
    )


def probation(**overrides) -> SentenceTerms:
    return SentenceTerms(
        **{
            "category": "probation",
            "penalty": "fixed_term_imprisonment",
            "effective_date": EFFECTIVE,
            "original_term_months": 12,
            "probation_term_months": 24,
        }
        | overrides
    )


def detention_probation(**overrides) -> SentenceTerms:
    return probation(
        **{"penalty": "criminal_detention", "original_term_months": 3, "probation_term_months": 6} | overrides
    )


def parole(**overrides) -> SentenceTerms:
    return SentenceTerms(
        **{
            "category": "parole",
            "penalty": "fixed_term_imprisonment",
            "effective_date": D(2026, 3, 1),
            "original_term_months": 60,
            "release_date": D(2026, 3, 5),
            "original_term_end": D(2027, 9, 30),
        }
        | overrides
    )


def temporary_execution(**overrides) -> SentenceTerms:
    return SentenceTerms(
        **{
            "category": "temporary_execution",
            "penalty": "fixed_term_imprisonment",
            "effective_date": D(2026, 2, 1),
            "original_term_months": 36,
            "release_date": D(2026, 2, 3),
            "temporary_execution_ground": "illness",
        }
        | overrides
    )


def refusal(terms: SentenceTerms) -> dict[str, list[str]]:
    """The error codes of each field at fault."""
    with pytest.raises(ValidationError) as caught:
        compute_period(terms)
    return {field: [error.code for error in errors] for field, errors in caught.value.error_dict.items()}


def messages(terms: SentenceTerms) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        compute_period(terms)
    return caught.value.message_dict


# --- add_months and term_end ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 10), 1, D(2026, 2, 10)),
        (D(2026, 1, 10), 0, D(2026, 1, 10)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: clamped to the 29th
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # common year: clamped to the 28th
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2026, 11, 15), 2, D(2027, 1, 15)),  # across the year
        (D(2026, 12, 31), 14, D(2028, 2, 29)),
        (D(2026, 1, 10), 120, D(2036, 1, 10)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -2, D(2025, 11, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months=months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 10), 6, D(2026, 7, 9)),
        (D(2026, 1, 1), 12, D(2026, 12, 31)),
        (D(2024, 1, 31), 1, D(2024, 2, 28)),
        (D(2026, 3, 1), 1, D(2026, 3, 31)),
        (D(2024, 3, 1), 12, D(2025, 2, 28)),
        (D(2023, 3, 1), 12, D(2024, 2, 29)),  # the term covers the leap day
    ],
)
def test_term_end_is_the_day_before_the_same_day_months_later(start, months, expected):
    assert term_end(start, months=months) == expected


# --- control -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "combined", "end"),
    [
        (3, False, D(2026, 4, 9)),
        (24, False, D(2028, 1, 9)),
        (3, True, D(2026, 4, 9)),
        (36, True, D(2029, 1, 9)),
    ],
)
def test_control_term_limits_accepted(months, combined, end):
    period = compute_period(control(original_term_months=months, combined_crimes=combined))
    assert period == Period(
        start_date=EFFECTIVE, end_date=end, rule="control", explanation=period.explanation
    )


@pytest.mark.parametrize(
    ("months", "combined", "article"),
    [
        (2, False, "Criminal Law 38"),
        (25, False, "Criminal Law 38"),
        (36, False, "Criminal Law 38"),
        (2, True, "Criminal Law 38, 69"),
        (37, True, "Criminal Law 38, 69"),
        (0, False, "Criminal Law 38"),
    ],
)
def test_control_term_outside_limits_refused(months, combined, article):
    terms = control(original_term_months=months, combined_crimes=combined)
    assert refusal(terms) == {"original_term_months": ["control_term_range"]}
    message = messages(terms)["original_term_months"][0]
    assert article in message
    assert f"{months} months was entered" in message


def test_control_prior_custody_offsets_two_days_each():
    period = compute_period(control(original_term_months=6, prior_custody_days=10))
    # 6 months from 2026-01-10 end on 2026-07-09; 10 days in custody take off 20 days.
    assert period.start_date == EFFECTIVE
    assert period.end_date == D(2026, 6, 19)
    explanation = str(period.explanation)
    assert "Criminal Law 38, 41" in explanation
    assert "20 days for 10 days of prior custody" in explanation


def test_control_prior_custody_leaving_one_day_is_accepted_and_one_more_is_refused():
    # 3 months from 2026-02-10 are 2026-02-10 .. 2026-05-09, 89 days; 44 days of custody offset 88.
    start = D(2026, 2, 10)
    period = compute_period(control(original_term_months=3, effective_date=start, prior_custody_days=44))
    assert period.end_date == start  # one day left to serve
    # 45 days offset 90: more than the whole term.
    terms = control(original_term_months=3, effective_date=start, prior_custody_days=45)
    assert refusal(terms) == {"prior_custody_days": ["control_served_in_custody"]}
    assert "Criminal Law 41" in messages(terms)["prior_custody_days"][0]


def test_control_needs_a_sentence_of_control_and_its_dates():
    assert refusal(control(penalty="criminal_detention")) == {"penalty": ["control_penalty"]}
    assert refusal(control(effective_date=None)) == {"effective_date": ["required"]}
    assert refusal(control(original_term_months=None)) == {"original_term_months": ["required"]}
    assert refusal(control(prior_custody_days=-1)) == {"prior_custody_days": ["min_value"]}


def test_control_explanation_without_custody_names_the_law_and_numbers():
    explanation = str(compute_period(control(original_term_months=6)).explanation)
    assert explanation == (
        "Control: 6 months from 2026-01-10, the day the judgment took effect, ending on 2026-07-09 "
        "(Criminal Law 38, 41: control runs from the day the judgment is executed)."
    )


def test_every_field_at_fault_is_reported_at_once():
    assert refusal(control(effective_date=None, original_term_months=25)) == {
        "effective_date": ["required"],
        "original_term_months": ["control_term_range"],
    }


# --- probation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "term", "combined", "end"),
    [
        (1, 2, False, D(2026, 3, 9)),  # the 2-month floor
        (3, 3, False, D(2026, 4, 9)),  # equal to the original term
        (6, 12, False, D(2027, 1, 9)),  # the 1-year ceiling
        (12, 12, True, D(2027, 1, 9)),  # combined crimes: 12 months of detention
    ],
)
def test_probation_of_detention_limits_accepted(original, term, combined, end):
    period = compute_period(
        detention_probation(
            original_term_months=original, probation_term_months=term, combined_crimes=combined
        )
    )
    assert (period.start_date, period.end_date, period.rule) == (EFFECTIVE, end, "probation_detention")
    assert "Criminal Law 73" in str(period.explanation)


@pytest.mark.parametrize(
    ("original", "term", "code"),
    [
        (1, 1, "probation_term_range"),  # below the 2-month floor
        (1, 13, "probation_term_range"),  # above the 1-year ceiling
        (5, 4, "probation_term_below_original"),
        (6, 5, "probation_term_below_original"),
    ],
)
def test_probation_of_detention_term_outside_limits_refused(original, term, code):
    terms = detention_probation(original_term_months=original, probation_term_months=term)
    assert refusal(terms) == {"probation_term_months": [code]}
    assert "Criminal Law 73" in messages(terms)["probation_term_months"][0]


@pytest.mark.parametrize(
    ("original", "combined"),
    [(0, False), (7, False), (12, False), (13, True)],
)
def test_detention_original_term_outside_limits_refused(original, combined):
    terms = detention_probation(
        original_term_months=original, probation_term_months=12, combined_crimes=combined
    )
    assert refusal(terms) == {"original_term_months": ["detention_term_range"]}
    assert "Criminal Law 42" in messages(terms)["original_term_months"][0]


@pytest.mark.parametrize(
    ("original", "term", "end"),
    [
        (6, 12, D(2027, 1, 9)),  # the 1-year floor
        (12, 12, D(2027, 1, 9)),
        (36, 36, D(2029, 1, 9)),  # the longest sentence that can be suspended
        (36, 60, D(2031, 1, 9)),  # the 5-year ceiling
    ],
)
def test_probation_of_imprisonment_limits_accepted(original, term, end):
    period = compute_period(probation(original_term_months=original, probation_term_months=term))
    assert (period.start_date, period.end_date, period.rule) == (EFFECTIVE, end, "probation_imprisonment")


@pytest.mark.parametrize(
    ("original", "term", "code"),
    [
        (6, 11, "probation_term_range"),
        (36, 61, "probation_term_range"),
        (24, 18, "probation_term_below_original"),
        (36, 35, "probation_term_below_original"),
    ],
)
def test_probation_of_imprisonment_term_outside_limits_refused(original, term, code):
    terms = probation(original_term_months=original, probation_term_months=term)
    assert refusal(terms) == {"probation_term_months": [code]}
    assert "Criminal Law 73" in messages(terms)["probation_term_months"][0]


@pytest.mark.parametrize("original", [5, 37, 120])
def test_probation_only_for_imprisonment_of_6_months_to_3_years(original):
    terms = probation(original_term_months=original, probation_term_months=60)
    assert refusal(terms) == {"original_term_months": ["probation_original_term_range"]}
    assert "Criminal Law 45, 72" in messages(terms)["original_term_months"][0]


@pytest.mark.parametrize("penalty", ["life_imprisonment", "control"])
def test_probation_refused_for_life_imprisonment_and_control(penalty):
    terms = probation(penalty=penalty)
    assert refusal(terms) == {"penalty": ["probation_penalty"]}
    assert "Criminal Law 72" in messages(terms)["penalty"][0]


def test_probation_required_inputs_are_keyed_by_their_field():
    assert refusal(probation(effective_date=None)) == {"effective_date": ["required"]}
    assert refusal(probation(original_term_months=None, probation_term_months=None)) == {
        "original_term_months": ["required"],
        "probation_term_months": ["required"],
    }
    assert refusal(probation(probation_term_months=1.5)) == {"probation_term_months": ["invalid"]}


def test_probation_is_not_shortened_by_prior_custody():
    assert compute_period(probation(prior_custody_days=30)).end_date == D(2028, 1, 9)


def test_probation_explanation_matches_the_documented_example():
    explanation = compute_period(probation(original_term_months=12, probation_term_months=24)).explanation
    assert str(explanation) == (
        "Probation of fixed-term imprisonment: 24 months from 2026-01-10, the day the judgment took effect, "
        "ending on 2028-01-09 (Criminal Law 73: at least the original term and at least 1 year, at most "
        "5 years)."
    )


def test_probation_starting_on_a_leap_day():
    period = compute_period(probation(effective_date=D(2028, 2, 29), probation_term_months=12))
    assert period.end_date == D(2029, 2, 27)


# --- parole ------------------------------------------------------------------------------------------


def test_parole_from_fixed_term_lasts_the_unserved_term():
    period = compute_period(parole())
    assert (period.start_date, period.end_date, period.rule) == (
        D(2026, 3, 5),
        D(2027, 9, 30),
        "parole_fixed_term",
    )
    assert "Criminal Law 83" in str(period.explanation)
    assert "2027-09-30" in str(period.explanation)


def test_parole_fixed_term_needs_the_sentence_to_end_after_release():
    assert compute_period(parole(original_term_end=D(2026, 3, 6))).end_date == D(2026, 3, 6)
    assert refusal(parole(original_term_end=D(2026, 3, 5))) == {
        "original_term_end": ["original_term_end_before_release"]
    }
    assert refusal(parole(original_term_end=D(2026, 1, 1))) == {
        "original_term_end": ["original_term_end_before_release"]
    }
    assert refusal(parole(original_term_end=None)) == {"original_term_end": ["required"]}


def test_parole_from_life_lasts_ten_years():
    period = compute_period(
        parole(penalty="life_imprisonment", original_term_months=None, original_term_end=None)
    )
    assert (period.start_date, period.end_date, period.rule) == (D(2026, 3, 5), D(2036, 3, 4), "parole_life")
    assert "10 years" in str(period.explanation)
    assert "Criminal Law 83" in str(period.explanation)


def test_parole_from_life_released_on_a_leap_day():
    period = compute_period(
        parole(
            penalty="life_imprisonment",
            effective_date=None,
            release_date=D(2028, 2, 29),
            original_term_end=None,
        )
    )
    assert period.end_date == D(2038, 2, 27)


def test_parole_from_life_refuses_an_original_term_end():
    assert refusal(parole(penalty="life_imprisonment")) == {"original_term_end": ["life_has_no_end"]}


@pytest.mark.parametrize("penalty", ["control", "criminal_detention"])
def test_parole_refused_for_control_and_detention(penalty):
    terms = parole(penalty=penalty)
    assert refusal(terms) == {"penalty": ["parole_penalty"]}
    assert "Criminal Law 81" in messages(terms)["penalty"][0]


def test_parole_release_date_is_required_and_not_before_the_decision():
    assert refusal(parole(release_date=None)) == {"release_date": ["required"]}
    assert refusal(parole(release_date=D(2026, 2, 28))) == {"release_date": ["release_before_effective"]}
    # Released on the day the ruling takes effect: fine.
    assert compute_period(parole(release_date=D(2026, 3, 1))).start_date == D(2026, 3, 1)
    # Without an effective date, only the release date counts.
    assert compute_period(parole(effective_date=None)).start_date == D(2026, 3, 5)


# --- temporary execution -----------------------------------------------------------------------------


@pytest.mark.parametrize("ground", ["illness", "pregnancy_nursing", "unable_self_care"])
@pytest.mark.parametrize("penalty", ["criminal_detention", "fixed_term_imprisonment"])
def test_temporary_execution_grounds_for_detention_and_imprisonment(ground, penalty):
    period = compute_period(
        temporary_execution(penalty=penalty, temporary_execution_ground=ground, gender="female")
    )
    assert (period.start_date, period.end_date, period.rule) == (D(2026, 2, 3), None, "temporary_execution")
    assert "Criminal Procedure Law 265" in str(period.explanation)
    assert "until the ground ends" in str(period.explanation)


@pytest.mark.parametrize(
    ("ground", "gender", "accepted"),
    [
        ("pregnancy_nursing", "female", True),
        ("pregnancy_nursing", "", True),  # gender unknown yet: not refused
        ("illness", "female", False),
        ("unable_self_care", "female", False),
        ("pregnancy_nursing", "male", False),
    ],
)
def test_temporary_execution_of_life_imprisonment_only_for_pregnancy_or_nursing(ground, gender, accepted):
    terms = temporary_execution(
        penalty="life_imprisonment",
        original_term_months=None,
        temporary_execution_ground=ground,
        gender=gender,
    )
    if accepted:
        period = compute_period(terms)
        assert (period.end_date, period.rule) == (None, "temporary_execution")
    else:
        assert list(refusal(terms)) == ["temporary_execution_ground"]
        assert "Criminal Procedure Law 265" in messages(terms)["temporary_execution_ground"][0]


def test_pregnancy_or_nursing_refused_for_a_man():
    terms = temporary_execution(temporary_execution_ground="pregnancy_nursing", gender="male")
    assert refusal(terms) == {"temporary_execution_ground": ["temporary_execution_ground_gender"]}


@pytest.mark.parametrize(("ground", "code"), [("", "required"), ("old_age", "invalid_choice")])
def test_temporary_execution_ground_is_required_and_must_be_known(ground, code):
    assert refusal(temporary_execution(temporary_execution_ground=ground)) == {
        "temporary_execution_ground": [code]
    }


def test_temporary_execution_refused_for_control():
    assert refusal(temporary_execution(penalty="control")) == {"penalty": ["temporary_execution_penalty"]}


def test_temporary_execution_starts_on_release_or_else_on_the_decision():
    assert compute_period(temporary_execution()).start_date == D(2026, 2, 3)
    period = compute_period(temporary_execution(release_date=None))
    assert period.start_date == D(2026, 2, 1)
    assert "the day the decision took effect" in str(period.explanation)
    assert refusal(temporary_execution(release_date=None, effective_date=None)) == {
        "release_date": ["required"]
    }
    assert refusal(temporary_execution(release_date=D(2026, 1, 31))) == {
        "release_date": ["release_before_effective"]
    }


def test_temporary_execution_ends_with_the_original_sentence_when_known():
    period = compute_period(temporary_execution(original_term_end=D(2027, 5, 31)))
    assert period.end_date == D(2027, 5, 31)
    assert "2027-05-31" in str(period.explanation)
    assert compute_period(temporary_execution(original_term_end=D(2026, 2, 3))).end_date == D(2026, 2, 3)
    assert refusal(temporary_execution(original_term_end=D(2026, 2, 2))) == {
        "original_term_end": ["original_term_end_before_start"]
    }


def test_temporary_execution_of_life_has_no_end_date():
    terms = temporary_execution(
        penalty="life_imprisonment",
        temporary_execution_ground="pregnancy_nursing",
        gender="female",
        original_term_end=D(2040, 1, 1),
    )
    assert refusal(terms) == {"original_term_end": ["life_has_no_end"]}


# --- inputs and outputs ------------------------------------------------------------------------------


def test_unknown_category_and_penalty_are_refused():
    assert refusal(control(category="house_arrest", penalty="fine")) == {
        "category": ["invalid_choice"],
        "penalty": ["invalid_choice"],
    }


def test_terms_and_period_are_frozen_and_keyword_only():
    terms = control()
    with pytest.raises(FrozenInstanceError):
        terms.category = "parole"
    with pytest.raises(TypeError):
        SentenceTerms("control", "control")
    with pytest.raises(FrozenInstanceError):
        compute_period(terms).end_date = None


def test_explanation_is_translated_when_read():
    period = compute_period(control())
    with translation.override("en"):
        english = str(period.explanation)
    assert english.startswith("Control: 6 months from 2026-01-10")
    # Still a lazy object: it is turned into text in the reader's language, not when computed.
    assert not isinstance(period.explanation, str)
