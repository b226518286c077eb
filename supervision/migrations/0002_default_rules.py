"""The defaults of docs/rules.md#local-rules-in-force as data an administrator can change with an effective date: reporting
duties per management level, the leave approval tiers and the discipline thresholds. They take effect with the Community
Correction Law (2020-07-01); provinces that differ add their own rows from their own date."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

EFFECTIVE = dt.date(2020, 7, 1)
IN_PERSON = ["in_person"]
REMOTE = ["in_person", "video", "phone", "self_report"]
RULES = [
    # level, duty, every_days, hours_per_month, kinds that count
    ("strict", "report", 7, None, IN_PERSON),
    ("strict", "home_visit", 30, None, ["home_visit"]),
    ("strict", "education", None, Decimal("8"), ["education"]),
    ("strict", "community_service", None, Decimal("8"), ["community_service"]),
    ("normal", "report", 14, None, REMOTE),
    ("normal", "home_visit", 60, None, ["home_visit"]),
    ("lenient", "report", 30, None, [*REMOTE, "written_report"]),
    ("lenient", "home_visit", 90, None, ["home_visit"]),
]
TIERS = [
    # up to days, approved at, notify the procuratorate
    (7, "justice_office", False),
    (30, "district", False),
    (None, "city", True),
]


def create(apps, schema_editor):
    ReportingRule = apps.get_model("supervision", "ReportingRule")
    LeaveTier = apps.get_model("supervision", "LeaveTier")
    for level, duty, every_days, hours, kinds in RULES:
        ReportingRule.objects.get_or_create(
            district=None,
            management_level=level,
            duty=duty,
            effective_from=EFFECTIVE,
            defaults={"every_days": every_days, "hours_per_month": hours, "qualifying_kinds": kinds},
        )
    apps.get_model("supervision", "DisciplineRule").objects.get_or_create(
        district=None, effective_from=EFFECTIVE
    )
    for max_days, level, notify in TIERS:
        LeaveTier.objects.get_or_create(
            district=None,
            approval_level=level,
            effective_from=EFFECTIVE,
            defaults={"max_days": max_days, "notify_procuratorate": notify},
        )


def remove(apps, schema_editor):
    apps.get_model("supervision", "ReportingRule").objects.filter(
        district=None, effective_from=EFFECTIVE
    ).delete()
    apps.get_model("supervision", "LeaveTier").objects.filter(
        district=None, effective_from=EFFECTIVE
    ).delete()
    apps.get_model("supervision", "DisciplineRule").objects.filter(
        district=None, effective_from=EFFECTIVE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
