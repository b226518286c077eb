"""reports.statistics against an independent count (tests/reports/history.py) on generated histories with
transfers, deaths, revocations, absconding and custody, and back-dated edits."""

import datetime as dt

import pytest

from corrections.constants import Category, CrimeChapter, Education, Gender, ManagementLevel, Status
from corrections.models import Supervisee
from corrections.scoping import supervisees_visible_to
from corrections.services import supervisee_transition, supervisee_update
from reports.statistics import AGE_BANDS, born_on_or_before_for_age, monthly_statistics
from supervision.models import ReportingRule
from tests.factories import SuperviseeFactory

from .history import EXIT_REASONS, MONTHS, age, expected_figures, rows_of

pytestmark = pytest.mark.django_db
CORE = ("opening", "intake", "exits", "closing", "absconded", "cumulative")
BREAKDOWN_CODES = {
    "by_category": Category.values,
    "by_gender": Gender.values,
    "by_education": Education.values,
    "by_management_level": ManagementLevel.values,
    "by_crime_chapter": CrimeChapter.values,
    "by_age_band": list(AGE_BANDS),
}


def test_the_generated_history_has_every_kind_of_event(history):
    reasons = set(Supervisee.objects.exclude(exit_reason="").values_list("exit_reason", flat=True))
    assert reasons == set(EXIT_REASONS), "the seed should produce every exit reason"
    assert Supervisee.objects.filter(intake_date__isnull=True, exit_date__isnull=False).exists()
    assert Supervisee.objects.filter(status=Status.ABSCONDED).exists()
    statuses = set(
        Supervisee.objects.values_list("status_changes__to_status", flat=True).exclude(
            status_changes__to_status=None
        )
    )
    assert {"absconded", "in_custody", "under_supervision"} <= statuses
    assert len(history) == 64


def test_every_month_matches_the_independent_count(history, supervisor):
    scope = supervisees_visible_to(supervisor)
    rows = rows_of(scope)
    assert len(rows) == 64  # the other district's case is out of scope
    seen_nonzero = set()
    for month in MONTHS:
        got = monthly_statistics(supervisees=scope, month=month)
        want = expected_figures(rows, month)
        assert got["month"] == month.strftime("%Y-%m")
        for key in (*CORE, *BREAKDOWN_CODES, "measures", "reoffended"):
            assert got[key] == want[key], f"{month:%Y-%m} {key}: {got[key]} != {want[key]}"
        assert got["report_compliance"] == pytest.approx(want["report_compliance"], abs=1e-4), month
        assert got["report_compliance"] == round(got["report_compliance"], 4)
        assert got["closing"] == got["opening"] + got["intake"] - sum(got["exits"].values())
        for key, codes in BREAKDOWN_CODES.items():
            assert list(got[key]) == list(codes), f"every code of {key}, zeros included"
            assert sum(got[key].values()) == got["closing"], f"{month:%Y-%m} {key}"
        assert list(got["exits"]) == list(EXIT_REASONS)
        seen_nonzero |= {k for k in ("intake", "absconded", "reoffended") if got[k]}
        seen_nonzero |= {f"exits.{r}" for r, n in got["exits"].items() if n}
        seen_nonzero |= {f"measures.{k}" for k, n in got["measures"].items() if n}
    # The comparison is worth something only if the figures were not all zero.
    assert {"intake", "absconded", "reoffended", "measures.admonition", "measures.warning"} <= seen_nonzero
    assert {f"exits.{reason}" for reason in EXIT_REASONS} <= seen_nonzero


def test_one_office_counts_only_its_cases(history, supervisor, office):
    scope = supervisees_visible_to(supervisor).filter(justice_office=office)
    rows = rows_of(scope)
    assert 0 < len(rows) < 64
    for month in MONTHS:
        got = monthly_statistics(supervisees=scope, month=month)
        want = expected_figures(rows, month)
        for key in (*CORE, *BREAKDOWN_CODES, "measures", "reoffended"):
            assert got[key] == want[key], f"{month:%Y-%m} {key}"


def test_later_edits_leave_past_months_alone(history, supervisor):
    scope = supervisees_visible_to(supervisor)
    past = [m for m in MONTHS if m < dt.date(2026, 11, 1)]
    before = {m: monthly_statistics(supervisees=scope, month=m) for m in past}

    open_cases = list(scope.filter(status=Status.UNDER_SUPERVISION).order_by("pk"))
    assert len(open_cases) >= 3
    # Today's edits: a phone number and a management level; a case absconds today; another leaves.
    supervisee_update(supervisee=open_cases[0], by=supervisor, fields={"phone": "13900000000"})
    supervisee_update(
        supervisee=open_cases[1],
        by=supervisor,
        fields={"management_level": "lenient" if open_cases[1].management_level != "lenient" else "strict"},
    )
    supervisee_transition(
        supervisee=open_cases[2], by=supervisor, to="absconded", on=dt.date(2026, 11, 24), reason="失联"
    )
    supervisee_transition(
        supervisee=open_cases[3],
        by=supervisor,
        to="transferred_out",
        on=dt.date(2026, 11, 24),
        reason="迁往外区",
    )
    # A case registered today for someone whose judgment took effect long ago, taken in today.
    late = SuperviseeFactory(
        justice_office=open_cases[0].justice_office,
        status=Status.PENDING_REPORT,
        sentence__effective=dt.date(2026, 3, 2),
    )
    supervisee_transition(supervisee=late, by=supervisor, to="under_supervision", on=dt.date(2026, 11, 24))

    for month in past:
        after = monthly_statistics(supervisees=scope, month=month)
        for key in (*CORE, "by_category", "by_gender", "by_education", "by_crime_chapter", "by_age_band"):
            assert after[key] == before[month][key], f"{month:%Y-%m} {key} changed after a later edit"
        # The management level is today's (its history is not dated yet): it may move, never the total.
        assert sum(after["by_management_level"].values()) == before[month]["closing"]
    november = monthly_statistics(supervisees=scope, month=dt.date(2026, 11, 1))
    assert november["exits"]["transferred_out"] >= 1 and november["absconded"] >= 1


def test_age_bands_count_completed_years_on_the_last_day(office, supervisor):
    # 18 on 31 October 2026 exactly, and one day short of it; 61 on 30 November; a 29 February birthday.
    for born in (dt.date(2008, 10, 31), dt.date(2008, 11, 1), dt.date(1965, 11, 30), dt.date(1980, 2, 29)):
        SuperviseeFactory(justice_office=office, born=born, intake_date=dt.date(2026, 1, 15))
    scope = supervisees_visible_to(supervisor)
    october = monthly_statistics(supervisees=scope, month=dt.date(2026, 10, 1))
    # 1965-11-30 is 60 and 1980-02-29 is 46 on 31 October.
    assert october["by_age_band"] == {"under_18": 1, "18_45": 1, "46_60": 2, "61_plus": 0}
    november = monthly_statistics(supervisees=scope, month=dt.date(2026, 11, 1))
    assert november["by_age_band"] == {"under_18": 0, "18_45": 2, "46_60": 1, "61_plus": 1}
    assert age(dt.date(1980, 2, 29), dt.date(2026, 2, 28)) == 45
    assert born_on_or_before_for_age(46, dt.date(2024, 2, 29)) == dt.date(1978, 2, 28)


def test_report_compliance_counts_missed_reports_against_what_was_due(office, supervisor):
    from supervision.models import Alert

    # Strict (every 7 days) for all of October: 31/7 reports due; two missed.
    case = SuperviseeFactory(
        justice_office=office, management_level="strict", intake_date=dt.date(2026, 1, 15)
    )
    for due in (dt.date(2026, 10, 8), dt.date(2026, 10, 22)):
        Alert.objects.create(supervisee=case, kind="missed_report", due_date=due)
    scope = supervisees_visible_to(supervisor)
    october = monthly_statistics(supervisees=scope, month=dt.date(2026, 10, 1))
    assert october["report_compliance"] == round(1 - 2 / (31 / 7), 4)
    # The district's own rule, in force by the month's end, overrides the default.
    ReportingRule.objects.create(
        district=office.district,
        management_level="strict",
        duty="report",
        every_days=14,
        qualifying_kinds=["in_person"],
        effective_from=dt.date(2026, 10, 1),
    )
    october = monthly_statistics(supervisees=scope, month=dt.date(2026, 10, 1))
    assert october["report_compliance"] == round(1 - 2 / (31 / 14), 4)
    # Nothing due: full compliance, not a division by zero.
    empty = monthly_statistics(supervisees=scope.none(), month=dt.date(2026, 10, 1))
    assert empty["report_compliance"] == 1.0
    assert empty["closing"] == 0 and set(empty["by_gender"].values()) == {0}


def test_the_trends_months_counted_together_match_each_month_counted_alone(history, supervisor, office):
    # Issue 14: the trend counts its months in one pass (monthly_flow_by_month); every figure it shows is
    # the one the month's own statistics and the independent count give.
    from reports.statistics import monthly_flow_by_month

    for scope in (
        supervisees_visible_to(supervisor),
        supervisees_visible_to(supervisor).filter(justice_office=office),
    ):
        rows = rows_of(scope)
        together = monthly_flow_by_month(supervisees=scope, months=list(MONTHS))
        assert list(together) == list(MONTHS)
        nonzero = set()
        for month in MONTHS:
            alone = monthly_statistics(supervisees=scope, month=month)
            want = expected_figures(rows, month)
            for key in ("opening", "intake", "exits", "closing", "absconded", "report_compliance"):
                assert together[month][key] == alone[key], f"{month:%Y-%m} {key}"
            for key in ("opening", "intake", "exits", "closing", "absconded"):
                assert together[month][key] == want[key], f"{month:%Y-%m} {key}"
            nonzero |= {key for key in ("intake", "absconded", "closing") if together[month][key]}
            nonzero |= {"compliance<1"} if together[month]["report_compliance"] < 1 else set()
        assert {"intake", "absconded", "closing"} <= nonzero
