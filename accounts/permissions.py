"""Pure permission functions: a person and an object in, yes or no out."""

from mentoring.models import Pairing, Programme

from .models import Role, User
from .selectors import memberships_of


def is_coordinator(user: User, programme: Programme) -> bool:
    return any(
        m.role == Role.COORDINATOR and m.programme_id == programme.pk for m in memberships_of(user)
    )


def can_invite(user: User, *, programme=None, scheme=None, city=None) -> bool:
    """Coordinators invite people to their programme, its schemes and its cities."""
    coordinated = {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}
    if programme is not None:
        return programme.pk in coordinated
    if scheme is not None:
        return scheme.programme_id in coordinated
    if city is not None:
        return city.participations.filter(programme_id__in=coordinated).exists()
    return False


def can_view_programme(user: User, programme: Programme) -> bool:
    for m in memberships_of(user):
        if m.role in (Role.COORDINATOR, Role.PARTNER) and m.programme_id == programme.pk:
            return True
        if m.role == Role.EXPERT and m.scheme is not None and m.scheme.programme_id == programme.pk:
            return True
        if (
            m.role in (Role.OFFICER, Role.SUPERVISOR)
            and m.city_id is not None
            and programme.participations.filter(city_id=m.city_id).exists()
        ):
            return True
    return False


def acts_for_city(user: User, city_id: int) -> bool:
    """Officer or supervisor of the city."""
    return any(
        m.role in (Role.OFFICER, Role.SUPERVISOR) and m.city_id == city_id
        for m in memberships_of(user)
    )


def can_view_pairing(user: User, pairing: Pairing) -> bool:
    for m in memberships_of(user):
        if m.role == Role.EXPERT and m.scheme_id == pairing.scheme_id:
            return True
        if m.role in (Role.OFFICER, Role.SUPERVISOR) and m.city_id in (
            pairing.mentor_id,
            pairing.implementing_id,
        ):
            return True
    return can_view_programme(user, pairing.scheme.programme)


def can_view_city_team(user: User, city) -> bool:
    """Names of a city's officers and supervisors: for the city's own staff and coordinators."""
    if acts_for_city(user, city.pk):
        return True
    coordinated = {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}
    return city.participations.filter(programme_id__in=coordinated).exists()


def is_expert_of_scheme(user: User, scheme_id: int) -> bool:
    return any(m.role == Role.EXPERT and m.scheme_id == scheme_id for m in memberships_of(user))


def can_create_programme(user: User) -> bool:
    """Staff and existing coordinators may open a new programme (and then coordinate it)."""
    return user.is_staff or any(m.role == Role.COORDINATOR for m in memberships_of(user))


def can_manage_programme(user: User, programme: Programme) -> bool:
    """Edit the programme, its schemes and its participating cities."""
    return is_coordinator(user, programme)


def can_manage_pairings_in(user: User, scheme) -> bool:
    """Coordinators for every scheme of their programme, expert partners for their own scheme."""
    return is_coordinator(user, scheme.programme) or is_expert_of_scheme(user, scheme.pk)


def can_manage_pairing(user: User, pairing: Pairing) -> bool:
    return can_manage_pairings_in(user, pairing.scheme)


def can_manage_city(user: User, city) -> bool:
    """Cities are edited by the coordinators of a programme they take part in, or by staff."""
    if user.is_staff:
        return True
    coordinated = {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}
    return bool(coordinated) and city.participations.filter(programme_id__in=coordinated).exists()


def can_create_city(user: User) -> bool:
    """Coordinators add cities, which join one of their programmes at once."""
    return any(m.role == Role.COORDINATOR for m in memberships_of(user))
