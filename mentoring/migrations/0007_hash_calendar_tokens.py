"""Store each calendar token as its SHA-256, in place: the links people subscribed to keep
working, since a feed looks its token up by the hash of what the address carries."""

import hashlib

from django.db import migrations


def hash_tokens(apps, schema_editor):
    CalendarToken = apps.get_model("mentoring", "CalendarToken")
    for row in CalendarToken.objects.only("pk", "token_hash").iterator():
        hashed = hashlib.sha256(row.token_hash.encode("utf-8")).hexdigest()
        CalendarToken.objects.filter(pk=row.pk).update(token_hash=hashed)


def forget_tokens(apps, schema_editor):
    """A hash cannot be turned back into the secret: going back deletes the links, and people
    make new ones on their calendar page."""
    apps.get_model("mentoring", "CalendarToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0006_calendartoken_token_hash"),
    ]

    operations = [migrations.RunPython(hash_tokens, forget_tokens)]
