from django.db import migrations

# The seven kinds that were code until now, with the rules the code gave them. Copied here so
# that this migration keeps doing what it did when the list in the code changes.
STANDARD_KINDS = [
    # code, name, scope, hosted, host side, usual days
    ("launch_meeting", "Launch meeting", "programme", False, "", 2),
    ("study_visit", "Study visit", "pairing", True, "mentor", 3),
    ("mentoring_visit", "Mentoring visit", "pairing", True, "implementing", 3),
    ("peer_review", "Peer review", "either", True, "", 2),
    ("webinar", "Webinar", "either", False, "", 1),
    ("conference", "Conference", "programme", False, "", 2),
    ("final_meeting", "Final meeting", "programme", False, "", 1),
]


def give_kinds(apps, schema_editor):
    """Every programme gets today's seven kinds; each event keeps its kind, now its
    programme's row of the same code."""
    Programme = apps.get_model("mentoring", "Programme")
    EventKind = apps.get_model("mentoring", "EventKind")
    Event = apps.get_model("mentoring", "Event")
    for programme in Programme.objects.all():
        for code, name, scope, hosted, host_side, days in STANDARD_KINDS:
            kind, _created = EventKind.objects.get_or_create(
                programme=programme,
                code=code,
                defaults={
                    "name": name,
                    "scope": scope,
                    "hosted": hosted,
                    "host_side": host_side,
                    "usual_days": days,
                },
            )
            Event.objects.filter(programme=programme, kind=code).update(kind_of_programme=kind)


def take_kinds_back(apps, schema_editor):
    """Back to codes: each event's kind code is still in its old column; drop the rows."""
    Event = apps.get_model("mentoring", "Event")
    Event.objects.update(kind_of_programme=None)
    apps.get_model("mentoring", "EventKind").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0013_event_kinds_and_times")]
    operations = [migrations.RunPython(give_kinds, take_kinds_back)]
