"""A small action-plan world: one pairing (Rotterdam mentors Gdańsk) in scheme A, the two
cities' officers and supervisors, the scheme's expert, a coordinator, and people of another
pairing and programme who must see nothing. Plans are made through the services."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from actionplans import services
from actionplans.models import ActionPlan, Section
from mentoring.models import Pairing, PairingStatus
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
)


@dataclass
class PlanWorld:
    pairing: Pairing
    other_pairing: Pairing
    author: User  # officer of the implementing city
    colleague: User  # another officer of the implementing city
    supervisor: User  # supervisor of the implementing city
    mentor_officer: User
    mentor_supervisor: User
    expert: User
    coordinator: User
    partner: User
    other_author: User  # officer of the other pairing's implementing city
    other_expert: User
    outsider_coordinator: User


def build_plan_world() -> PlanWorld:
    programme = ProgrammeFactory(
        framework=charter(),
        name="CITIES-GROW",
        starts_on=date(2016, 10, 1),
        ends_on=date(2018, 9, 30),
    )
    scheme = SchemeFactory(programme=programme, code="A")
    other_scheme = SchemeFactory(programme=programme, code="B")
    rotterdam, gdansk = (
        CityFactory(name="Rotterdam", country="NL"),
        CityFactory(name="Gdańsk", country="PL"),
    )
    birmingham, riga = (
        CityFactory(name="Birmingham", country="GB"),
        CityFactory(name="Rīga", country="LV"),
    )
    for city in (rotterdam, gdansk, birmingham, riga):
        ParticipationFactory(programme=programme, city=city)
    pairing = Pairing.objects.create(
        scheme=scheme, mentor=rotterdam, implementing=gdansk, status=PairingStatus.ACTIVE
    )
    other = Pairing.objects.create(
        scheme=other_scheme, mentor=birmingham, implementing=riga, status=PairingStatus.ACTIVE
    )
    return PlanWorld(
        pairing=pairing,
        other_pairing=other,
        author=CityOfficerFactory(city=gdansk, user__full_name="Ola Author").user,
        colleague=CityOfficerFactory(city=gdansk, user__full_name="Kasia Colleague").user,
        supervisor=CitySupervisorFactory(city=gdansk, user__full_name="Sam Supervisor").user,
        mentor_officer=CityOfficerFactory(city=rotterdam, user__full_name="Mo Mentor").user,
        mentor_supervisor=CitySupervisorFactory(city=rotterdam, user__full_name="Max M").user,
        expert=ExpertFactory(scheme=scheme, user__full_name="Eve Expert").user,
        coordinator=CoordinatorFactory(programme=programme, user__full_name="Cora Coord").user,
        partner=PartnerFactory(programme=programme, user__full_name="Pat Partner").user,
        other_author=CityOfficerFactory(city=riga, user__full_name="Oto Other").user,
        other_expert=ExpertFactory(scheme=other_scheme, user__full_name="Ed Other").user,
        outsider_coordinator=CoordinatorFactory(user__full_name="Otto Outsider").user,
    )


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def drafted_plan(world: PlanWorld) -> ActionPlan:
    """A draft with every section filled, ready to submit."""
    by = fresh(world.author)
    plan = services.plan_create(pairing=world.pairing, by=by, title="Gdańsk buys local")
    plan = services.section_save(
        plan,
        section=Section.CONTEXT,
        by=by,
        text="Few migrant firms win tenders.",
        expected_revision=0,
    )
    plan = services.section_save(
        plan,
        section=Section.OBJECTIVES,
        by=by,
        text="Open tenders to newcomers' firms.",
        expected_revision=0,
    )
    services.row_add(
        plan,
        section=Section.ACTIONS,
        by=by,
        title="Split tenders into lots",
        starts_on=date(2017, 3, 1),
        ends_on=date(2017, 12, 31),
        cost=Decimal("12000.00"),
        funding_source="City budget",
        lead_department="Procurement",
    )
    services.row_add(
        plan,
        section=Section.INDICATORS,
        by=by,
        name="Contracts won by migrant firms",
        kind="result",
        unit="contracts",
        baseline=Decimal(2),
        target=Decimal(12),
    )
    services.row_add(
        plan,
        section=Section.RISKS,
        by=by,
        description="Firms do not apply",
        likelihood="medium",
        impact="high",
        mitigation="Coaching sessions",
    )
    services.row_add(
        plan,
        section=Section.LOCAL_GROUP,
        by=by,
        organisation="Chamber of Commerce",
        sector="business",
    )
    return ActionPlan.objects.get(pk=plan.pk)


def plan_at(world: PlanWorld, stage: str) -> ActionPlan:
    """A plan walked through the workflow up to the stage named."""
    plan = drafted_plan(world)
    if stage == "draft":
        return plan
    services.plan_submit(plan, by=fresh(world.author))
    if stage == "submitted":
        return ActionPlan.objects.get(pk=plan.pk)
    if stage in ("changes_requested", "resubmitted"):
        services.plan_request_changes(plan, by=fresh(world.mentor_officer), comment="More data.")
        if stage == "resubmitted":
            services.plan_submit(plan, by=fresh(world.author))
        return ActionPlan.objects.get(pk=plan.pk)
    services.plan_approve(plan, by=fresh(world.supervisor))
    if stage == "approved":
        return ActionPlan.objects.get(pk=plan.pk)
    services.plan_endorse(
        plan,
        by=fresh(world.coordinator),
        body="City Council",
        decided_on=timezone.localdate(),
        reference="XII/123/2017",
    )
    if stage == "endorsed":
        return ActionPlan.objects.get(pk=plan.pk)
    services.plan_start(plan, by=fresh(world.author))
    if stage == "in_implementation":
        return ActionPlan.objects.get(pk=plan.pk)
    services.plan_complete(plan, by=fresh(world.supervisor))
    return ActionPlan.objects.get(pk=plan.pk)
