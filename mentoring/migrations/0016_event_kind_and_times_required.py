import django.db.models.deletion
from django.db import migrations, models

import cities.timezones


class Migration(migrations.Migration):
    """Every event now has its programme's kind, its moments and its zone: the old kind codes
    and the rules written on them go; the kind rules are the kind's flags, checked by the
    event service."""

    dependencies = [("mentoring", "0015_fill_event_times_in_zones")]

    operations = [
        migrations.RemoveConstraint(model_name="event", name="event_visit_has_host_city"),
        migrations.RemoveConstraint(model_name="event", name="event_visit_has_pairing"),
        migrations.RemoveConstraint(model_name="event", name="event_meeting_is_programme_wide"),
        migrations.RemoveField(model_name="event", name="kind"),
        migrations.RenameField(model_name="event", old_name="kind_of_programme", new_name="kind"),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="events",
                to="mentoring.eventkind",
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="starts_at",
            field=models.DateTimeField(verbose_name="starts at"),
        ),
        migrations.AlterField(
            model_name="event",
            name="ends_at",
            field=models.DateTimeField(verbose_name="ends at"),
        ),
        migrations.AlterField(
            model_name="event",
            name="time_zone",
            field=models.CharField(
                help_text="The host city's zone for hosted events; chosen for the others.",
                max_length=64,
                validators=[cities.timezones.validate_time_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="starts_on",
            field=models.DateField(editable=False, verbose_name="starts on"),
        ),
        migrations.AlterField(
            model_name="event",
            name="ends_on",
            field=models.DateField(editable=False, verbose_name="ends on"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gte", models.F("starts_at"))),
                name="event_end_moment_not_before_start",
            ),
        ),
    ]
