"""Every commitment now belongs to a framework, and its number is unique within it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0010_charter_becomes_a_framework")]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="framework",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="mentoring.commitmentframework",
                verbose_name="framework",
            ),
        ),
        migrations.AddConstraint(
            model_name="commitment",
            constraint=models.UniqueConstraint(
                fields=("framework", "number"), name="commitment_unique_number"
            ),
        ),
    ]
