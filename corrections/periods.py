"""The correction period: when it starts, when it ends, and why.

`compute_period` turns the terms of a sentence into a `Period` with a sentence that explains, naming the
law, how the dates were found; terms the law does not allow are refused with a ValidationError keyed by
the field at fault, so the API and the forms can show the error next to that field.

Counting convention: a term of N months from day D ends on add_months(D, N) - 1 day (the day before the
same day N months later; the term of 6 months from 2026-01-10 ends on 2026-07-09). add_months clamps to
the last day of a shorter month, so a month from 2024-01-31 reaches 2024-02-29 and the term ends on
2024-02-28.

Pure functions: no database, no clock.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Plain values, equal to the TextChoices values that the models use.
PROBATION = "probation"
PAROLE = "parole"
CONTROL = "control"
TEMPORARY_EXECUTION = "temporary_execution"
CATEGORIES = (PROBATION, PAROLE, CONTROL, TEMPORARY_EXECUTION)

PENALTY_CONTROL = "control"
CRIMINAL_DETENTION = "criminal_detention"
FIXED_TERM_IMPRISONMENT = "fixed_term_imprisonment"
LIFE_IMPRISONMENT = "life_imprisonment"
PENALTIES = (PENALTY_CONTROL, CRIMINAL_DETENTION, FIXED_TERM_IMPRISONMENT, LIFE_IMPRISONMENT)

ILLNESS = "illness"
PREGNANCY_NURSING = "pregnancy_nursing"
UNABLE_SELF_CARE = "unable_self_care"
TEMPORARY_EXECUTION_GROUNDS = {
    ILLNESS: _("serious illness"),
    PREGNANCY_NURSING: _("pregnancy or nursing her own baby"),
    UNABLE_SELF_CARE: _("unable to care for oneself"),
}

# CL 38: control is 3 months to 2 years; CL 69: at most 3 years for combined crimes.
CONTROL_MIN_MONTHS = 3
CONTROL_MAX_MONTHS = 24
CONTROL_MAX_MONTHS_COMBINED = 36
# CL 41: one day of custody before the judgment is executed offsets two days of control.
CONTROL_DAYS_PER_CUSTODY_DAY = 2
# CL 42: criminal detention is 1 to 6 months; CL 69: at most 1 year for combined crimes.
DETENTION_MIN_MONTHS = 1
DETENTION_MAX_MONTHS = 6
DETENTION_MAX_MONTHS_COMBINED = 12
# CL 45: fixed-term imprisonment is at least 6 months; CL 72: probation only for at most 3 years.
IMPRISONMENT_MIN_MONTHS = 6
PROBATION_IMPRISONMENT_MAX_MONTHS = 36
# CL 73: probation of detention: at least the original term and 2 months, at most 1 year;
# probation of imprisonment: at least the original term and 1 year, at most 5 years.
PROBATION_DETENTION_MIN_MONTHS = 2
PROBATION_DETENTION_MAX_MONTHS = 12
PROBATION_IMPRISONMENT_MIN_MONTHS = 12
PROBATION_IMPRISONMENT_MAX_MONTHS_TERM = 60
# CL 83: parole from life imprisonment lasts 10 years.
PAROLE_LIFE_MONTHS = 120
# Custody before judgment counts against the sentence (CL 41, 44, 47), and no fixed term served is
# longer than 25 years (CL 50, 69): more days than that in custody before a judgment is a typo.
MAX_PRIOR_CUSTODY_DAYS = 25 * 366
# The longest term counted from a date here is parole from life, 120 months (CL 83): a date later than
# this leaves no room to count it before Python's dates end (9999-12-31). The services refuse far
# earlier (config.plausible); this keeps the pure rules from overflowing whoever calls them.
LAST_COUNTABLE_DATE = datetime.date(9989, 12, 31)
DATE_TERMS = ("effective_date", "release_date", "original_term_end")


@dataclass(frozen=True, kw_only=True)
class SentenceTerms:
    category: str
    penalty: str
    # The day the judgment (or the parole or temporary execution decision) takes effect.
    effective_date: datetime.date | None = None
    # The principal penalty's term as sentenced; None for life imprisonment.
    original_term_months: int | None = None
    probation_term_months: int | None = None
    combined_crimes: bool = False
    prior_custody_days: int = 0
    # Parole: the day of release on parole; temporary execution: the day released or handed over.
    release_date: datetime.date | None = None
    # The day the original sentence would end if served in full.
    original_term_end: datetime.date | None = None
    temporary_execution_ground: str = ""
    gender: str = ""


@dataclass(frozen=True, kw_only=True)
class Period:
    start_date: datetime.date
    # None: the period runs until its ground ends (temporary execution without a sentence end).
    end_date: datetime.date | None
    # A short stable code of the rule applied, e.g. "probation_imprisonment".
    rule: str
    # A lazily translated sentence naming the law and the numbers.
    explanation: str


def add_months(day: datetime.date, *, months: int) -> datetime.date:
    """The same day `months` later (or earlier), clamped to the last day of a shorter month."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: datetime.date, *, months: int) -> datetime.date:
    """The last day of a term of `months` months that starts on (and counts) `start`."""
    return add_months(start, months=months) - datetime.timedelta(days=1)


def compute_period(terms: SentenceTerms) -> Period:
    """The correction period of `terms`; raises ValidationError({field: [error]}) when the law forbids it."""
    errors = _Errors()
    if terms.category not in CATEGORIES:
        errors.add("category", _("Choose a correction category."), code="invalid_choice")
    if terms.penalty not in PENALTIES:
        errors.add("penalty", _("Choose the principal penalty of the sentence."), code="invalid_choice")
    if terms.prior_custody_days is None or terms.prior_custody_days < 0:
        errors.add("prior_custody_days", _("Days of prior custody cannot be negative."), code="min_value")
    elif terms.prior_custody_days > MAX_PRIOR_CUSTODY_DAYS:
        errors.add(
            "prior_custody_days",
            _(
                "Days of prior custody cannot be more than %(max)d (25 years, longer than any fixed term "
                "served: Criminal Law 50, 69); %(days)d was entered."
            ),
            code="max_value",
            params={"max": MAX_PRIOR_CUSTODY_DAYS, "days": terms.prior_custody_days},
        )
    for field in DATE_TERMS:
        value = getattr(terms, field)
        if value is not None and value > LAST_COUNTABLE_DATE:
            errors.add(
                field,
                _("%(date)s is not a date a correction period can be counted from."),
                code="out_of_range",
                params={"date": value},
            )
    errors.raise_if_any()
    compute = {
        CONTROL: _control_period,
        PROBATION: _probation_period,
        PAROLE: _parole_period,
        TEMPORARY_EXECUTION: _temporary_execution_period,
    }[terms.category]
    return compute(terms, errors)


# --- control ---------------------------------------------------------------------------------------


def _control_period(terms: SentenceTerms, errors: "_Errors") -> Period:
    if terms.penalty != PENALTY_CONTROL:
        errors.add(
            "penalty",
            _("Control as a correction category needs a sentence of control (Criminal Law 38)."),
            code="control_penalty",
        )
    _require_effective_date(terms, errors)
    months = terms.original_term_months
    if _require_months(errors, "original_term_months", months, _("Enter the term of control in months.")):
        # CL 38: 3 months to 2 years; CL 69: at most 3 years for combined crimes.
        if terms.combined_crimes and not CONTROL_MIN_MONTHS <= months <= CONTROL_MAX_MONTHS_COMBINED:
            errors.add(
                "original_term_months",
                _(
                    "Control for combined crimes must be between 3 and 36 months (Criminal Law 38, 69); "
                    "%(months)d months was entered."
                ),
                code="control_term_range",
                params={"months": months},
            )
        elif not terms.combined_crimes and not CONTROL_MIN_MONTHS <= months <= CONTROL_MAX_MONTHS:
            errors.add(
                "original_term_months",
                _(
                    "Control must be between 3 and 24 months (Criminal Law 38), or up to 36 months for "
                    "combined crimes (Criminal Law 69); %(months)d months was entered."
                ),
                code="control_term_range",
                params={"months": months},
            )
    errors.raise_if_any()

    # CL 41: control runs from the day the judgment is executed, which is the day it takes effect;
    # each day of custody before that offsets two days of control.
    start = terms.effective_date
    custody_days = terms.prior_custody_days
    offset_days = CONTROL_DAYS_PER_CUSTODY_DAY * custody_days
    full_term_end = term_end(start, months=months)
    # Compared in days before the date is moved: an offset longer than the term has no date to land on.
    if offset_days > (full_term_end - start).days:
        errors.add(
            "prior_custody_days",
            _(
                "%(days)d days of prior custody offset %(offset)d days of control (Criminal Law 41: one "
                "day of custody offsets two days), which covers the whole %(months)d-month term: nothing "
                "is left to serve."
            ),
            code="control_served_in_custody",
            params={"days": custody_days, "offset": offset_days, "months": months},
        )
        errors.raise_if_any()
    end = full_term_end - datetime.timedelta(days=offset_days)
    params = {"months": months, "start": start, "end": end, "days": custody_days, "offset": offset_days}
    if custody_days:
        explanation = _explain(
            _(
                "Control: %(months)d months from %(start)s, the day the judgment took effect, less "
                "%(offset)d days for %(days)d days of prior custody, ending on %(end)s (Criminal Law 38, "
                "41: control runs from the day the judgment is executed, and each day of custody offsets "
                "two days)."
            ),
            params,
        )
    else:
        explanation = _explain(
            _(
                "Control: %(months)d months from %(start)s, the day the judgment took effect, ending on "
                "%(end)s (Criminal Law 38, 41: control runs from the day the judgment is executed)."
            ),
            params,
        )
    return Period(start_date=start, end_date=end, rule="control", explanation=explanation)


# --- probation -------------------------------------------------------------------------------------


def _probation_period(terms: SentenceTerms, errors: "_Errors") -> Period:
    detention = terms.penalty == CRIMINAL_DETENTION
    if terms.penalty not in (CRIMINAL_DETENTION, FIXED_TERM_IMPRISONMENT):
        errors.add(
            "penalty",
            _(
                "Probation can be granted only for criminal detention or fixed-term imprisonment of at "
                "most 3 years (Criminal Law 72)."
            ),
            code="probation_penalty",
        )
        errors.raise_if_any()
    _require_effective_date(terms, errors)

    original = terms.original_term_months
    original_ok = _require_months(
        errors, "original_term_months", original, _("Enter the original term of the sentence in months.")
    )
    if original_ok and detention:
        # CL 42: criminal detention is 1 to 6 months; CL 69: at most 1 year for combined crimes.
        maximum = DETENTION_MAX_MONTHS_COMBINED if terms.combined_crimes else DETENTION_MAX_MONTHS
        if not DETENTION_MIN_MONTHS <= original <= maximum:
            message = (
                _(
                    "Criminal detention for combined crimes is 1 to 12 months (Criminal Law 42, 69); "
                    "%(months)d months was entered."
                )
                if terms.combined_crimes
                else _(
                    "Criminal detention is 1 to 6 months (Criminal Law 42), or up to 12 months for combined "
                    "crimes (Criminal Law 69); %(months)d months was entered."
                )
            )
            errors.add(
                "original_term_months", message, code="detention_term_range", params={"months": original}
            )
            original_ok = False
    elif original_ok and not IMPRISONMENT_MIN_MONTHS <= original <= PROBATION_IMPRISONMENT_MAX_MONTHS:
        # CL 45: fixed-term imprisonment is at least 6 months; CL 72: probation only for at most 3 years.
        errors.add(
            "original_term_months",
            _(
                "Probation can be granted only for fixed-term imprisonment of 6 months to 3 years "
                "(Criminal Law 45, 72); %(months)d months was entered."
            ),
            code="probation_original_term_range",
            params={"months": original},
        )
        original_ok = False

    months = terms.probation_term_months
    if _require_months(errors, "probation_term_months", months, _("Enter the probation term in months.")):
        # CL 73: detention: 2 months to 1 year; imprisonment: 1 year to 5 years; never below the original.
        if detention and not PROBATION_DETENTION_MIN_MONTHS <= months <= PROBATION_DETENTION_MAX_MONTHS:
            errors.add(
                "probation_term_months",
                _(
                    "The probation term for criminal detention must be between 2 and 12 months, and at "
                    "least the original term (Criminal Law 73); %(months)d months was entered."
                ),
                code="probation_term_range",
                params={"months": months},
            )
        elif not detention and not (
            PROBATION_IMPRISONMENT_MIN_MONTHS <= months <= PROBATION_IMPRISONMENT_MAX_MONTHS_TERM
        ):
            errors.add(
                "probation_term_months",
                _(
                    "The probation term for fixed-term imprisonment must be between 12 and 60 months, and at "
                    "least the original term (Criminal Law 73); %(months)d months was entered."
                ),
                code="probation_term_range",
                params={"months": months},
            )
        elif original_ok and months < original:
            errors.add(
                "probation_term_months",
                _(
                    "The probation term (%(months)d months) cannot be shorter than the original term of "
                    "%(original)d months (Criminal Law 73)."
                ),
                code="probation_term_below_original",
                params={"months": months, "original": original},
            )
    errors.raise_if_any()

    # CL 73: the probation term runs from the day the judgment becomes final. Prior custody does not
    # shorten it (CL 41-47 offset custody against a penalty served, not against a probation term).
    start = terms.effective_date
    end = term_end(start, months=months)
    params = {"months": months, "start": start, "end": end}
    if detention:
        rule = "probation_detention"
        explanation = _explain(
            _(
                "Probation of criminal detention: %(months)d months from %(start)s, the day the judgment "
                "took effect, ending on %(end)s (Criminal Law 73: at least the original term and at least "
                "2 months, at most 1 year)."
            ),
            params,
        )
    else:
        rule = "probation_imprisonment"
        explanation = _explain(
            _(
                "Probation of fixed-term imprisonment: %(months)d months from %(start)s, the day the "
                "judgment took effect, ending on %(end)s (Criminal Law 73: at least the original term and "
                "at least 1 year, at most 5 years)."
            ),
            params,
        )
    return Period(start_date=start, end_date=end, rule=rule, explanation=explanation)


# --- parole ----------------------------------------------------------------------------------------


def _parole_period(terms: SentenceTerms, errors: "_Errors") -> Period:
    life = terms.penalty == LIFE_IMPRISONMENT
    if terms.penalty not in (FIXED_TERM_IMPRISONMENT, LIFE_IMPRISONMENT):
        # CL 81: parole is granted to those serving fixed-term or life imprisonment.
        errors.add(
            "penalty",
            _("Parole is granted only from fixed-term or life imprisonment (Criminal Law 81)."),
            code="parole_penalty",
        )
        errors.raise_if_any()
    if terms.release_date is None:
        errors.add(
            "release_date",
            _("Enter the day of release on parole: the parole period starts then (Criminal Law 83)."),
            code="required",
        )
    else:
        _check_release_after_effective(terms, errors)
    if life and terms.original_term_end is not None:
        errors.add(
            "original_term_end",
            _("A life sentence has no end date: parole from it lasts 10 years (Criminal Law 83)."),
            code="life_has_no_end",
        )
    elif not life and terms.original_term_end is None:
        errors.add(
            "original_term_end",
            _(
                "Enter the day the original sentence would end: parole lasts for the unserved term "
                "(Criminal Law 83)."
            ),
            code="required",
        )
    elif not life and terms.release_date is not None and terms.original_term_end <= terms.release_date:
        errors.add(
            "original_term_end",
            _(
                "The original sentence must end after the day of release (%(release)s): parole lasts for "
                "the unserved term (Criminal Law 83)."
            ),
            code="original_term_end_before_release",
            params={"release": terms.release_date},
        )
    errors.raise_if_any()

    start = terms.release_date
    if life:
        # CL 83: parole from life imprisonment lasts 10 years from the day of release.
        end = term_end(start, months=PAROLE_LIFE_MONTHS)
        explanation = _explain(
            _(
                "Parole from life imprisonment: 10 years from %(start)s, the day of release, ending on "
                "%(end)s (Criminal Law 83)."
            ),
            {"start": start, "end": end},
        )
        return Period(start_date=start, end_date=end, rule="parole_life", explanation=explanation)
    # CL 83: parole from fixed-term imprisonment lasts the unserved term, from the day of release.
    end = terms.original_term_end
    explanation = _explain(
        _(
            "Parole from fixed-term imprisonment: the unserved term, from %(start)s, the day of release, to "
            "%(end)s, the day the original sentence would have ended (Criminal Law 83)."
        ),
        {"start": start, "end": end},
    )
    return Period(start_date=start, end_date=end, rule="parole_fixed_term", explanation=explanation)


# --- temporary execution outside prison ---------------------------------------------------------------


def _temporary_execution_period(terms: SentenceTerms, errors: "_Errors") -> Period:
    life = terms.penalty == LIFE_IMPRISONMENT
    ground = terms.temporary_execution_ground
    if terms.penalty == PENALTY_CONTROL:
        # CPL 265: temporary execution outside prison is for detention, fixed-term or life imprisonment;
        # control is already served in the community.
        errors.add(
            "penalty",
            _(
                "Temporary execution outside prison applies only to criminal detention, fixed-term or "
                "life imprisonment (Criminal Procedure Law 265)."
            ),
            code="temporary_execution_penalty",
        )
    if ground not in TEMPORARY_EXECUTION_GROUNDS:
        errors.add(
            "temporary_execution_ground",
            _(
                "Choose the ground for temporary execution: serious illness, pregnancy or nursing, or "
                "unable to care for oneself (Criminal Procedure Law 265)."
            ),
            code="required" if not ground else "invalid_choice",
        )
    elif life and ground != PREGNANCY_NURSING:
        # CPL 265: for life imprisonment, only a woman who is pregnant or nursing her own baby.
        errors.add(
            "temporary_execution_ground",
            _(
                "For life imprisonment, temporary execution is allowed only for a woman who is pregnant or "
                "nursing her own baby (Criminal Procedure Law 265)."
            ),
            code="temporary_execution_life_ground",
        )
    elif ground == PREGNANCY_NURSING and terms.gender and terms.gender != "female":
        errors.add(
            "temporary_execution_ground",
            _("Pregnancy or nursing is a ground only for a woman (Criminal Procedure Law 265)."),
            code="temporary_execution_ground_gender",
        )

    start = terms.release_date or terms.effective_date
    if start is None:
        errors.add(
            "release_date",
            _(
                "Enter the day the person was released or handed over for temporary execution, or the day "
                "the decision took effect."
            ),
            code="required",
        )
    else:
        _check_release_after_effective(terms, errors)
    end = terms.original_term_end
    if life and end is not None:
        errors.add(
            "original_term_end",
            _(
                "A life sentence has no end date: temporary execution lasts until its ground ends "
                "(Criminal Procedure Law 265)."
            ),
            code="life_has_no_end",
        )
    elif start is not None and end is not None and end < start:
        errors.add(
            "original_term_end",
            _("The original sentence cannot end before temporary execution starts (%(start)s)."),
            code="original_term_end_before_start",
            params={"start": start},
        )
    errors.raise_if_any()

    params = {"ground": TEMPORARY_EXECUTION_GROUNDS[ground], "start": start, "end": end}
    from_release = terms.release_date is not None
    if end is None and from_release:
        message = _(
            "Temporary execution outside prison for %(ground)s: from %(start)s, the day of release, until "
            "the ground ends (Criminal Procedure Law 265)."
        )
    elif end is None:
        message = _(
            "Temporary execution outside prison for %(ground)s: from %(start)s, the day the decision took "
            "effect, until the ground ends (Criminal Procedure Law 265)."
        )
    elif from_release:
        message = _(
            "Temporary execution outside prison for %(ground)s: from %(start)s, the day of release, until "
            "the ground ends and at the latest %(end)s, the day the original sentence would end (Criminal "
            "Procedure Law 265)."
        )
    else:
        message = _(
            "Temporary execution outside prison for %(ground)s: from %(start)s, the day the decision took "
            "effect, until the ground ends and at the latest %(end)s, the day the original sentence would "
            "end (Criminal Procedure Law 265)."
        )
    return Period(
        start_date=start, end_date=end, rule="temporary_execution", explanation=_explain(message, params)
    )


# --- helpers ---------------------------------------------------------------------------------------


class _Errors:
    """Collects field-keyed errors so that one response names every field at fault."""

    def __init__(self) -> None:
        self._by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: Any, *, code: str, params: dict[str, Any] | None = None) -> None:
        if params:
            params = {key: _display(value) for key, value in params.items()}
        self._by_field.setdefault(field, []).append(ValidationError(message, code=code, params=params))

    def raise_if_any(self) -> None:
        if self._by_field:
            raise ValidationError(self._by_field)


def _require_effective_date(terms: SentenceTerms, errors: _Errors) -> None:
    if terms.effective_date is None:
        errors.add(
            "effective_date",
            _("Enter the day the judgment took effect: the correction period is counted from it."),
            code="required",
        )


def _check_release_after_effective(terms: SentenceTerms, errors: _Errors) -> None:
    if terms.release_date and terms.effective_date and terms.release_date < terms.effective_date:
        errors.add(
            "release_date",
            _("The day of release (%(release)s) cannot be before the decision took effect (%(effective)s)."),
            code="release_before_effective",
            params={"release": terms.release_date, "effective": terms.effective_date},
        )


def _require_months(errors: _Errors, field: str, months: int | None, missing_message: Any) -> bool:
    """True when `months` is a whole number to check against the rules; otherwise records why not."""
    if months is None:
        errors.add(field, missing_message, code="required")
        return False
    if isinstance(months, bool) or not isinstance(months, int):
        errors.add(field, _("Enter a whole number of months."), code="invalid")
        return False
    return True


def _display(value: Any) -> Any:
    # Dates appear in messages as ISO 8601 (2026-01-10), whatever the active language.
    return value.isoformat() if isinstance(value, datetime.date) else value


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    return str(message) % {key: _display(value) for key, value in params.items()}


# Translated when read, in the reader's language, like the messages it is built from.
_explain = lazy(_interpolate, str)
