"""Reads: a person's notifications, the unread count, their choices."""

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import User

from . import registry
from .models import Delivery, Notification, Preference


def notifications_of(user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first; nobody reads another's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """The number on the bell. The user loaded for a request carries it already
    (``notifications.backends``); otherwise one query."""
    if not user.is_authenticated:
        return 0
    carried = getattr(user, "unread_notifications", None)
    if carried is not None:
        return carried
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def programmes_in(user: User) -> list[str]:
    """The programmes the person's notifications are about, for the list's filter."""
    return sorted(
        set(
            notifications_of(user)
            .exclude(programme="")
            .order_by()
            .values_list("programme", flat=True)
            .distinct()
        )
    )


def preferences_of(user: User) -> list[tuple[str, list[tuple[registry.Kind, str]]]]:
    """Every kind of notification, grouped, with how the person hears of it."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    groups: dict[str, list[tuple[registry.Kind, str]]] = {}
    for kind in registry.kinds():
        groups.setdefault(str(kind.group), []).append((kind, chosen.get(kind.key, kind.default)))
    return list(groups.items())


DELIVERIES = Delivery.choices


def told(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of these (person, event) pairs were told already: one query for a batch, so that
    a reminder run skips what it did before without a query per object."""
    pairs = set(pairs)
    if not pairs:
        return set()
    people = {person for person, _event in pairs}
    events = {event for _person, event in pairs}
    found = Notification.objects.filter(recipient_id__in=people, event__in=events).values_list(
        "recipient_id", "event"
    )
    return set(found) & pairs
