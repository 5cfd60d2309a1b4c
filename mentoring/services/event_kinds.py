"""Writes for a programme's own list of event kinds."""

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from config import stale

from ..models import EventKind, EventScope, HostSide, Programme, StandardEventKind

# What each of the seven standard kinds is, as every programme starts with it: who it is for,
# whether a city hosts it in person (and which city of a pairing), and its usual length.
STANDARD_KINDS: dict[str, tuple[str, bool, str, int]] = {
    StandardEventKind.LAUNCH_MEETING: (EventScope.PROGRAMME, False, HostSide.ANY, 2),
    StandardEventKind.STUDY_VISIT: (EventScope.PAIRING, True, HostSide.MENTOR, 3),
    StandardEventKind.MENTORING_VISIT: (EventScope.PAIRING, True, HostSide.IMPLEMENTING, 3),
    StandardEventKind.PEER_REVIEW: (EventScope.EITHER, True, HostSide.ANY, 2),
    StandardEventKind.WEBINAR: (EventScope.EITHER, False, HostSide.ANY, 1),
    StandardEventKind.CONFERENCE: (EventScope.PROGRAMME, False, HostSide.ANY, 2),
    StandardEventKind.FINAL_MEETING: (EventScope.PROGRAMME, False, HostSide.ANY, 1),
}

# Changing these would change the rules existing events were planned under.
RULE_FIELDS = ("scope", "hosted", "host_side")


def event_kinds_standard(*, programme: Programme) -> int:
    """Give a programme the seven standard kinds it lacks (named in the active language);
    return how many were added."""
    added = 0
    for code, (scope, hosted, host_side, days) in STANDARD_KINDS.items():
        _kind, created = EventKind.objects.get_or_create(
            programme=programme,
            code=code,
            defaults={
                "name": str(StandardEventKind(code).label),
                "scope": scope,
                "hosted": hosted,
                "host_side": host_side,
                "usual_days": days,
            },
        )
        added += created
    return added


def _code_from(name: str) -> str:
    return slugify(anyascii(name))[:40].strip("-") or "kind"


def event_kind_save(*, kind: EventKind, expected_version: str | None = None) -> EventKind:
    """Add a kind to its programme's list or change one. A kind that events already use keeps
    its rules (who it is for, hosting), so that no planned event breaks them; its name and
    usual length may change. Refused when it changed since the page of ``expected_version``."""
    kind.name = kind.name.strip()
    if not kind.code:
        kind.code = _code_from(kind.name)
    if kind.scope != EventScope.PAIRING or not kind.hosted:
        kind.host_side = HostSide.ANY
    errors: dict[str, list[str]] = {}
    if kind.pk:
        stored = EventKind.objects.get(pk=kind.pk)
        if stored.events.exists():
            for field in RULE_FIELDS:
                if getattr(stored, field) != getattr(kind, field):
                    errors.setdefault(field, []).append(
                        _(
                            "Events of this kind are planned under this rule, so it cannot "
                            "change; add a new kind instead."
                        )
                    )
    try:
        kind.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if kind.pk:
            stale.locked(kind, expected_version)
        kind.save()
    return kind
