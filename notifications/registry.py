"""The kinds of notification and the reminders, declared by each app in its own
``notifications`` module (found when Django starts, as admin modules are)::

    from notifications.registry import Kind, register, reminder

    register(Kind(
        "reporting.month_signed",
        group=_("Timesheets"),
        label=_("A month is signed and waits for your approval"),
        message=_("%(person)s signed %(month_month)s for %(city)s"),
    ))

    @reminder
    def unsigned_months(now): ...   # calls notify(..., key=<object and deadline>)

A kind's ``message`` is formatted when it is read, in the reader's language and time zone,
with the notification's parameters: a parameter whose name ends in ``_month`` (``2026-03``),
``_date`` (``2026-03-31``), ``_at`` (an ISO moment) or ``_language`` (``de``) is shown as a
month, a date, a moment or the language's name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from .models import Delivery

if TYPE_CHECKING:
    from .models import Notification

Attachment = tuple[str, bytes, str]


@dataclass(frozen=True)
class Kind:
    """One kind of notification: the heading it is listed under and what it is about (on the
    preferences page), the sentence a person reads, the words of the link to its object, how it
    is delivered unless the person chooses otherwise, and the files its e-mail carries."""

    key: str
    group: str | Promise
    label: str | Promise
    message: str | Promise
    action: str | Promise = ""
    default: str = Delivery.EMAIL
    attachments: Callable[["Notification"], list[Attachment]] | None = None

    def text(self, params: dict) -> str:
        shown = {name: _shown(name, value) for name, value in (params or {}).items()}
        try:
            return str(self.message) % shown
        except (KeyError, TypeError, ValueError):
            return str(self.label)


def _shown(name: str, value):
    if not isinstance(value, str) or not value:
        return value
    try:
        if name.endswith("_month"):
            year, month = value.split("-")[:2]
            return formats.date_format(date(int(year), int(month), 1), "YEAR_MONTH_FORMAT")
        if name.endswith("_date"):
            return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
        if name.endswith("_at"):
            moment = datetime.fromisoformat(value)
            return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
        if name.endswith("_language"):
            return _language_name(value)
    except ValueError:
        return value
    return value


def _language_name(code: str) -> str:
    """A language's name in the reader's language (Babel's CLDR data): "allemand" for de."""
    key = code.replace("-", "_")
    try:
        reader = Locale.parse(translation.to_locale(translation.get_language() or "en"))
    except (ValueError, UnknownLocaleError):
        reader = Locale("en")
    name = reader.languages.get(key) or Locale("en").languages.get(key)
    return name[:1].upper() + name[1:] if name else code


_KINDS: dict[str, Kind] = {}
_REMINDERS: list[Callable[[datetime], int]] = []


def register(kind: Kind) -> Kind:
    _KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Forget a kind (tests register kinds of their own and forget them afterwards)."""
    _KINDS.pop(key, None)


def get(key: str) -> Kind:
    return _KINDS[key]


def find(key: str) -> Kind | None:
    return _KINDS.get(key)


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def reminder(function: Callable[[datetime], int]) -> Callable[[datetime], int]:
    """Register a reminder: ``function(now)`` tells whoever a deadline concerns, with a key made
    of the object and the deadline so that it is told once however often it runs; it returns
    how many people it told."""
    if function not in _REMINDERS:
        _REMINDERS.append(function)
    return function


def forget_reminder(function: Callable[[datetime], int]) -> None:
    """Forget a reminder (tests register reminders of their own and forget them afterwards)."""
    if function in _REMINDERS:
        _REMINDERS.remove(function)


def reminders() -> list[Callable[[datetime], int]]:
    return list(_REMINDERS)
