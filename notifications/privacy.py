"""Notifications' share of a person's data: what they were told and how they chose to be told.
Both are the person's own and are deleted on erasure; other people's notifications that name
them (``params``: "Eve Expert approved…") no longer do."""

import re
from typing import Any

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import REDACTED, PersonalDataPart, Row, register

from . import registry
from .models import Notification, Preference

# Parameters that name the person who took a step: in a person's download, someone else's name
# is left out (their data is not the requester's), as the timesheet log says only "by you" or not.
PEOPLE_PARAMS = ("person", "by")


def export(person: User) -> dict[str, Any]:
    own = person.get_full_name()

    def text(notification: Notification) -> str:
        spec = registry.find(notification.kind)
        if spec is None:
            return notification.kind
        params = {
            name: (_("another person") if name in PEOPLE_PARAMS and value != own else value)
            for name, value in notification.params.items()
        }
        return spec.text(params)

    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": text(n),
                "programme": n.programme,
                "link": n.link,
                "created_at": n.created_at,
                "read_at": n.read_at,
                "delivery": n.delivery,
                "emailed_at": n.emailed_at,
            }
            for n in Notification.objects.filter(recipient=person).order_by("created_at", "pk")
        ],
        "notification_preferences": [
            {"kind": p.kind, "delivery": p.delivery}
            for p in Preference.objects.filter(user=person).order_by("kind")
        ],
    }


def deleted(person: User) -> dict[str, int]:
    return {
        "notifications": Notification.objects.filter(recipient=person).count(),
        "notification_preferences": Preference.objects.filter(user=person).count(),
    }


def _redacted(value: Any, needles: list[str]) -> Any:
    if not isinstance(value, str):
        return value
    for needle in needles:
        value = re.sub(re.escape(needle), REDACTED, value, flags=re.IGNORECASE)
    return value


def erase(person: User, *, old_email: str) -> None:
    Notification.objects.filter(recipient=person).delete()
    Preference.objects.filter(user=person).delete()
    needles = sorted((n for n in (person.full_name, old_email) if n), key=len, reverse=True)
    if not needles:
        return
    mentions = Q()
    for needle in needles:
        mentions |= Q(params_text__icontains=needle)
    naming = Notification.objects.annotate(params_text=Cast("params", TextField())).filter(mentions)
    for notification in naming.only("pk", "params"):
        params = {name: _redacted(value, needles) for name, value in notification.params.items()}
        Notification.objects.filter(pk=notification.pk).update(params=params)


register(
    PersonalDataPart(
        name="notifications",
        order=50,
        export=export,
        deleted=deleted,
        erase=erase,
        deleted_rows=(
            Row("notifications", _("Notifications they received"), 100),
            Row("notification_preferences", _("How they chose to be notified"), 110),
        ),
    )
)
