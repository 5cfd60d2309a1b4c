"""The demo's notifications: the steps of the demo history tell people as they would have, dated
on the day of each step; once seeded, each person keeps their three newest unread, as someone
who has caught up with the rest."""

from django.db.models import F, OuterRef, Subquery

from accounts.demo import DemoStep, date_always, register

from .models import Notification

UNREAD_LEFT = 3

date_always(Notification, "created_at")


def leave_the_newest_unread(run) -> None:
    newest = Notification.objects.filter(recipient=OuterRef("recipient")).order_by(
        "-created_at", "-pk"
    )[UNREAD_LEFT - 1 : UNREAD_LEFT]
    cutoff = Subquery(newest.values("created_at"))
    Notification.objects.filter(read_at__isnull=True, created_at__lt=cutoff).update(
        read_at=F("created_at")
    )


register(DemoStep("notifications", 990, leave_the_newest_unread))
