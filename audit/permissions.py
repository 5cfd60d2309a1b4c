"""Who may read the audit trail: coordinators, for the programmes they coordinate."""

from accounts.models import Role, User
from accounts.selectors import memberships_of


def coordinated_programme_ids(user: User) -> set[int]:
    return {
        m.programme_id
        for m in memberships_of(user)
        if m.role == Role.COORDINATOR and m.programme_id is not None
    }


def can_view_audit_trail(user: User) -> bool:
    return bool(coordinated_programme_ids(user))
