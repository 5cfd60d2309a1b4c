"""Who may see and change a city: pure functions of a person and a city."""

from accounts.models import User
from accounts.selectors import scopes_of


def acts_for_city(user: User, city_id: int) -> bool:
    """Officer or supervisor of the city."""
    return city_id in scopes_of(user).city_ids()


def _coordinates_a_programme_of(user: User, city) -> bool:
    coordinated = scopes_of(user).coordinated
    return bool(coordinated) and city.participations.filter(programme_id__in=coordinated).exists()


def can_view_city_team(user: User, city) -> bool:
    """Names of a city's officers and supervisors: for the city's own staff and coordinators."""
    return acts_for_city(user, city.pk) or _coordinates_a_programme_of(user, city)


def can_manage_city(user: User, city) -> bool:
    """Cities are edited by the coordinators of a programme they take part in, or by staff."""
    return user.is_staff or _coordinates_a_programme_of(user, city)


def can_create_city(user: User) -> bool:
    """Coordinators add cities, which join one of their programmes at once."""
    return bool(scopes_of(user).coordinated)
