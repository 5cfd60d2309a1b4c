"""Writes: telling people (``notify``, the one call every app uses), reading, choosing how to
be told, and sending the e-mails (at once, or gathered in the morning digest)."""

import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import zone_of
from config import clock
from documents.jobs import send_after_commit

from . import emails, registry
from .models import Delivery, Notification, Preference

logger = logging.getLogger(__name__)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_history: ContextVar[bool] = ContextVar("notifications_history", default=False)


@contextmanager
def as_history() -> Iterator[None]:
    """Inside the block, steps tell people as ever, but as history: the notifications show in
    the portal and no e-mail goes out (the demo seeds its 2016-2018 story so)."""
    token = _history.set(True)
    try:
        yield
    finally:
        _history.reset(token)


def notify(
    kind: str,
    *,
    recipients: Iterable[User],
    about: models.Model | None = None,
    link: str = "",
    params: dict | None = None,
    programme: object = "",
    key: str | None = None,
    actor: User | None = None,
) -> int:
    """Tell ``recipients`` (but not ``actor``, who did it) that ``kind`` happened to ``about``.

    Call it inside the transaction that makes the change: the notifications are written with
    it and vanish with a rollback; the e-mails of those who want them at once are sent after
    the commit, by a task. ``key`` names the event (by default a new one each call): a person
    is told of one event once, so a task or a reminder that runs twice tells nobody twice.
    ``link`` is the path of the page to open. Returns how many people are told."""
    spec = registry.get(kind)
    people = {
        user.pk: user
        for user in recipients
        if user is not None and user.is_active and user.erased_at is None
    }
    if actor is not None:
        people.pop(actor.pk, None)
    if not people:
        return 0
    if link and not (link.startswith("/") and not link.startswith("//")):
        raise ValueError(f"A notification links to a path of the portal, not {link!r}")
    key = (key or f"{kind}:{uuid.uuid4().hex}")[:255]
    # Those told of this event already (a reminder or a task that runs again) are not told
    # again, nor counted; the unique constraint holds it against a concurrent run too.
    for told in Notification.objects.filter(event=key, recipient_id__in=people).values_list(
        "recipient_id", flat=True
    ):
        people.pop(told, None)
    if not people:
        return 0
    chosen = dict(
        Preference.objects.filter(user_id__in=people, kind=kind).values_list("user_id", "delivery")
    )
    content_type = ContentType.objects.get_for_model(about) if about is not None else None
    values = {name: _json_value(value) for name, value in (params or {}).items()}
    moment = clock.now()
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            event=key,
            params=values,
            programme=str(programme or "")[:120],
            content_type=content_type,
            object_id=about.pk if about is not None else None,
            link=link,
            delivery=chosen.get(pk, spec.default),
            created_at=moment,
            # Told of history (``as_history``): in the portal, never e-mailed, nor digested.
            emailed_at=moment if _history.get() else None,
        )
        for pk in sorted(people)
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if not _history.get() and any(row.delivery == Delivery.EMAIL for row in rows):
        from .tasks import deliver_notifications

        send_after_commit(deliver_notifications, key)
    return len(rows)


# Reading -----------------------------------------------------------------------------------


def notification_open(notification: Notification, *, by: User) -> Notification:
    """The person opens a notification of theirs: it is read."""
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_unread(notification: Notification, *, by: User) -> Notification:
    if notification.recipient_id != by.pk:
        raise ValidationError(_("This notification is someone else's."))
    notification.read_at = None
    Notification.objects.filter(pk=notification.pk).update(read_at=None)
    return notification


def notifications_mark_all_read(*, user: User, queryset=None) -> int:
    """Mark read every unread notification of the person (or those of ``queryset``, which is
    narrowed to theirs). Returns how many."""
    rows = (queryset if queryset is not None else Notification.objects).filter(
        recipient=user, read_at__isnull=True
    )
    return rows.update(read_at=clock.now())


# Choosing how -----------------------------------------------------------------------------


def preference_set(*, user: User, kind: str, delivery: str) -> Preference | None:
    """How the person hears of ``kind`` from now on (the kind's default removes the choice)."""
    spec = registry.find(kind)
    if spec is None:
        raise ValidationError({"kind": [_("There is no such kind of notification.")]})
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": [_("Choose one of the ways offered.")]})
    with transaction.atomic():
        if delivery == spec.default:
            Preference.objects.filter(user=user, kind=kind).delete()
            return None
        preference, _created = Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery}
        )
    return preference


def digest_stop(*, user: User) -> int:
    """Every kind the person hears of in the digest is shown in the portal only from now on.
    Returns how many kinds changed."""
    changed = 0
    with transaction.atomic():
        for kind in registry.kinds():
            if delivery_of(user, kind.key) == Delivery.DIGEST:
                preference_set(user=user, kind=kind.key, delivery=Delivery.PORTAL)
                changed += 1
    return changed


def delivery_of(user: User, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    return chosen.first() or registry.get(kind).default


# Sending ----------------------------------------------------------------------------------


def deliver(key: str) -> int:
    """E-mail the notifications of event ``key`` to those who want them at once; each is sent
    once (a retried or repeated task finds it sent). Returns how many were sent."""
    sent = 0
    pks = Notification.objects.filter(
        event=key, delivery=Delivery.EMAIL, emailed_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(pks):
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None:  # sent by another run meanwhile
                continue
            # Someone who left (deactivated, erased) since is not written to.
            recipient = notification.recipient
            if recipient.is_active and recipient.erased_at is None:
                emails.send_one(notification)
                sent += 1
            notification.emailed_at = clock.now()
            notification.save(update_fields=["emailed_at"])
    return sent


def send_digests(now: datetime | None = None) -> int:
    """Send each person with notifications waiting for their digest one e-mail that gathers
    them, once it is morning where they are (TANDEM_DIGEST_HOUR in their time zone). Gathers
    what came before this morning; run as often as beat likes, it sends each item once.
    Returns how many digests were sent."""
    now = now or clock.now()
    hour = settings.TANDEM_DIGEST_HOUR
    waiting = (
        Notification.objects.filter(delivery=Delivery.DIGEST, emailed_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(waiting), is_active=True):
        zone = zone_of(user)
        local = now.astimezone(zone)
        if local.hour < hour:
            continue
        morning = datetime.combine(local.date(), time(hour), tzinfo=zone)
        with transaction.atomic():
            items = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(
                    recipient=user,
                    delivery=Delivery.DIGEST,
                    emailed_at__isnull=True,
                    created_at__lt=morning,
                )
                .order_by("created_at", "pk")
            )
            if not items:
                continue
            for item in items:
                item.recipient = user  # each item's links are signed for them: no query each
            emails.send_digest(user, items, day=local.date())
            Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                emailed_at=clock.now()
            )
            sent += 1
    return sent


def run_reminders(now: datetime | None = None) -> int:
    """Run every app's reminders for this moment; each tells a person once per object and
    deadline, so running twice (beat twice, a retry) tells nobody twice."""
    now = now or clock.now()
    told = 0
    for remind in registry.reminders():
        with transaction.atomic():
            told += remind(now) or 0
    return told


def forget_old(now: datetime | None = None) -> int:
    """Remove read notifications older than TANDEM_NOTIFICATIONS_KEEP_DAYS."""
    now = now or clock.now()
    cutoff = now - timedelta(days=settings.TANDEM_NOTIFICATIONS_KEEP_DAYS)
    deleted, _counts = Notification.objects.filter(
        read_at__isnull=False, created_at__lt=cutoff
    ).delete()
    return deleted
