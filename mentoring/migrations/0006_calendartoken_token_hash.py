from django.db import migrations, models


class Migration(migrations.Migration):
    """The calendar token's column will hold its SHA-256 (the next migration hashes it)."""

    dependencies = [
        ("mentoring", "0005_expertorganisation_created_by"),
    ]

    operations = [
        migrations.RenameField(model_name="calendartoken", old_name="token", new_name="token_hash"),
        migrations.AlterField(
            model_name="calendartoken",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, verbose_name="token's SHA-256"),
        ),
    ]
