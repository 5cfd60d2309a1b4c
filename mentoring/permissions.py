"""Who may do what with a programme's events: pure functions of a person and an object.

They read the person's memberships once per request (``memberships_of``) and, for officers and
supervisors, which programmes their cities take part in (one more query, cached the same way), so
checking every row of a list costs no further queries. Events are expected with ``pairing``
loaded (the selectors do that).
"""

from accounts.models import Role, User
from accounts.selectors import memberships_of

from .models import Attendance, Event, Pairing, Participation, Programme

CITY_ROLES = (Role.OFFICER, Role.SUPERVISOR)


def _scope_ids(user: User, role: str, field: str) -> set[int]:
    return {getattr(m, f"{field}_id") for m in memberships_of(user) if m.role == role}


def _coordinated(user: User) -> set[int]:
    return _scope_ids(user, Role.COORDINATOR, "programme")


def _facilitated(user: User) -> set[int]:
    return _scope_ids(user, Role.EXPERT, "scheme")


def _city_ids(user: User, roles: tuple[str, ...] = CITY_ROLES) -> set[int]:
    return {m.city_id for m in memberships_of(user) if m.role in roles and m.city_id is not None}


def _programmes_of_cities(user: User) -> dict[int, set[int]]:
    """For each city the person acts for, the programmes it takes part in (cached per request)."""
    cached = getattr(user, "_event_city_programmes_cache", None)
    if cached is None:
        cached = {city_id: set() for city_id in _city_ids(user)}
        if cached:
            rows = Participation.objects.filter(city_id__in=cached).values_list(
                "city_id", "programme_id"
            )
            for city_id, programme_id in rows:
                cached[city_id].add(programme_id)
        user._event_city_programmes_cache = cached  # type: ignore[attr-defined]  # per request
    return cached


def _is_scheme_expert(user: User, event: Event) -> bool:
    return event.pairing is not None and event.pairing.scheme_id in _facilitated(user)


def _event_cities_of(user: User, event: Event, roles: tuple[str, ...]) -> set[int]:
    """The person's cities (in the roles named) that the event belongs to.

    A city belongs to the event it hosts, to its pairing's events, and to every programme-wide
    event of a programme it takes part in.
    """
    mine = _city_ids(user, roles)
    if not mine:
        return set()
    if event.pairing_id is None:
        taking_part = _programmes_of_cities(user)
        return (mine & event.city_ids()) | {
            city_id for city_id in mine if event.programme_id in taking_part.get(city_id, ())
        }
    return mine & event.city_ids()


def can_view_event(user: User, event: Event) -> bool:
    """The event in full (details, attendance, report), beyond its row in the programme's list.

    Coordinators see all their programme's events; expert partners their scheme's events and the
    programme-wide ones; officers and supervisors the events of their city.
    """
    if not user.is_authenticated:
        return False
    if event.programme_id in _coordinated(user) or _is_scheme_expert(user, event):
        return True
    if event.pairing_id is None and any(
        m.role == Role.EXPERT
        and m.scheme is not None
        and m.scheme.programme_id == event.programme_id
        for m in memberships_of(user)
    ):
        return True
    return bool(_event_cities_of(user, event, CITY_ROLES))


def can_create_events(user: User) -> bool:
    """Coordinators and expert partners plan events; others never see the form."""
    return any(m.role in (Role.COORDINATOR, Role.EXPERT) for m in memberships_of(user))


def can_create_event(user: User, programme: Programme, pairing: Pairing | None = None) -> bool:
    """Coordinators plan any event of their programme; expert partners their scheme's visits."""
    if pairing is not None:
        if pairing.scheme.programme_id != programme.pk:
            return False
        return programme.pk in _coordinated(user) or pairing.scheme_id in _facilitated(user)
    return programme.pk in _coordinated(user)


def can_manage_event(user: User, event: Event) -> bool:
    """Edit the event and move its status along."""
    return event.programme_id in _coordinated(user) or _is_scheme_expert(user, event)


def attendance_city_ids(user: User, event: Event) -> set[int] | None:
    """Which cities the person may record attendance for at the event: None means any."""
    if event.programme_id in _coordinated(user) or _is_scheme_expert(user, event):
        return None
    return _event_cities_of(user, event, (Role.OFFICER,))


def can_record_attendance(user: User, event: Event) -> bool:
    """Coordinators and the scheme's expert for anyone; officers for their own city's people."""
    cities = attendance_city_ids(user, event)
    return cities is None or bool(cities)


def can_delete_attendance(user: User, attendance: Attendance) -> bool:
    cities = attendance_city_ids(user, attendance.event)
    return cities is None or attendance.city_id in cities


def can_write_report(user: User, event: Event) -> bool:
    """Coordinators, the scheme's expert, and officers of the host city or the pairing's cities."""
    if event.programme_id in _coordinated(user) or _is_scheme_expert(user, event):
        return True
    return bool(_city_ids(user, (Role.OFFICER,)) & event.city_ids())
