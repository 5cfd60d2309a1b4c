"""The e-mails: one notification, or a morning's digest; in the recipient's language and time
zone, plain text and HTML, with a signed one-click link to change how they hear of this kind
(also in the List-Unsubscribe header, RFC 8058)."""

from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import zone_of

from . import registry
from .models import Notification

SALT = "notifications.preference"
# The token of a digest names this instead of a kind: its link stops the person's digests.
DIGEST = "notifications.digest"


def preference_token(user: User, kind: str) -> str:
    """A signed token naming a person and a kind: whoever holds it (the person's mailbox) may
    change how that person hears of that kind, without signing in."""
    return signing.dumps([user.pk, kind], salt=SALT, compress=True)


def read_preference_token(token: str) -> tuple[int, str] | None:
    try:
        user_pk, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_pk, int) or not isinstance(kind, str):
        return None
    return user_pk, kind


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def language_of(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def subject_of(notification: Notification) -> str:
    """What happened and in which programme, in the active language."""
    text = registry.get(notification.kind).text(notification.params)
    if notification.programme:
        return f"[{notification.programme}] {text}"
    return text


def item_context(notification: Notification) -> dict:
    spec = registry.get(notification.kind)
    return {
        "text": spec.text(notification.params),
        "action": str(spec.action) or _("Open in Tandem"),
        "url": absolute(notification.link) if notification.link else absolute("/"),
        "programme": notification.programme,
        "comment": notification.params.get("comment", ""),
        "created_at": timezone.localtime(notification.created_at),
        "kind_label": str(spec.label),
        "preference_url": absolute(
            reverse(
                "notifications:one_click",
                kwargs={"token": preference_token(notification.recipient, notification.kind)},
            )
        ),
    }


def _message(
    user: User, subject: str, template: str, context: dict, kind: str | None
) -> EmailMultiAlternatives:
    headers = {}
    if kind is not None:
        token = preference_token(user, kind)
        one_click = absolute(reverse("notifications:one_click", kwargs={"token": token}))
        context["preference_url"] = one_click
        headers["List-Unsubscribe"] = f"<{one_click}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        context["preference_url"] = absolute(reverse("notifications:preferences"))
    context["preferences_page_url"] = absolute(reverse("notifications:preferences"))
    context["site_url"] = settings.SITE_URL
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=text, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def send_one(notification: Notification) -> None:
    user = notification.recipient
    spec = registry.get(notification.kind)
    with translation.override(language_of(user)), timezone.override(zone_of(user)):
        context = {
            "user": user,
            "item": item_context(notification),
            "kind_label": str(spec.label),
            "language": language_of(user),
        }
        message = _message(user, subject_of(notification), "notification", context, spec.key)
        for filename, content, mimetype in (
            spec.attachments(notification) if spec.attachments else []
        ):
            message.attach(filename, content, mimetype)
    message.send()


def send_digest(user: User, items: list[Notification], *, day: date) -> None:
    with translation.override(language_of(user)), timezone.override(zone_of(user)):
        programmes = sorted({item.programme for item in items if item.programme})
        subject = _("Your Tandem digest: %(count)s notifications") % {"count": len(items)}
        if programmes:
            subject = f"[{', '.join(programmes)}] {subject}"
        context = {
            "user": user,
            "items": [item_context(item) for item in items],
            "day": day,
            "language": language_of(user),
        }
        message = _message(user, subject, "digest", context, DIGEST)
    message.send()
