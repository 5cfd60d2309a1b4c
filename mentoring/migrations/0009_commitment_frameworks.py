"""Commitment frameworks as data: a programme has one or none, a framework has numbered
commitments (optionally grouped) and cities sign frameworks. The Charter's commitment rows
become ``Commitment`` rows of a framework (filled in by the next migration)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0002_city_old_slugs"),
        ("mentoring", "0008_programme_old_slugs"),
        ("actionplans", "0002_planpdf_job_lease_and_fingerprint"),
        ("toolkits", "0004_rendering_job_lease_and_fingerprint"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommitmentFramework",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "preset",
                    models.CharField(
                        blank=True,
                        editable=False,
                        help_text="The preset it was added from, if any.",
                        max_length=40,
                        verbose_name="preset",
                    ),
                ),
            ],
            options={
                "verbose_name": "commitment framework",
                "verbose_name_plural": "commitment frameworks",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="CommitmentGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="groups",
                        to="mentoring.commitmentframework",
                        verbose_name="framework",
                    ),
                ),
            ],
            options={
                "verbose_name": "commitment group",
                "verbose_name_plural": "commitment groups",
                "ordering": ["framework", "position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework", "name"), name="commitment_group_unique_name"
                    )
                ],
            },
        ),
        migrations.RenameModel(old_name="CharterCommitment", new_name="Commitment"),
        migrations.AlterModelOptions(
            name="commitment",
            options={
                "ordering": ["framework", "number"],
                "verbose_name": "commitment",
                "verbose_name_plural": "commitments",
            },
        ),
        migrations.AlterField(
            model_name="commitment",
            name="number",
            field=models.PositiveSmallIntegerField(
                validators=[django.core.validators.MinValueValidator(1)], verbose_name="number"
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="framework",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="commitments",
                to="mentoring.commitmentframework",
                verbose_name="framework",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="title",
            field=models.CharField(default="", max_length=300, verbose_name="title"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="commitment",
            name="group",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="commitments",
                to="mentoring.commitmentgroup",
                verbose_name="group",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="framework",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The commitments the programme's schemes and practices serve and its cities "
                    "sign; none if it has no such framework."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programmes",
                to="mentoring.commitmentframework",
                verbose_name="commitment framework",
            ),
        ),
        migrations.AlterField(
            model_name="scheme",
            name="commitments",
            field=models.ManyToManyField(
                blank=True,
                help_text="Commitments of the programme's framework that the scheme serves.",
                related_name="schemes",
                to="mentoring.commitment",
                verbose_name="commitments",
            ),
        ),
        migrations.CreateModel(
            name="FrameworkSignature",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("signed_on", models.DateField(blank=True, null=True, verbose_name="signed on")),
                (
                    "city",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="framework_signatures",
                        to="cities.city",
                        verbose_name="city",
                    ),
                ),
                (
                    "framework",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signatures",
                        to="mentoring.commitmentframework",
                        verbose_name="framework",
                    ),
                ),
            ],
            options={
                "verbose_name": "framework signature",
                "verbose_name_plural": "framework signatures",
                "ordering": ["framework", "city"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("framework", "city"), name="framework_signature_once_per_city"
                    )
                ],
            },
        ),
    ]
