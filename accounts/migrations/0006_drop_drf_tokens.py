"""DRF's authtoken kept API tokens in clear, without expiry; the project now uses django-rest-knox
(digests, expiry). The old table goes with the keys in it: every old token stopped working when the app
was removed, and keeping them in clear helps nobody. A database that never had it is left as it is.
Reversing restores nothing (the keys are gone by design)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_audit_action_delete")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
