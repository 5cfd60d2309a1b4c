"""Pure permission functions about people and invitations. The permissions on programmes,
schemes and pairings live in mentoring.permissions, those on cities in cities.permissions."""

from .models import User
from .selectors import scopes_of


def can_invite(user: User, *, programme=None, scheme=None, city=None) -> bool:
    """Coordinators invite people to their programme, its schemes and its cities."""
    coordinated = scopes_of(user).coordinated
    if programme is not None:
        return programme.pk in coordinated
    if scheme is not None:
        return scheme.programme_id in coordinated
    if city is not None:
        return city.participations.filter(programme_id__in=coordinated).exists()
    return False
