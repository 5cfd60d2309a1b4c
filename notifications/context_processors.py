from django.conf import settings

from .selectors import unread_count


def bell(request) -> dict:
    """The number of the signed-in person's unread notifications, for the bell in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": unread_count(user),
        "bell_poll_seconds": settings.TANDEM_BELL_POLL_SECONDS,
    }
