"""Reading the audit trail: the one place that scopes log entries to a coordinator."""

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.selectors import scopes_of

from .models import AuditScope


def entries_visible_to(user: User, *, programme_id: int | None = None) -> QuerySet:
    """Changes to what belongs to the programmes the person coordinates (or to the one of them
    given), newest first. What belongs to a city (staff rates) shows in every programme the
    city takes part in."""
    programme_ids = scopes_of(user).coordinated
    if programme_id is not None:
        programme_ids = programme_ids & {programme_id}
    if not programme_ids:
        return LogEntry.objects.none()
    scopes = AuditScope.objects.filter(
        Q(programme_id__in=programme_ids) | Q(city__participations__programme_id__in=programme_ids)
    )
    return (
        LogEntry.objects.filter(pk__in=scopes.values("entry_id"))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
