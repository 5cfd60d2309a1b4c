"""Who may read the audit trail: coordinators, for the programmes they coordinate."""

from accounts.models import User
from accounts.selectors import scopes_of


def can_view_audit_trail(user: User) -> bool:
    return bool(scopes_of(user).coordinated)
