"""A person's personal data: what Tandem holds about them (the export), and its erasure on
request (GDPR articles 15, 17 and 20).

Erasure does not delete the account row: approved timesheets, the signatures on them and much of
the programme's shared work point at it with protected foreign keys, and an EU audit needs the
approved staff costs for years after the final payment (DOMAIN.md: records are kept 5 years).
The row becomes an anonymous shell instead, "Erased person #<pk>", and everything personal that
the audit does not need is deleted. See ``erase_person`` for the line drawn.

This module holds the account's own part (profile, roles, invitations, sign-in) and the registry:
every other app describes its share of a person's data in its own ``privacy.py`` with
``register(PersonalDataPart(...))``; ``AccountsConfig.ready`` imports those modules. A new app
that holds personal data adds a part in its own folder and edits nothing here.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiRequest, ApiToken, ErasureRecord, Invitation, Membership, Role, User
from .selectors import memberships_of

logger = logging.getLogger(__name__)

EXPORT_FORMAT_VERSION = 1


# The registry ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One kind of record on the erasure pages: its key in the counts, what it means (for kept
    records, why they stay) and where it stands in the table."""

    key: str
    label: str | Promise
    position: int


def _no_counts(person: User) -> dict[str, int]:
    return {}


def _no_programmes(person: User, *, city_ids: set[int]) -> set[int]:
    return set()


def _nothing(person: User) -> dict[str, Any]:
    return {}


def _erase_nothing(person: User, *, old_email: str) -> None:
    return None


@dataclass(frozen=True)
class PersonalDataPart:
    """One app's share of a person's data.

    ``export`` returns the app's sections of the download, ``profile`` fields added to its
    profile section. ``programmes`` names the programmes the person's records in the app touch
    (``city_ids`` are the cities they act for), which decides which coordinators may erase them.
    ``deleted`` and ``kept`` count what erasure deletes and keeps (keys of ``deleted_rows`` and
    ``kept_rows``); ``erase`` deletes, inside ``erase_person``'s transaction and before the
    account itself is anonymised. Parts run in ``order``."""

    name: str
    order: int
    export: Callable[[User], dict[str, Any]] = _nothing
    profile: Callable[[User], dict[str, Any]] = _nothing
    programmes: Callable[..., set[int]] = _no_programmes
    deleted: Callable[[User], dict[str, int]] = _no_counts
    kept: Callable[[User], dict[str, int]] = _no_counts
    erase: Callable[..., None] = _erase_nothing
    deleted_rows: tuple[Row, ...] = ()
    kept_rows: tuple[Row, ...] = ()


_parts: dict[str, PersonalDataPart] = {}


def register(part: PersonalDataPart) -> PersonalDataPart:
    """Add (or, registered again under the same name, replace) an app's part."""
    _parts[part.name] = part
    return part


def parts() -> list[PersonalDataPart]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def deleted_rows() -> list[Row]:
    return sorted((row for part in parts() for row in part.deleted_rows), key=_position)


def kept_rows() -> list[Row]:
    return sorted((row for part in parts() for row in part.kept_rows), key=_position)


def _position(row: Row) -> int:
    return row.position


# The account's own part --------------------------------------------------------------------------


def _invitations_to(person: User) -> QuerySet:
    return Invitation.objects.filter(
        Q(email__iexact=person.email) | Q(accepted_by=person)
    ).order_by("created_at", "pk")


def _account_profile(person: User) -> dict[str, Any]:
    return {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "time_zone": person.time_zone,
        "language": person.language,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "is_active": person.is_active,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=person).order_by("pk")
        ],
        "two_factor_methods": [
            {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
            for a in Authenticator.objects.filter(user=person).order_by("pk")
        ],
    }


def _account_export(person: User) -> dict[str, Any]:
    return {
        "memberships": [
            {
                "role": m.role,
                "scope": str(m.scope),
                "since": m.created_at,
            }
            for m in Membership.objects.filter(user=person).select_related(
                "programme", "scheme__programme", "city"
            )
        ],
        "invitations_received": [
            {
                "role": i.role,
                "scope": str(i.scope),
                "email": i.email,
                "full_name": i.full_name,
                "created_at": i.created_at,
                "accepted_at": i.accepted_at,
            }
            for i in _invitations_to(person).select_related("programme", "scheme", "city")
        ],
        # Whom they invited is the invitees' personal data: the role and date only.
        "invitations_sent": [
            {
                "role": i.role,
                "scope": str(i.scope),
                "created_at": i.created_at,
                "accepted": i.accepted_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=person)
            .select_related("programme", "scheme", "city")
            .order_by("created_at", "pk")
        ],
    }


def _account_deleted(person: User) -> dict[str, int]:
    return {
        "memberships": Membership.objects.filter(user=person).count(),
        "invitations": _invitations_to(person).count(),
        "email_addresses": EmailAddress.objects.filter(user=person).count(),
        "two_factor_methods": Authenticator.objects.filter(user=person).count(),
    }


def _sessions_of(person: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(person.pk):
            keys.append(session.session_key)
    return keys


def _account_erase(person: User, *, old_email: str) -> None:
    Membership.objects.filter(user=person).delete()
    _invitations_to(person).delete()
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    Session.objects.filter(session_key__in=_sessions_of(person)).delete()


register(
    PersonalDataPart(
        name="accounts",
        order=0,
        profile=_account_profile,
        export=_account_export,
        deleted=_account_deleted,
        erase=_account_erase,
        deleted_rows=(
            Row(
                "memberships",
                gettext_lazy(
                    "Roles in programmes, schemes and cities (they leave every team list)"
                ),
                10,
            ),
            Row("invitations", gettext_lazy("Invitations addressed to them"), 20),
            Row("email_addresses", gettext_lazy("Sign-in e-mail addresses"), 30),
            Row("two_factor_methods", gettext_lazy("Two-factor authentication methods"), 40),
        ),
    )
)


# Personal API tokens and the log of the person's API requests ------------------------------------


def _api_export(person: User) -> dict[str, Any]:
    """The tokens without their secret (which is not kept), and the requests made as them."""
    return {
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": f"tdm_{t.prefix}",
                "scopes": t.scopes,
                "created_at": t.created_at,
                "expires_at": t.expires_at,
                "last_used_at": t.last_used_at,
                "revoked_at": t.revoked_at,
            }
            for t in ApiToken.objects.filter(owner=person).order_by("created_at", "pk")
        ],
        "api_requests": [
            {"method": r.method, "path": r.path, "status": r.status, "at": r.at}
            for r in ApiRequest.objects.filter(user=person).order_by("at", "pk").iterator()
        ],
    }


def _api_deleted(person: User) -> dict[str, int]:
    return {
        "api_tokens": ApiToken.objects.filter(owner=person).count(),
        "api_requests": ApiRequest.objects.filter(user=person).count(),
    }


def _api_erase(person: User, *, old_email: str) -> None:
    ApiRequest.objects.filter(user=person).delete()
    ApiToken.objects.filter(owner=person).delete()


register(
    PersonalDataPart(
        name="api",
        order=5,
        export=_api_export,
        deleted=_api_deleted,
        erase=_api_erase,
        deleted_rows=(
            Row("api_tokens", gettext_lazy("Personal API tokens"), 45),
            Row("api_requests", gettext_lazy("The log of their requests to the API"), 46),
        ),
    )
)


# Export ------------------------------------------------------------------------------------------


def personal_data(person: User) -> dict[str, Any]:
    """Everything Tandem holds about the person, as plain data for a JSON download.

    Only the person's own data: where a record involves someone else (who approved a month, who
    invited them, whom they invited) it says what happened and when, never who the other person
    is. Secrets (password hash, two-factor secrets, the calendar feed token) are not included;
    their existence is. A fixed number of queries, however much the person has recorded.
    """
    profile: dict[str, Any] = {}
    for part in parts():
        profile |= part.profile(person)
    data: dict[str, Any] = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now(),
        "about": _(
            "Your data in Tandem. Records that involve other people say what happened and "
            "when, not who they are. Passwords, two-factor secrets and the calendar feed "
            "token are never exported."
        ),
        "profile": profile,
    }
    for part in parts():
        data |= part.export(person)
    return data


# Who may erase whom ------------------------------------------------------------------------------


def programmes_of(person: User) -> set[int]:
    """Every programme the person's memberships or records touch. An officer or supervisor
    belongs to every programme their city takes part in."""
    ids: set[int] = set()
    city_ids = set()
    for m in Membership.objects.filter(user=person).select_related("scheme"):
        if m.programme_id:
            ids.add(m.programme_id)
        elif m.scheme_id:
            ids.add(m.scheme.programme_id)
        elif m.city_id:
            city_ids.add(m.city_id)
    for part in parts():
        ids |= part.programmes(person, city_ids=city_ids)
    return ids


def _coordinated(user: User) -> set[int]:
    return {m.programme_id for m in memberships_of(user) if m.role == Role.COORDINATOR}


def may_consider_erasure(user: User, person: User) -> bool:
    """The erasure page is for coordinators of a programme the person takes part in."""
    return bool(_coordinated(user) & programmes_of(person))


def erasure_refusal(user: User, person: User) -> str | None:
    """Why this coordinator may not erase this person, or None if they may.

    A coordinator erases only people whose every role and timesheet lies in programmes they
    coordinate: erasing someone who also works for another programme would delete that
    programme's data behind its coordinators' backs. An administrator can (``erase_person``).
    """
    if person.erased_at is not None:
        return _("This person's data has already been erased.")
    if person.pk == user.pk:
        return _(
            "You cannot erase your own data here. Ask another coordinator of your programme "
            "or an administrator."
        )
    if person.is_staff or person.is_superuser:
        return _("Only an administrator can erase the data of another administrator.")
    coordinated = _coordinated(user)
    touched = programmes_of(person)
    if not coordinated & touched:
        return _("This person takes no part in a programme you coordinate.")
    if touched - coordinated:
        return _(
            "This person also takes part in a programme you do not coordinate, so you cannot "
            "erase their data. An administrator can."
        )
    return None


# Erasure -----------------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    """How many records of each kind erasure deletes and keeps, for the confirmation page and
    the erasure record."""

    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)


def erasure_plan(person: User) -> ErasurePlan:
    deleted: dict[str, int] = {}
    kept: dict[str, int] = {}
    for part in parts():
        deleted |= part.deleted(person)
        kept |= part.kept(person)
    return ErasurePlan(
        deleted={row.key: deleted.get(row.key, 0) for row in deleted_rows()},
        kept={row.key: kept.get(row.key, 0) for row in kept_rows()},
    )


def erase_person(person: User, *, by: User | None) -> ErasureRecord:
    """Erase the person's personal data on request, in one transaction, and record it.

    Deleted: name, e-mail address (replaced by erased-<pk>@invalid), password (made unusable),
    allauth e-mail addresses, two-factor authenticators, open sessions, invitations addressed to
    them, every membership (so they leave every team list), and what each app's part deletes:
    the calendar feed token, the contact details of good practices that name them, and every
    timesheet month that never reached a supervisor's approval with its time entries and log:
    such months were never claimed as co-financing, so no audit needs them. Rates that priced
    none of the kept months go too.

    Kept, pointing at the anonymised "Erased person #<pk>": approved months (and months once
    approved, then reopened, which a report may already have claimed), their time entries and
    signature log, and the staff rates they were costed with. The EU audit of the programme
    needs them until its retention period ends (5 years after the final payment); the staff-cost
    reports therefore compute the same totals. Also kept: the person's signatures on other
    people's months, their attendances (evidence of paid travel), and the shared work of the
    programme they wrote (event reports, good practices, reviews, action-plan comments and
    steps), which belongs to the programme and no longer names them.

    ``by`` is the coordinator who performed it, held to ``erasure_refusal``, or None for an
    administrator's command, which may erase anyone not yet erased.
    """
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.erased_at is not None:
            raise ValidationError(_("This person's data has already been erased."))
        refusal = erasure_refusal(by, person) if by is not None else None
        if refusal:
            raise PermissionDenied(refusal)
        plan = erasure_plan(person)
        old_email, old_name = person.email, person.full_name

        # The apps' records first (a month's entries before the account's roles, as before),
        # then the account's own.
        for part in sorted(parts(), key=lambda part: part.name == "accounts"):
            part.erase(person, old_email=old_email)

        person.full_name = ""
        person.time_zone = ""  # where the person is, roughly
        person.language = ""
        # Not a deliverable address on purpose (RFC 2606 reserves .invalid); unique by the pk.
        person.email = f"erased-{person.pk}@invalid"
        person.set_unusable_password()
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.last_login = None
        person.erased_at = timezone.now()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()

        record = ErasureRecord.objects.create(
            person=person, by=by, at=person.erased_at, deleted=plan.deleted, kept=plan.kept
        )
        _scrub_audit_log(person, old_email=old_email, old_name=old_name)
    logger.info(
        "Personal data of person #%s erased by %s",
        person.pk,
        f"person #{by.pk}" if by is not None else "an administrator (erase_person command)",
    )
    return record


REDACTED = "[erased]"


def _redact(value: Any, needles: list[str]) -> Any:
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), REDACTED, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_redact(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _redact(v, needles) for k, v in value.items()}
    return value


def _scrub_audit_log(person: User, *, old_email: str, old_name: str) -> None:
    """Remove the erased person's identity from django-auditlog's entries: the e-mail address
    and network address stored with what they did, and their old e-mail address or name in any
    recorded change (their own account's changes, the erasure itself included)."""
    if not apps.is_installed("auditlog"):
        return
    from auditlog import get_logentry_model
    from django.db.models import TextField
    from django.db.models.functions import Cast

    log_entry = get_logentry_model()
    log_entry.objects.filter(actor=person).update(
        actor_email=None, remote_addr=None, remote_port=None
    )
    needles = sorted((n for n in (old_email, old_name) if n), key=len, reverse=True)
    if not needles:
        return
    mentions = Q()
    for needle in needles:
        mentions |= (
            Q(changes_text__icontains=needle)
            | Q(object_repr__icontains=needle)
            | Q(changes_as_text__icontains=needle)
            | Q(serialized_as_text__icontains=needle)
            | Q(additional_as_text__icontains=needle)
        )
    entries = log_entry.objects.annotate(
        changes_as_text=Cast("changes", TextField()),
        serialized_as_text=Cast("serialized_data", TextField()),
        additional_as_text=Cast("additional_data", TextField()),
    ).filter(mentions)
    for entry in entries:
        entry.changes = _redact(entry.changes, needles)
        entry.serialized_data = _redact(entry.serialized_data, needles)
        entry.additional_data = _redact(entry.additional_data, needles)
        entry.changes_text = _redact(entry.changes_text, needles)
        entry.object_repr = _redact(entry.object_repr, needles)
        # A queryset update, not save(): saving a log entry may re-stamp its actor.
        log_entry.objects.filter(pk=entry.pk).update(
            changes=entry.changes,
            serialized_data=entry.serialized_data,
            additional_data=entry.additional_data,
            changes_text=entry.changes_text,
            object_repr=entry.object_repr,
        )
