"""A small staff-time world: a programme in the past, two cities, officers and supervisors."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import User
from cities.models import City
from mentoring.models import Programme
from reporting import services
from reporting.models import TimesheetMonth
from tests.accounts.factories import (
    CityOfficerFactory,
    CitySupervisorFactory,
    CoordinatorFactory,
)
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory


@dataclass
class TimeWorld:
    programme: Programme
    city: City
    other_city: City
    officer: User
    colleague: User
    supervisor: User
    other_officer: User
    other_supervisor: User
    coordinator: User
    outsider_coordinator: User


def build_time_world(**programme_fields) -> TimeWorld:
    programme = ProgrammeFactory(
        starts_on=date(2016, 10, 1),
        ends_on=date(2018, 9, 30),
        co_financing_rate=Decimal("0.10"),
        indirect_cost_rate=Decimal("0.07"),
        staff_days_allowance=30,
        **programme_fields,
    )
    city, other_city = CityFactory(name="Ghent"), CityFactory(name="Gdańsk")
    for c in (city, other_city):
        ParticipationFactory(programme=programme, city=c)
    officer = CityOfficerFactory(city=city, user__full_name="Olga Officer").user
    colleague = CityOfficerFactory(city=city, user__full_name="Carl Colleague").user
    supervisor = CitySupervisorFactory(city=city, user__full_name="Sara Supervisor").user
    other_officer = CityOfficerFactory(city=other_city, user__full_name="Ola Other").user
    other_supervisor = CitySupervisorFactory(city=other_city, user__full_name="Sven Other").user
    coordinator = CoordinatorFactory(programme=programme, user__full_name="Cora Coord").user
    outsider = CoordinatorFactory(user__full_name="Otto Outsider").user
    return TimeWorld(
        programme,
        city,
        other_city,
        officer,
        colleague,
        supervisor,
        other_officer,
        other_supervisor,
        coordinator,
        outsider,
    )


def fresh(user: User) -> User:
    """The same person without cached memberships, as a new request would see them."""
    return User.objects.get(pk=user.pk)


def record(world: TimeWorld, person: User, day: date, hours, activity="action_planning", **kw):
    city = kw.pop("city", None) or (
        world.other_city if person == world.other_officer else world.city
    )
    return services.time_entry_create(
        person=fresh(person),
        programme=world.programme,
        city=city,
        day=day,
        activity=activity,
        hours=Decimal(str(hours)),
        **kw,
    )


def rate(world: TimeWorld, person: User, year: int, annual, share="1", city=None):
    return services.staff_rate_save(
        person=fresh(person),
        city=city or world.city,
        year=year,
        annual_costs=Decimal(str(annual)),
        working_time_share=Decimal(share),
        by=fresh(world.coordinator),
    )


def approved_month(world: TimeWorld, person: User, month: date) -> TimesheetMonth:
    """Sign and countersign a month that already has entries."""
    city = world.other_city if person == world.other_officer else world.city
    sheet = TimesheetMonth.objects.get(
        person=person, programme=world.programme, city=city, month=month
    )
    services.month_submit(sheet, by=fresh(person))
    supervisor = world.other_supervisor if city == world.other_city else world.supervisor
    services.month_approve(sheet, by=fresh(supervisor))
    sheet.refresh_from_db()
    return sheet
