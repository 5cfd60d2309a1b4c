"""Every target group belongs to a programme and is named once in it; the old codes go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("toolkits", "0006_target_groups_into_each_programme")]

    operations = [
        migrations.RemoveField(model_name="targetgroup", name="code"),
        migrations.AlterField(
            model_name="targetgroup",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="target_groups",
                to="mentoring.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AddConstraint(
            model_name="targetgroup",
            constraint=models.UniqueConstraint(
                fields=("programme", "name"), name="target_group_unique_name_per_programme"
            ),
        ),
    ]
