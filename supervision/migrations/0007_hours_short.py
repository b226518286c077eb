# The sweep's hours_short kind (community.duties, issue 15); renumbered at the merge after the health
# reports and leave migrations, so its choices list every kind.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0006_leave_by_the_law"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("missed_report", "Missed report"),
                    ("intake_overdue", "Intake overdue"),
                    ("leave_overdue", "Not back from leave"),
                    ("term_ending", "Period ending"),
                    ("referral_overdue", "Referral overdue"),
                    ("positioning_ending", "Electronic positioning ending"),
                    ("arrest_overdue", "Arrest decision overdue"),
                    ("custody_over_limit", "Custody past its limit"),
                    ("medical_report_missing", "Monthly health report missing"),
                    ("reexamination_overdue", "Medical re-examination overdue"),
                    ("hours_short", "Hours short"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
    ]
