"""A city's Charter signature is now a signature of the Charter framework
(mentoring.FrameworkSignature, filled by mentoring's migration 0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0004_fill_city_time_zones"),
        ("mentoring", "0010_charter_becomes_a_framework"),
    ]

    operations = [
        migrations.RemoveField(model_name="city", name="charter_signatory"),
        migrations.RemoveField(model_name="city", name="charter_signed_on"),
    ]
