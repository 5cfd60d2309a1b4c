"""Who acts for what: the one place that turns a person's memberships into querysets."""

from django.db.models import Q, QuerySet

from cities.models import City
from mentoring.models import Programme, Scheme

from .models import Invitation, Membership, Role, User


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
        user._memberships_cache = cached
    return cached


def roles_of(user: User) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def _scope_ids(user: User, roles: set[str], field: str) -> set[int]:
    return {
        getattr(membership, f"{field}_id")
        for membership in memberships_of(user)
        if membership.role in roles
    }


def cities_for(user: User, *, roles: tuple[str, ...] = (Role.OFFICER, Role.SUPERVISOR)) -> QuerySet:
    """The cities a person acts for, as officer or supervisor (or the roles named)."""
    return City.objects.filter(pk__in=_scope_ids(user, set(roles), "city"))


def schemes_facilitated_by(user: User) -> QuerySet:
    return Scheme.objects.filter(pk__in=_scope_ids(user, {Role.EXPERT}, "scheme"))


def coordinated_programmes(user: User) -> QuerySet:
    return Programme.objects.filter(pk__in=_scope_ids(user, {Role.COORDINATOR}, "programme"))


def programmes_for(user: User) -> QuerySet:
    """Every programme the person may look at: through any role they hold in it."""
    if not user.is_authenticated:
        return Programme.objects.none()
    direct = _scope_ids(user, {Role.COORDINATOR, Role.PARTNER}, "programme")
    via_scheme = {m.scheme.programme_id for m in memberships_of(user) if m.role == Role.EXPERT}
    city_ids = _scope_ids(user, {Role.OFFICER, Role.SUPERVISOR}, "city")
    return Programme.objects.filter(
        Q(pk__in=direct | via_scheme) | Q(participations__city__in=city_ids)
    ).distinct()


def invitations_visible_to(user: User) -> QuerySet:
    """Invitations to roles in the programmes the person coordinates."""
    programme_ids = _scope_ids(user, {Role.COORDINATOR}, "programme")
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
