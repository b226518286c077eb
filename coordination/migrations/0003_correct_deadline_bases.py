"""Correct the `basis` texts of the default answer deadlines, checked against the laws' texts
(corrections/law.py): the court's 30 days on a revocation proposal are CCL 48 para. 1 (CCL 47 is the
arrest request); CCL 20 gives the deciding agency 5 days to notify and 10 to deliver the documents; the
investigation's "10 working days" is stored, and counted, as 10 calendar days; the Implementation
Measures' article numbers, which could not be checked, are no longer cited.

Only the default rows (no district, effective 2020-07-01) whose text is still the one written by
0002 are changed, so an administrator's own wording stays; the days are not changed. Reversible."""

import datetime as dt

from django.db import migrations

EFFECTIVE = dt.date(2020, 7, 1)
# kind: (the text of 0002, the corrected text); English, like every basis text.
CORRECTIONS = {
    "revocation_proposal": (
        "CCL 47: the court decides within 30 days of receiving the proposal",
        "Community Correction Law art. 48 para. 1: the court rules within 30 days of receiving the proposal",
    ),
    "recommitment_proposal": (
        "CCL 49: the deciding agency decides within 30 days",
        "Community Correction Law art. 49 para. 2: the deciding agency decides within 30 days of receiving it",
    ),
    "investigation_request": (
        "Measures 14: the assessment is returned within 10 working days",
        "Implementation Measures (not checked here): the assessment is returned within 10 working days; "
        "stored and counted as 10 calendar days",
    ),
    "document_handover": (
        "Measures 12: documents are handed over within 5 days",
        "Community Correction Law art. 20: the deciding agency notifies within 5 days and delivers the "
        "documents within 10; 5 days is the office's default",
    ),
    "procuratorial_notice": (
        "CCL 62: the notice is answered in writing; local practice 30 days",
        "Community Correction Law art. 62: the notice is answered in writing; local practice 30 days",
    ),
    "transfer": (
        "Measures 30: the receiving office answers within 10 days",
        "Implementation Measures (not checked here): the receiving office answers within 10 days",
    ),
}


def _swap(apps, *, forward: bool) -> None:
    ReferralDeadline = apps.get_model("coordination", "ReferralDeadline")
    for kind, (old, new) in CORRECTIONS.items():
        before, after = (old, new) if forward else (new, old)
        ReferralDeadline.objects.filter(
            district=None, kind=kind, effective_from=EFFECTIVE, basis=before
        ).update(basis=after)


def correct(apps, schema_editor):
    _swap(apps, forward=True)


def restore(apps, schema_editor):
    _swap(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0002_default_deadlines")]
    operations = [migrations.RunPython(correct, restore)]
