from collections import Counter
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

# Events had dates only: they become 09:00 on the first day to 17:00 on the last, local time.
STARTS, ENDS = time(9), time(17)


def usual_zone(programme, City) -> str:
    """The zone most of the programme's cities are in (the first by name on a tie), else the
    server's."""
    zones = Counter(
        City.objects.filter(participations__programme=programme)
        .exclude(time_zone="")
        .order_by("time_zone")
        .values_list("time_zone", flat=True)
    )
    return zones.most_common(1)[0][0] if zones else settings.TIME_ZONE


def fill(apps, schema_editor):
    """Every event gets the host city's zone (or its programme's usual one) and moments from
    its dates; the dates themselves stay as they are."""
    Programme = apps.get_model("mentoring", "Programme")
    Event = apps.get_model("mentoring", "Event")
    City = apps.get_model("cities", "City")
    for programme in Programme.objects.all():
        fallback = usual_zone(programme, City)
        events = Event.objects.filter(programme=programme).select_related("host_city")
        for event in events:
            host_zone = event.host_city.time_zone if event.host_city_id else ""
            event.time_zone = host_zone or fallback
            zone = ZoneInfo(event.time_zone)
            event.starts_at = datetime.combine(event.starts_on, STARTS, tzinfo=zone)
            event.ends_at = datetime.combine(event.ends_on, ENDS, tzinfo=zone)
            event.save(update_fields=["time_zone", "starts_at", "ends_at"])


def empty(apps, schema_editor):
    apps.get_model("mentoring", "Event").objects.update(starts_at=None, ends_at=None, time_zone="")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0004_fill_city_time_zones"),
        ("mentoring", "0014_fill_programme_event_kinds"),
    ]
    operations = [migrations.RunPython(fill, empty)]
