"""The default answer deadlines cite the law rightly (coordination/migrations/0003): the court's 30
days on a revocation proposal are CCL 48 para. 1, and the migration is reversible."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from coordination.models import ReferralDeadline

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("coordination.migrations.0003_correct_deadline_bases")


def default(kind: str) -> ReferralDeadline:
    return ReferralDeadline.objects.get(district=None, kind=kind, effective_from=dt.date(2020, 7, 1))


def test_the_revocation_default_cites_ccl_48_and_keeps_its_30_days():
    row = default("revocation_proposal")
    assert row.days == 30
    assert row.basis.startswith("Community Correction Law art. 48 para. 1")
    assert "47" not in row.basis


def test_no_default_cites_an_unchecked_measures_article_and_the_working_days_are_explained():
    bases = {row.kind: row.basis for row in ReferralDeadline.objects.filter(district=None)}
    assert not any("Measures 1" in b or "Measures 3" in b for b in bases.values())
    assert "10 calendar days" in bases["investigation_request"]
    assert "art. 20" in bases["document_handover"] and "within 10" in bases["document_handover"]


def test_the_correction_is_reversible_and_leaves_an_administrators_text_alone():
    MIGRATION.restore(apps, None)
    assert default("revocation_proposal").basis.startswith("CCL 47")
    MIGRATION.correct(apps, None)
    assert default("revocation_proposal").basis.startswith("Community Correction Law art. 48")
    ReferralDeadline.objects.filter(pk=default("transfer").pk).update(basis="省厅规定")
    MIGRATION.restore(apps, None)
    MIGRATION.correct(apps, None)
    assert default("transfer").basis == "省厅规定"
