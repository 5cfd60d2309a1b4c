"""Create the 11 Integrating Cities Charter commitments: reference data every programme shares."""

from django.db import migrations

NUMBERS = range(1, 12)


def create_commitments(apps, schema_editor):
    CharterCommitment = apps.get_model("mentoring", "CharterCommitment")
    for number in NUMBERS:
        CharterCommitment.objects.get_or_create(number=number)


def delete_commitments(apps, schema_editor):
    apps.get_model("mentoring", "CharterCommitment").objects.filter(number__in=NUMBERS).delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(create_commitments, delete_commitments)]
