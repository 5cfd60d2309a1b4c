"""Today's twelve shared target groups become every existing programme's own list (same names,
same order); each practice keeps its groups, now those of its scheme's programme. Published
toolkit editions keep showing the same words: their frozen content names groups and
commitments instead of holding codes the code no longer defines."""

from django.db import migrations

GROUPS = [
    ("newcomers", "Newly arrived migrants"),
    ("refugees", "Refugees and asylum seekers"),
    ("minors", "Unaccompanied minors"),
    ("youth", "Young people with a migrant background"),
    ("women", "Migrant women"),
    ("entrepreneurs", "Migrant entrepreneurs"),
    ("job_seekers", "Job seekers"),
    ("labour_migrants", "Labour migrants"),
    ("employers", "Employers and businesses"),
    ("schools", "Schools and teachers"),
    ("city_staff", "City staff and public services"),
    ("residents", "Local residents"),
]
NAMES = dict(GROUPS)
CODES = {name: code for code, name in GROUPS}


def into_programmes(apps, schema_editor):
    TargetGroup = apps.get_model("toolkits", "TargetGroup")
    GoodPractice = apps.get_model("toolkits", "GoodPractice")
    Programme = apps.get_model("mentoring", "Programme")
    Commitment = apps.get_model("mentoring", "Commitment")
    Edition = apps.get_model("toolkits", "ToolkitEdition")
    shared = {group.pk: group.code for group in TargetGroup.objects.filter(programme=None)}
    own = {}
    for programme in Programme.objects.all():
        for position, (code, name) in enumerate(GROUPS):
            group, _ = TargetGroup.objects.get_or_create(
                programme=programme, name=name, defaults={"position": position, "code": code}
            )
            own[(programme.pk, code)] = group
    through = GoodPractice.target_groups.through
    for practice in GoodPractice.objects.select_related("scheme"):
        codes = [
            shared[pk]
            for pk in through.objects.filter(goodpractice_id=practice.pk).values_list(
                "targetgroup_id", flat=True
            )
            if pk in shared
        ]
        practice.target_groups.set(
            [own[(practice.scheme.programme_id, code)] for code in codes if code in NAMES]
        )
    TargetGroup.objects.filter(programme=None).delete()
    titles = {c.number: f"{c.number}. {c.title}" for c in Commitment.objects.all()}
    for edition in Edition.objects.all():
        for practice in edition.snapshot.get("practices", []):
            practice["target_groups"] = [
                NAMES.get(code, code) for code in practice.get("target_groups", [])
            ]
            practice["commitments"] = [
                titles.get(number, str(number)) if isinstance(number, int) else number
                for number in practice.get("commitments", [])
            ]
        edition.save(update_fields=["snapshot"])


def back_to_shared(apps, schema_editor):
    TargetGroup = apps.get_model("toolkits", "TargetGroup")
    GoodPractice = apps.get_model("toolkits", "GoodPractice")
    Edition = apps.get_model("toolkits", "ToolkitEdition")
    shared = {}
    for code, name in GROUPS:
        shared[name], _ = TargetGroup.objects.get_or_create(
            programme=None, code=code, defaults={"name": name}
        )
    for practice in GoodPractice.objects.prefetch_related("target_groups"):
        practice.target_groups.set(
            [shared[g.name] for g in practice.target_groups.all() if g.name in shared]
        )
    TargetGroup.objects.exclude(programme=None).delete()
    for edition in Edition.objects.all():
        for practice in edition.snapshot.get("practices", []):
            practice["target_groups"] = [
                CODES.get(name, name) for name in practice.get("target_groups", [])
            ]
            practice["commitments"] = [
                int(label.split(".", 1)[0]) if label.split(".", 1)[0].isdigit() else label
                for label in practice.get("commitments", [])
                if isinstance(label, str)
            ]
        edition.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0011_commitment_belongs_to_a_framework"),
        ("toolkits", "0005_target_groups_per_programme"),
    ]

    operations = [migrations.RunPython(into_programmes, back_to_shared)]
