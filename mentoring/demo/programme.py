"""The demo programme's first steps: the programme, its schemes, cities and pairings, and the demo
people who act for them. Each step leaves what is already there as it is."""

from django.utils import translation

from accounts.demo import DemoRun, dated, demo_at, demo_user
from accounts.models import Role
from accounts.services import membership_grant
from cities.models import City
from config.slugs import slug_from

from ..models import (
    Commitment,
    ExpertOrganisation,
    Pairing,
    PairingStatus,
    Programme,
    Scheme,
)
from ..services import pairing_create, participation_add
from ..services.event_kinds import event_kinds_standard
from ..services.frames import preset_framework
from . import data as demo


def seed_programme(run: DemoRun) -> Programme:
    fields = dict(demo.PROGRAMME)
    slug = fields.pop("slug")
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        programme = Programme(
            slug=slug, framework=preset_framework("integrating-cities-charter"), **fields
        )
        programme.full_clean()
        programme.save()
    with translation.override("en"):  # the demo is written in English
        event_kinds_standard(programme=programme)
    run.made["programme"] = programme
    return programme


def seed_schemes(run: DemoRun) -> dict[str, Scheme]:
    experts = {}
    for key, (name, country) in demo.EXPERTS.items():
        experts[key], _created = ExpertOrganisation.objects.get_or_create(
            name=name, defaults={"country": country}
        )
    schemes = {}
    for code, theme, facilitator, commitments in demo.SCHEMES:
        scheme, created = Scheme.objects.get_or_create(
            programme=run.made["programme"],
            code=code,
            defaults={"theme": theme, "facilitator": experts[facilitator]},
        )
        if created:
            scheme.commitments.set(
                Commitment.objects.filter(
                    framework=run.made["programme"].framework_id, number__in=commitments
                )
            )
        schemes[code] = scheme
    run.made["schemes"] = schemes
    return schemes


def seed_cities(run: DemoRun) -> dict[str, City]:
    run.made["cities"] = join_cities(run.made["programme"], demo.CITIES)
    return run.made["cities"]


def join_cities(programme: Programme, rows) -> dict[str, City]:
    """The cities of ``rows`` (name, country, latitude, longitude, languages) in the programme,
    by name: a city the demo already has is the same city, in both programmes; a new one gets
    its slug from its name and its time zone from its country and place."""
    cities = {}
    for name, country, latitude, longitude, languages in rows:
        city = City.objects.filter(name=name, country=country).first()
        if city is None:
            city = City(
                name=name,
                slug=slug_from(name),
                country=country,
                latitude=latitude,
                longitude=longitude,
                languages=languages,
            )
            city.full_clean()
            city.save()
        participation_add(programme=programme, city=city)
        cities[name] = city
    return cities


def seed_pairings(run: DemoRun) -> None:
    schemes, cities = run.made["schemes"], run.made["cities"]
    for code, mentor, implementing in demo.PAIRINGS:
        scheme, mentor_city, implementing_city = (
            schemes[code],
            cities[mentor],
            cities[implementing],
        )
        exists = Pairing.objects.filter(
            scheme=scheme, mentor=mentor_city, implementing=implementing_city
        ).exists()
        if not exists:
            # Paired when the programme began.
            with dated(demo_at(run.made["programme"].starts_on), (Pairing, "created_at")):
                pairing_create(
                    scheme=scheme,
                    mentor=mentor_city,
                    implementing=implementing_city,
                    status=PairingStatus.ACTIVE,
                )


def seed_people(run: DemoRun) -> None:
    programme, schemes, cities = run.made["programme"], run.made["schemes"], run.made["cities"]
    logins = run.logins
    coordinator = demo_user(demo.COORDINATOR_EMAIL, "Programme coordinator")
    membership_grant(user=coordinator, role=Role.COORDINATOR, programme=programme)
    logins.append((coordinator.email, "coordinator of CITIES-GROW"))
    expert = demo_user(demo.EXPERT_EMAIL, "Scheme A expert")
    membership_grant(user=expert, role=Role.EXPERT, scheme=schemes["A"])
    logins.append((expert.email, "expert partner, facilitator of scheme A"))
    partner = demo_user(demo.PARTNER_EMAIL, "Programme partner")
    membership_grant(user=partner, role=Role.PARTNER, programme=programme)
    logins.append((partner.email, "partner (reader of toolkits)"))
    for name, city in cities.items():
        for role in (Role.OFFICER, Role.SUPERVISOR):
            email = f"{role.value}.{city.slug}@example.org"
            person = demo_user(email, f"{name} {role.label.lower()}")
            membership_grant(user=person, role=role, city=city)
            logins.append((email, f"{role.label.lower()} of {name}"))
