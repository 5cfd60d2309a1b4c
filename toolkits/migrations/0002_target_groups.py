"""Create one target group per audience: reference data every programme shares."""

from django.db import migrations

CODES = [
    "newcomers",
    "refugees",
    "minors",
    "youth",
    "women",
    "entrepreneurs",
    "job_seekers",
    "labour_migrants",
    "employers",
    "schools",
    "city_staff",
    "residents",
]


def create_target_groups(apps, schema_editor):
    TargetGroup = apps.get_model("toolkits", "TargetGroup")
    for code in CODES:
        TargetGroup.objects.get_or_create(code=code)


def delete_target_groups(apps, schema_editor):
    apps.get_model("toolkits", "TargetGroup").objects.filter(code__in=CODES).delete()


class Migration(migrations.Migration):
    dependencies = [("toolkits", "0001_good_practices_toolkits_editions")]

    operations = [migrations.RunPython(create_target_groups, delete_target_groups)]
