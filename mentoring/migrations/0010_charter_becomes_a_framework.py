"""The 11 Integrating Cities Charter commitments, until now fixed in code, become the
commitments of a framework "Integrating Cities Charter" (grouped by the city's four roles),
which every existing programme gets. Schemes, practices and actions keep the commitments they
chose (the rows stay, they only gain a framework). Cities that signed the Charter get a
signature of the framework with the same date."""

from django.db import migrations

NAME = "Integrating Cities Charter"
GROUPS = [
    ("Policy-makers", (1, 2, 3)),
    ("Service providers", (4, 5)),
    ("Employers", (6, 7, 8)),
    ("Buyers of goods and services", (9, 10, 11)),
]
TITLES = {
    1: "Communicate the commitment to equal opportunities for everyone",
    2: "Ensure equal access and non-discrimination across all policies",
    3: "Facilitate migrants' engagement in policy-making",
    4: "Support equal access to services",
    5: "Ensure migrants' needs are understood and met",
    6: "Reflect the city's diversity in the workforce at all levels",
    7: "Fair and equal treatment of all staff",
    8: "Staff understand and respect diversity and equality",
    9: "Apply equality and diversity principles in procurement",
    10: "Promote equality and diversity among contractors",
    11: "Promote a diverse supplier base",
}


def charter_to_framework(apps, schema_editor):
    Framework = apps.get_model("mentoring", "CommitmentFramework")
    Group = apps.get_model("mentoring", "CommitmentGroup")
    Commitment = apps.get_model("mentoring", "Commitment")
    Programme = apps.get_model("mentoring", "Programme")
    Signature = apps.get_model("mentoring", "FrameworkSignature")
    City = apps.get_model("cities", "City")
    framework, _ = Framework.objects.get_or_create(
        name=NAME,
        defaults={
            "preset": "integrating-cities-charter",
            "description": "EUROCITIES' charter: cities commit to equal opportunities for "
            "migrants as policy-makers, service providers, employers and buyers.",
            "website": "https://integratingcities.eu/",
        },
    )
    for position, (name, numbers) in enumerate(GROUPS):
        group, _ = Group.objects.get_or_create(
            framework=framework, name=name, defaults={"position": position}
        )
        for number in numbers:
            row = Commitment.objects.filter(number=number, framework__isnull=True).first()
            if row is None:
                row = Commitment(number=number)
            row.framework = framework
            row.title = TITLES[number]
            row.group = group
            row.save()
    # Rows that were never Charter commitments cannot exist (the numbers were 1 to 11).
    Programme.objects.filter(framework__isnull=True).update(framework=framework)
    for city in City.objects.filter(charter_signatory=True):
        Signature.objects.get_or_create(
            framework=framework, city=city, defaults={"signed_on": city.charter_signed_on}
        )


def framework_to_charter(apps, schema_editor):
    Framework = apps.get_model("mentoring", "CommitmentFramework")
    Commitment = apps.get_model("mentoring", "Commitment")
    City = apps.get_model("cities", "City")
    framework = Framework.objects.filter(name=NAME).first()
    if framework is None:
        return
    for signature in framework.signatures.all():
        City.objects.filter(pk=signature.city_id).update(
            charter_signatory=True, charter_signed_on=signature.signed_on
        )
    # Other frameworks' commitments have no place in the old model.
    Commitment.objects.exclude(framework=framework).delete()
    Commitment.objects.update(framework=None, group=None, title="")
    apps.get_model("mentoring", "Programme").objects.update(framework=None)
    Framework.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0009_commitment_frameworks")]

    operations = [migrations.RunPython(charter_to_framework, framework_to_charter)]
