"""Who acts for what: the one place that turns a person's memberships into querysets."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Case, Q, QuerySet, Value, When

from config import clock

from .models import ROLE_SCOPE, Invitation, Membership, Role, User


def memberships_of(user: User) -> list[Membership]:
    """The person's memberships with their scopes, fetched once per request object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_memberships_cache", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related(
                "programme", "scheme__programme", "city"
            )
        )
        user._memberships_cache = cached  # type: ignore[attr-defined]  # a per-request cache
    return cached


def zone_of(user: User | None) -> ZoneInfo:
    """Where the person is: the zone they chose, else ``home_zone_of`` them."""
    if user is not None and user.is_authenticated and user.time_zone:
        return clock.zone_or_default(user.time_zone)
    return home_zone_of(user)


def home_zone_of(user: User | None) -> ZoneInfo:
    """The zone a person gets without choosing one: that of the first city they act for (the
    membership granted first), else the server's (settings.TIME_ZONE). Reads the memberships
    once per request, as the navigation does (``memberships_of``)."""
    if user is None or not user.is_authenticated:
        return clock.zone_or_default(None)
    cities = [m for m in memberships_of(user) if m.city is not None]
    first = min(cities, key=lambda m: (m.created_at, m.pk), default=None)
    return clock.zone_or_default(first.city.time_zone if first and first.city else None)


def zones_of(users: Iterable[User]) -> dict[int, ZoneInfo]:
    """``zone_of`` each person, by id, in one query for all those who chose no zone (a
    reminder run looks at thousands of people's months)."""
    people = {user.pk: user for user in users}
    first_city: dict[int, str] = {}
    memberships = (
        Membership.objects.filter(
            user_id__in=[pk for pk, user in people.items() if not user.time_zone],
            city__isnull=False,
        )
        .order_by("user_id", "created_at", "pk")
        .values_list("user_id", "city__time_zone")
    )
    for user_id, time_zone in memberships:
        first_city.setdefault(user_id, time_zone)
    return {
        pk: clock.zone_or_default(user.time_zone or first_city.get(pk) or None)
        for pk, user in people.items()
    }


def today_for(user: User | None) -> date:
    """Today's date where the person is."""
    return clock.today(zone_of(user))


@dataclass(frozen=True)
class Scopes:
    """The ids a person acts for, by role: what every app's permissions and selectors ask.

    ``programmes``, ``schemes`` and ``cities`` map a role to the ids of its scope (a coordinator
    or partner acts for programmes, an expert for schemes, officers and supervisors for cities);
    ``expert_programmes`` are the programmes of the schemes an expert facilitates."""

    programmes: dict[str, frozenset[int]]
    schemes: dict[str, frozenset[int]]
    cities: dict[str, frozenset[int]]
    expert_programmes: frozenset[int]

    def programme_ids(self, *roles: str) -> frozenset[int]:
        """Programmes the person acts for in one of the roles (all programme roles if none)."""
        return _union(self.programmes, roles or (Role.COORDINATOR, Role.PARTNER))

    def scheme_ids(self, *roles: str) -> frozenset[int]:
        return _union(self.schemes, roles or (Role.EXPERT,))

    def city_ids(self, *roles: str) -> frozenset[int]:
        """Cities the person acts for: as officer or supervisor, unless other roles are named."""
        return _union(self.cities, roles or (Role.OFFICER, Role.SUPERVISOR))

    @property
    def coordinated(self) -> frozenset[int]:
        return self.programme_ids(Role.COORDINATOR)

    @property
    def facilitated(self) -> frozenset[int]:
        return self.scheme_ids(Role.EXPERT)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(
            role
            for mapping in (self.programmes, self.schemes, self.cities)
            for role, ids in mapping.items()
            if ids
        )


def programmes_named_by_memberships(user: User) -> list:
    """The programme objects the person's memberships name, directly (coordinator, partner) or
    through their scheme (expert), as loaded with the memberships: no query. Cities' programmes
    are not here (accounts knows no participations): ask ``scopes_of(user).city_ids()``."""
    found = {}
    for membership in memberships_of(user):
        if membership.programme is not None:
            found[membership.programme.pk] = membership.programme
        elif membership.scheme is not None:
            found[membership.scheme.programme_id] = membership.scheme.programme
    return list(found.values())


def _union(mapping: dict[str, frozenset[int]], roles: tuple[str, ...]) -> frozenset[int]:
    return frozenset().union(*(mapping.get(role, frozenset()) for role in roles))


def scopes_of(user: User) -> Scopes:
    """The person's scopes, computed once per user object (so once per request)."""
    cached = getattr(user, "_scopes_cache", None)
    if cached is not None:
        return cached
    by_field: dict[str, dict[str, set[int]]] = {"programme": {}, "scheme": {}, "city": {}}
    expert_programmes: set[int] = set()
    for membership in memberships_of(user):
        field = ROLE_SCOPE[membership.role]
        by_field[field].setdefault(membership.role, set()).add(getattr(membership, f"{field}_id"))
        if membership.role == Role.EXPERT and membership.scheme is not None:
            expert_programmes.add(membership.scheme.programme_id)
    scopes = Scopes(
        **{
            f"{field}s" if field != "city" else "cities": {
                role: frozenset(ids) for role, ids in roles.items()
            }
            for field, roles in by_field.items()
        },
        expert_programmes=frozenset(expert_programmes),
    )
    if user.is_authenticated:
        user._scopes_cache = scopes  # type: ignore[attr-defined]  # a per-request cache
    return scopes


def roles_of(user: User) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def invitations_visible_to(user: User) -> QuerySet:
    """Invitations to roles in the programmes the person coordinates."""
    programme_ids = scopes_of(user).coordinated
    if not programme_ids:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            Q(programme__in=programme_ids)
            | Q(scheme__programme__in=programme_ids)
            | Q(city__participations__programme__in=programme_ids)
        )
        .distinct()
        .select_related("programme", "scheme", "city", "invited_by")
    )


def invitation_waits_for_queue(invitation: Invitation) -> bool:
    """Whether the invitation's e-mail is saved but not yet taken by the mail queue (it could
    not be reached when the invitation was made; it goes out once the queue is back)."""
    from documents.jobs import waiting_for_queue

    from .tasks import send_invitation

    return waiting_for_queue(send_invitation, invitation.pk)


# People chosen by typing ------------------------------------------------------------------------

# "Olga Nowak (olga@gdansk.example)": how a suggestion names a person (``person_label``).
PERSON_LABEL = re.compile(r"^.* \((?P<email>[^\s()]+@[^\s()]+)\)$")


def person_label(user: User) -> str:
    """A person as a box suggests them and a select lists them: name and e-mail address, which
    tells apart two people of the same name (the address alone for a person without a name)."""
    return f"{user} ({user.email})" if user.full_name else user.email


def _person_conditions(text: str) -> tuple[Q, Q]:
    """(names them in full, names part of them): the full name or the e-mail address, whatever
    the case, or the label a suggestion gave them."""
    exact = Q(email__iexact=text) | Q(full_name__iexact=text)
    contains = Q(email__icontains=text) | Q(full_name__icontains=text)
    if labelled := PERSON_LABEL.match(text):
        exact |= Q(email__iexact=labelled["email"])
        contains |= Q(email__iexact=labelled["email"])
    return exact, contains


def people_called(people: QuerySet, text: str) -> QuerySet:
    """The people among ``people`` that ``text`` names in full (several for a shared name)."""
    text = " ".join(text.split())
    if not text:
        return people.none()
    return people.filter(_person_conditions(text)[0])


def people_matching(people: QuerySet, text: str) -> QuerySet:
    """The people among ``people`` whose name or address contains ``text``, whatever the case:
    those whose name or address starts with it first, then by name. What a box suggests."""
    text = " ".join(text.split())
    if not text:
        return people.none()
    starts = Case(
        When(Q(full_name__istartswith=text) | Q(email__istartswith=text), then=Value(0)),
        default=Value(1),
    )
    found = people.filter(_person_conditions(text)[1])
    return found.order_by(starts, "full_name", "email", "pk")


def api_tokens_of(user: User) -> QuerySet:
    """The person's own API tokens, newest first (revoked and expired ones included)."""
    from .models import ApiToken

    return ApiToken.objects.filter(owner=user).order_by("-created_at", "-pk")
