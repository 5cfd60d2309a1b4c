import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Programmes get their own event kinds, and events moments with a time zone; the old
    ``kind`` codes and the dates stay until the next migrations have carried them over."""

    dependencies = [
        ("cities", "0004_fill_city_time_zones"),
        ("mentoring", "0012_programme_currency_and_cost_model_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventKind",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="A short name for links and exports; made from the name when left empty.",
                        max_length=40,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("pairing", "Between the two cities of a pairing"),
                            ("programme", "Gathers the whole programme"),
                            ("either", "Either"),
                        ],
                        default="either",
                        max_length=10,
                        verbose_name="who it is for",
                    ),
                ),
                (
                    "hosted",
                    models.BooleanField(
                        default=False,
                        help_text="Such events need a host city, and their times are in the host city's zone.",
                        verbose_name="hosted in person by a city",
                    ),
                ),
                (
                    "host_side",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Either city"),
                            ("mentor", "The mentor city"),
                            ("implementing", "The implementing city"),
                        ],
                        default="",
                        help_text="For events of a pairing: which of its two cities hosts.",
                        max_length=12,
                        verbose_name="hosted by",
                    ),
                ),
                (
                    "usual_days",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="A new event's last day is filled in from this, e.g. 6 for a study visit.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(60),
                        ],
                        verbose_name="usual length in days",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_kinds",
                        to="mentoring.programme",
                        verbose_name="programme",
                    ),
                ),
            ],
            options={
                "verbose_name": "event kind",
                "verbose_name_plural": "event kinds",
                "ordering": ["programme", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("programme", "code"), name="event_kind_unique_code"
                    ),
                    models.UniqueConstraint(
                        fields=("programme", "name"), name="event_kind_unique_name"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("usual_days__gte", 1), ("usual_days__lte", 60)),
                        name="event_kind_usual_days_in_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("host_side", ""),
                            models.Q(("hosted", True), ("scope", "pairing")),
                            _connector="OR",
                        ),
                        name="event_kind_host_side_only_for_hosted_pairing_kinds",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="event",
            name="kind_of_programme",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="mentoring.eventkind",
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="starts_at",
            field=models.DateTimeField(null=True, verbose_name="starts at"),
        ),
        migrations.AddField(
            model_name="event",
            name="ends_at",
            field=models.DateTimeField(null=True, verbose_name="ends at"),
        ),
        migrations.AddField(
            model_name="event",
            name="time_zone",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="time zone"),
        ),
    ]
