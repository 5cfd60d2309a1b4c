from django.db import migrations

from cities.timezones import suggest_time_zone


def fill(apps, schema_editor):
    """Give every existing city the zone suggested from its country and coordinates."""
    City = apps.get_model("cities", "City")
    for city in City.objects.filter(time_zone=""):
        city.time_zone = suggest_time_zone(str(city.country), city.latitude, city.longitude)
        city.save(update_fields=["time_zone"])


def empty(apps, schema_editor):
    apps.get_model("cities", "City").objects.update(time_zone="")


class Migration(migrations.Migration):
    dependencies = [("cities", "0003_city_time_zone")]
    operations = [migrations.RunPython(fill, empty)]
