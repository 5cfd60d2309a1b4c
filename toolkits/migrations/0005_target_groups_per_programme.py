"""Target groups belong to a programme (its coordinators edit the list) and are named by it;
naming one is optional. Languages and currencies are any ISO 639-1 / ISO 4217 code, checked by
validators instead of fixed EU choices."""

import django.db.models.deletion
from django.db import migrations, models

import toolkits.vocabulary


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0011_commitment_belongs_to_a_framework"),
        ("toolkits", "0004_rendering_job_lease_and_fingerprint"),
    ]

    operations = [
        migrations.AddField(
            model_name="targetgroup",
            name="programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="target_groups",
                to="mentoring.programme",
                verbose_name="programme",
            ),
        ),
        migrations.AddField(
            model_name="targetgroup",
            name="name",
            field=models.CharField(default="", max_length=120, verbose_name="name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="targetgroup",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterField(
            model_name="targetgroup",
            name="code",
            field=models.CharField(blank=True, max_length=20, verbose_name="code"),
        ),
        migrations.AlterModelOptions(
            name="targetgroup",
            options={
                "ordering": ["programme", "position", "pk"],
                "verbose_name": "target group",
                "verbose_name_plural": "target groups",
            },
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="target_groups",
            field=models.ManyToManyField(
                blank=True,
                related_name="practices",
                to="toolkits.targetgroup",
                verbose_name="target groups",
            ),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="commitments",
            field=models.ManyToManyField(
                blank=True,
                related_name="good_practices",
                to="mentoring.commitment",
                verbose_name="commitments",
            ),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="currency",
            field=models.CharField(
                default="EUR",
                max_length=3,
                validators=[toolkits.vocabulary.validate_currency],
                verbose_name="currency",
            ),
        ),
        migrations.AlterField(
            model_name="goodpractice",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the practice is written in.",
                max_length=2,
                validators=[toolkits.vocabulary.validate_language],
                verbose_name="language",
            ),
        ),
        migrations.AlterField(
            model_name="toolkit",
            name="language",
            field=models.CharField(
                default="en",
                help_text="The language the introduction and success factors are written in.",
                max_length=2,
                validators=[toolkits.vocabulary.validate_language],
                verbose_name="language",
            ),
        ),
    ]
