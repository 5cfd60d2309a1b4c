"""The audit trail's "Object contains" search on a million entries: a trigram index on the
upper-cased name of the object (django-auditlog's ``object_repr``), as ``icontains`` compares it.

PostgreSQL only (with its pg_trgm extension; SQLite has neither and reads every row). The table
is django-auditlog's, so the index is made here rather than on its model, as toolkits/migrations/
0003 makes the catalogue's. Built CONCURRENTLY, outside a transaction, so that the changes being
recorded meanwhile do not wait for it. Besides finding rare words at once, the index gives the
planner statistics on the expression, so that it knows a common word needs only the newest rows.
"""

from django.conf import settings
from django.db import migrations

INDEX = "audit_logentry_object_repr_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model(settings.AUDITLOG_LOGENTRY_MODEL)._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON {table} "
        "USING gin (UPPER(object_repr) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("audit", "0001_audit_scope"),
        migrations.swappable_dependency(settings.AUDITLOG_LOGENTRY_MODEL),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
