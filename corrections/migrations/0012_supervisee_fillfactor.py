"""Room on each page of the case table for the row's next version (issue 14).

Every check-in updates its case's row (`last_contact_at`, the reporting clock). With full pages, PostgreSQL
writes the new version on another page and adds an entry to each of the table's fifteen indexes, two of
them trigram GIN indexes; with free space on the same page and no indexed column changed, the update is
"heap-only" (HOT) and touches no index. 90 leaves a tenth of each page free. It applies to pages written from
now on; `seed_scale` rewrites the table after loading (CLUSTER), and an existing database gets it at its
next `VACUUM FULL` or `CLUSTER`. PostgreSQL only (https://www.postgresql.org/docs/15/sql-createtable.html,
"fillfactor"; https://www.postgresql.org/docs/15/storage-hot.html).
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "corrections_supervisee" SET (fillfactor = 90)')


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE "corrections_supervisee" RESET (fillfactor)')


class Migration(migrations.Migration):
    dependencies = [("corrections", "0011_sweep_covering_indexes")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
