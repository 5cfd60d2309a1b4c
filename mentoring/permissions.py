"""Who may do what with a programme's events: pure functions of a person and an object.

They read the person's scopes once per request (``scopes_of``) and, for officers and
supervisors, which programmes their cities take part in (one more query, cached the same way), so
checking every row of a list costs no further queries. Events are expected with ``pairing``
loaded (the selectors do that).
"""

from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import scopes_of
from documents.workflow import Allowed

from .models import (
    Attendance,
    CommitmentFramework,
    Event,
    ExpertOrganisation,
    Pairing,
    Participation,
    Programme,
)

CITY_ROLES = (Role.OFFICER, Role.SUPERVISOR)


def _programmes_of_cities(user: User) -> dict[int, set[int]]:
    """For each city the person acts for, the programmes it takes part in (cached per request)."""
    cached = getattr(user, "_event_city_programmes_cache", None)
    if cached is None:
        cached = {city_id: set() for city_id in scopes_of(user).city_ids(*CITY_ROLES)}
        if cached:
            rows = Participation.objects.filter(city_id__in=cached).values_list(
                "city_id", "programme_id"
            )
            for city_id, programme_id in rows:
                cached[city_id].add(programme_id)
        user._event_city_programmes_cache = cached  # type: ignore[attr-defined]  # per request
    return cached


def _is_scheme_expert(user: User, event: Event) -> bool:
    return event.pairing is not None and event.pairing.scheme_id in scopes_of(user).facilitated


def _event_cities_of(user: User, event: Event, roles: tuple[str, ...]) -> frozenset[int]:
    """The person's cities (in the roles named) that the event belongs to.

    A city belongs to the event it hosts, to its pairing's events, and to every programme-wide
    event of a programme it takes part in.
    """
    mine = scopes_of(user).city_ids(*roles)
    if not mine:
        return frozenset()
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
    scopes = scopes_of(user)
    if event.programme_id in scopes.coordinated or _is_scheme_expert(user, event):
        return True
    if event.pairing_id is None and event.programme_id in scopes.expert_programmes:
        return True
    return bool(_event_cities_of(user, event, CITY_ROLES))


def can_create_events(user: User) -> bool:
    """Coordinators and expert partners plan events; others never see the form."""
    scopes = scopes_of(user)
    return bool(scopes.coordinated or scopes.facilitated)


def can_create_event(user: User, programme: Programme, pairing: Pairing | None = None) -> bool:
    """Coordinators plan any event of their programme; expert partners their scheme's visits."""
    if pairing is not None:
        if pairing.scheme.programme_id != programme.pk:
            return False
        return (
            programme.pk in scopes_of(user).coordinated
            or pairing.scheme_id in scopes_of(user).facilitated
        )
    return programme.pk in scopes_of(user).coordinated


def can_manage_event(user: User, event: Event) -> bool:
    """Edit the event and move its status along."""
    return event.programme_id in scopes_of(user).coordinated or _is_scheme_expert(user, event)


def attendance_city_ids(user: User, event: Event) -> frozenset[int] | None:
    """Which cities the person may record attendance for at the event: None means any."""
    if event.programme_id in scopes_of(user).coordinated or _is_scheme_expert(user, event):
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
    if event.programme_id in scopes_of(user).coordinated or _is_scheme_expert(user, event):
        return True
    return bool(scopes_of(user).city_ids(Role.OFFICER) & event.city_ids())


# Programmes, schemes and pairings (moved from accounts, which holds identity only) ---------------


def is_coordinator(user: User, programme: Programme) -> bool:
    return programme.pk in scopes_of(user).coordinated


def is_expert_of_scheme(user: User, scheme_id: int) -> bool:
    return scheme_id in scopes_of(user).facilitated


def can_view_programme(user: User, programme: Programme) -> bool:
    """Its coordinators and partners, the experts of its schemes, and the officers and
    supervisors of its cities."""
    scopes = scopes_of(user)
    if programme.pk in scopes.programme_ids() or programme.pk in scopes.expert_programmes:
        return True
    city_ids = scopes.city_ids()
    return bool(city_ids) and programme.participations.filter(city_id__in=city_ids).exists()


def can_view_pairing(user: User, pairing: Pairing) -> bool:
    scopes = scopes_of(user)
    if pairing.scheme_id in scopes.facilitated:
        return True
    if {pairing.mentor_id, pairing.implementing_id} & scopes.city_ids():
        return True
    return can_view_programme(user, pairing.scheme.programme)


def can_create_programme(user: User) -> bool:
    """Staff and existing coordinators may open a new programme (and then coordinate it)."""
    return user.is_staff or bool(scopes_of(user).coordinated)


def can_manage_programme(user: User, programme: Programme) -> bool:
    """Edit the programme, its schemes and its participating cities."""
    return is_coordinator(user, programme)


def can_manage_pairings_in(user: User, scheme) -> bool:
    """Coordinators for every scheme of their programme, expert partners for their own scheme."""
    return scheme.programme_id in scopes_of(user).coordinated or is_expert_of_scheme(
        user, scheme.pk
    )


def can_manage_pairing(user: User, pairing: Pairing) -> bool:
    return can_manage_pairings_in(user, pairing.scheme)


# Expert organisations ---------------------------------------------------------------------------


def can_create_organisation(user: User) -> Allowed:
    """Any coordinator adds an organisation; they own it until it facilitates a scheme."""
    if user.is_staff or scopes_of(user).coordinated:
        return True, ""
    return False, _("Only coordinators add expert organisations.")


def can_edit_organisation(user: User, organisation: ExpertOrganisation) -> Allowed:
    """Who owns an expert organisation, and so may change its name, country and website:

    - once it facilitates schemes, the coordinators of the programmes of those schemes; when it
      facilitates schemes of several programmes, only someone who coordinates every one of them
      (its name shows in each, so no programme changes it for the others; and choosing another
      programme's facilitator for one's own scheme does not make it one's own to rename);
    - while it facilitates nothing, the coordinator who created it;
    - staff, always (they also have the admin).

    Reads the organisation's schemes as stored (one query, none when the list prefetched them).
    """
    if user.is_staff:
        return True, ""
    coordinated = scopes_of(user).coordinated
    if not coordinated:
        return False, _("Only coordinators edit expert organisations.")
    programmes = {scheme.programme_id for scheme in organisation.schemes.all()}
    if not programmes:
        if organisation.created_by_id is not None and organisation.created_by_id == user.pk:
            return True, ""
        return False, _(
            "%(organisation)s facilitates no scheme yet; only the coordinator who added it "
            "edits it."
        ) % {"organisation": organisation}
    if programmes <= coordinated:
        return True, ""
    return False, _(
        "%(organisation)s facilitates schemes of programmes you do not coordinate; ask their "
        "coordinators."
    ) % {"organisation": organisation}


def can_edit_frame(user: User, programme: Programme) -> Allowed:
    """Choose the programme's commitment framework and edit its target groups: its
    coordinators and staff."""
    if user.is_staff or is_coordinator(user, programme):
        return True, ""
    return False, _("Only the programme's coordinators edit its frame.")


def can_edit_framework(user: User, framework: CommitmentFramework) -> Allowed:
    """Change a framework's commitments: staff, or someone who coordinates every programme
    that uses it (its commitments show in each, so no programme changes them for the others)."""
    if user.is_staff:
        return True, ""
    coordinated = scopes_of(user).coordinated
    if not coordinated:
        return False, _("Only coordinators edit commitment frameworks.")
    using = set(framework.programmes.values_list("pk", flat=True))
    if using <= coordinated:
        return True, ""
    return False, _(
        "%(framework)s is the framework of programmes you do not coordinate; ask their "
        "coordinators."
    ) % {"framework": framework}
