"""A small toolkit world: a programme with two schemes and two cities, their officers, the
schemes' expert partners, a coordinator and people of another programme. Practices are made
through the services, as the portal makes them."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import User
from cities.models import City
from mentoring.models import CharterCommitment, Programme, Scheme
from tests.accounts.factories import (
    CityOfficerFactory,
    CitySupervisorFactory,
    CoordinatorFactory,
    ExpertFactory,
    PartnerFactory,
)
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory, SchemeFactory
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
    programme = ProgrammeFactory(
        name="CITIES-GROW", starts_on=date(2016, 10, 1), ends_on=date(2018, 9, 30)
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


def practice_fields(**overrides) -> dict:
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
        "target_groups": list(TargetGroup.objects.filter(code__in=["entrepreneurs"])),
        "commitments": list(CharterCommitment.objects.filter(number__in=[9, 11])),
    }
    fields.update(overrides)
    return fields


def draft(world: ToolkitWorld, *, city=None, author=None, scheme=None, **overrides):
    city = city or world.city
    author = author or (world.other_officer if city == world.other_city else world.officer)
    return services.practice_create(
        city=city,
        author=fresh(author),
        scheme=scheme or world.scheme,
        **practice_fields(**overrides),
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
