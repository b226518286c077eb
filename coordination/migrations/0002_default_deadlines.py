"""Default answer deadlines per referral kind (*local* data: a province sets its own rows from its own
date). Where the law fixes a time it is named; the others are this office's working defaults."""

import datetime as dt

from django.db import migrations

EFFECTIVE = dt.date(2020, 7, 1)  # the Community Correction Law takes effect
DEADLINES = [
    ("revocation_proposal", 30, "CCL 47: the court decides within 30 days of receiving the proposal"),
    ("recommitment_proposal", 30, "CCL 49: the deciding agency decides within 30 days"),
    ("investigation_request", 10, "Measures 14: the assessment is returned within 10 working days"),
    ("document_handover", 5, "Measures 12: documents are handed over within 5 days"),
    ("absconder_search", 7, "Local practice: the police report back on the search within 7 days"),
    ("public_security_penalty", 30, "Local practice: the police decide on the penalty within 30 days"),
    ("procuratorial_notice", 30, "CCL 62: the notice is answered in writing; local practice 30 days"),
    ("transfer", 10, "Measures 30: the receiving office answers within 10 days"),
]


def create(apps, schema_editor):
    ReferralDeadline = apps.get_model("coordination", "ReferralDeadline")
    for kind, days, basis in DEADLINES:
        ReferralDeadline.objects.get_or_create(
            district=None, kind=kind, effective_from=EFFECTIVE, defaults={"days": days, "basis": basis}
        )


def remove(apps, schema_editor):
    apps.get_model("coordination", "ReferralDeadline").objects.filter(
        district=None, effective_from=EFFECTIVE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
