"""A small toolkit world: a programme with two schemes and two cities, their officers, the
schemes' expert partners, a coordinator and people of another programme. Practices are made
through the services, as the portal makes them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import User
from cities.models import City
from mentoring.models import Commitment, Programme, Scheme
from tests.accounts.factories import (
    CityOfficerFactory,
    CitySupervisorFactory,
    CoordinatorFactory,
    ExpertFactory,
    PartnerFactory,
)
from tests.cities.factories import CityFactory
from tests.mentoring.factories import (
    ParticipationFactory,
    ProgrammeFactory,
    SchemeFactory,
    charter,
    give_cities_grow_frame,
)
from toolkits import services
from toolkits.models import GoodPractice, TargetGroup, Toolkit


@dataclass
class ToolkitWorld:
    programme: Programme
    scheme: Scheme
    other_scheme: Scheme
    city: City
    other_city: City
    officer: User
    supervisor: User
    other_officer: User
    expert: User
    other_expert: User
    coordinator: User
    partner: User
    outsider_coordinator: User
    outsider_expert: User


def build_toolkit_world() -> ToolkitWorld:
    programme = give_cities_grow_frame(
        ProgrammeFactory(name="CITIES-GROW", starts_on=date(2016, 10, 1), ends_on=date(2018, 9, 30))
    )
    scheme = SchemeFactory(programme=programme, code="A", theme="Matching buyers and suppliers")
    other_scheme = SchemeFactory(programme=programme, code="B", theme="Job-skills match")
    city = CityFactory(name="Gdańsk", country="PL")
    other_city = CityFactory(name="Rīga", country="LV")
    for c in (city, other_city):
        ParticipationFactory(programme=programme, city=c)
    outsider_programme = ProgrammeFactory(name="Elsewhere")
    return ToolkitWorld(
        programme=programme,
        scheme=scheme,
        other_scheme=other_scheme,
        city=city,
        other_city=other_city,
        officer=CityOfficerFactory(city=city, user__full_name="Ola Officer").user,
        supervisor=CitySupervisorFactory(city=city, user__full_name="Sam Supervisor").user,
        other_officer=CityOfficerFactory(city=other_city, user__full_name="Oto Other").user,
        expert=ExpertFactory(scheme=scheme, user__full_name="Eve Expert").user,
        other_expert=ExpertFactory(scheme=other_scheme, user__full_name="Ed Other").user,
        coordinator=CoordinatorFactory(programme=programme, user__full_name="Cora Coord").user,
        partner=PartnerFactory(programme=programme, user__full_name="Pat Partner").user,
        outsider_coordinator=CoordinatorFactory(
            programme=outsider_programme, user__full_name="Otto Outsider"
        ).user,
        outsider_expert=ExpertFactory(
            scheme__programme=outsider_programme, user__full_name="Oz Outsider"
        ).user,
    )


def fresh(user: User) -> User:
    """The same person without cached memberships, as a new request would see them."""
    return User.objects.get(pk=user.pk)


def practice_fields(programme: Programme | None = None, **overrides) -> dict:
    """A practice's fields, tagged from the frame of ``programme`` (by default the first
    programme that has CITIES-GROW's target groups)."""
    groups = TargetGroup.objects.filter(name="Migrant entrepreneurs").order_by("pk")
    if programme is not None:
        groups = groups.filter(programme=programme)
    fields = {
        "title": "Buying from newcomers' businesses",
        "summary": "The city opened its tenders to firms run by migrants.",
        "challenge": "Few migrant entrepreneurs won public contracts.",
        "actions": "Split tenders into lots and coached 40 firms.",
        "results": "12 firms won 18 contracts worth €240,000 in two years.",
        "resources": "Two procurement officers, half-time.",
        "budget": Decimal("169956.00"),
        "eu_contribution": Decimal("127467.00"),
        "currency": "EUR",
        "started_on": date(2017, 1, 1),
        "ended_on": date(2018, 6, 30),
        "transferability": "A procurement team willing to split tenders.",
        "contact_name": "Ola Officer",
        "contact_email": "ola@example.org",
        "links": "https://example.org/practice",
        "language": "en",
        "target_groups": list(groups[:1]),
        "commitments": list(Commitment.objects.filter(framework=charter(), number__in=[9, 11])),
    }
    fields.update(overrides)
    return fields


def draft(world: ToolkitWorld, *, city=None, author=None, scheme=None, **overrides):
    city = city or world.city
    author = author or (world.other_officer if city == world.other_city else world.officer)
    scheme = scheme or world.scheme
    return services.practice_create(
        city=city,
        author=fresh(author),
        scheme=scheme,
        **practice_fields(programme=scheme.programme, **overrides),
    )


def published(world: ToolkitWorld, **kwargs) -> GoodPractice:
    practice = draft(world, **kwargs)
    author = kwargs.get("author") or practice.author
    services.practice_submit(practice, by=fresh(author))
    reviewer = world.expert if practice.scheme_id == world.scheme.pk else world.other_expert
    return services.practice_publish(practice, by=fresh(reviewer))


def toolkit_with(world: ToolkitWorld, practices, *, title="Buyers and suppliers") -> Toolkit:
    toolkit = services.toolkit_create(
        scheme=world.scheme,
        by=fresh(world.expert),
        title=title,
        introduction="Why cities buy from newcomers.",
    )
    services.toolkit_set_practices(toolkit, by=fresh(world.expert), practices=practices)
    services.toolkit_set_success_factors(
        toolkit, by=fresh(world.expert), factors=[("Leadership", "A political sponsor.")]
    )
    return toolkit


# CITIES-GROW's target groups by the codes they had when they were fixed in code.
GROUP_CODES = {
    "newcomers": "Newly arrived migrants",
    "refugees": "Refugees and asylum seekers",
    "minors": "Unaccompanied minors",
    "youth": "Young people with a migrant background",
    "women": "Migrant women",
    "entrepreneurs": "Migrant entrepreneurs",
    "job_seekers": "Job seekers",
    "labour_migrants": "Labour migrants",
    "employers": "Employers and businesses",
    "schools": "Schools and teachers",
    "city_staff": "City staff and public services",
    "residents": "Local residents",
}


def target_groups(codes, programme: Programme | None = None) -> list[TargetGroup]:
    """The programme's target groups of those codes (by default those of the first programme
    that has CITIES-GROW's list)."""
    groups = TargetGroup.objects.filter(name__in=[GROUP_CODES[c] for c in codes])
    if programme is None:
        first = groups.order_by("pk").first()
        programme = first.programme if first else None
    return list(groups.filter(programme=programme).order_by("position"))


def target_group(code: str, programme: Programme | None = None) -> TargetGroup:
    return target_groups([code], programme)[0]


def charter_commitments(*numbers: int) -> list[Commitment]:
    return list(Commitment.objects.filter(framework=charter(), number__in=numbers))


def charter_commitment(number: int) -> Commitment:
    return charter_commitments(number)[0]
