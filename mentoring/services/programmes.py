"""Writes for programmes, schemes, expert organisations and participation."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import membership_grant
from cities.models import City
from config import stale
from config.slugs import settle_slug

from ..models import ExpertOrganisation, Pairing, Participation, Programme, Scheme
from ..permissions import can_create_organisation, can_edit_organisation
from .event_kinds import event_kinds_standard
from .frames import check_commitments


def programme_create(*, programme: Programme, by: User) -> Programme:
    """Save a new programme with the standard event kinds; the person who opens it becomes its
    coordinator and works in it from now on (their current programme). Its slug is
    transliterated, or made from the name when empty (config.slugs)."""
    settle_slug(programme, fallback="programme")
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        event_kinds_standard(programme=programme)
        membership_grant(user=by, role=Role.COORDINATOR, programme=programme)
        by.current_programme = programme
        by.save(update_fields=["current_programme"])
    for cache in ("_memberships_cache", "_scopes_cache", "_programme_context_cache"):
        by.__dict__.pop(cache, None)
    return programme


# The figures every approved cost of a programme was computed with. Once an app has priced
# something with them (reporting: an approved month), they may no longer change: an auditor
# must be able to recompute every approved figure from the programme as it stands.
PRICING_FIELDS = (
    "currency",
    "hours_per_day",
    "productive_hours_per_year",
    "working_days_per_year",
)
_pricing_in_use: list[Callable[[Programme], bool]] = []


def register_pricing_in_use(check: Callable[[Programme], bool]) -> None:
    """An app that prices with a programme's figures says when they are in use (e.g. reporting:
    a month of the programme is approved). Registered in the app's ``ready()``."""
    if check not in _pricing_in_use:
        _pricing_in_use.append(check)


def _check_pricing_unchanged(programme: Programme) -> None:
    saved = Programme.objects.filter(pk=programme.pk).values(*PRICING_FIELDS).first()
    if saved is None:
        return
    changed = [name for name in PRICING_FIELDS if getattr(programme, name) != saved[name]]
    if changed and any(check(programme) for check in _pricing_in_use):
        message = _(
            "Months of this programme are approved with this value; a coordinator reopens "
            "them before it can change."
        )
        raise ValidationError({name: [message] for name in changed})


def programme_update(*, programme: Programme, expected_version: str | None = None) -> Programme:
    """Save a programme's changes, unless it changed since the page of ``expected_version``
    was drawn (``config.stale``). Its currency and cost-model figures are refused changes once
    something is priced with them (``register_pricing_in_use``)."""
    settle_slug(programme, fallback="programme")
    programme.full_clean()
    with transaction.atomic():
        stale.locked(programme, expected_version)
        _check_pricing_unchanged(programme)
        programme.save()
    return programme


def scheme_save(*, scheme: Scheme, commitments=None, expected_version: str | None = None) -> Scheme:
    """Create or update a scheme; a smaller capacity may not drop below a mentor's current load.
    A scheme changed since the page of ``expected_version`` was drawn is refused."""
    scheme.full_clean()
    if commitments is not None:
        check_commitments(scheme.programme, commitments)
    if scheme.pk:
        from .pairings import ACTIVE_STATUSES

        busiest = (
            Pairing.objects.filter(scheme=scheme, status__in=ACTIVE_STATUSES)
            .values("mentor")
            .annotate(load=Count("pk"))
            .order_by("-load")
            .first()
        )
        if busiest and busiest["load"] > scheme.mentor_capacity:
            raise ValidationError(
                {
                    "mentor_capacity": _(
                        "A mentor city already has %(load)s pairings in this scheme; the capacity "
                        "cannot be lower."
                    )
                    % {"load": busiest["load"]}
                }
            )
    with transaction.atomic():
        if scheme.pk:
            stale.locked(scheme, expected_version)
        scheme.save()
        if commitments is not None:
            scheme.commitments.set(commitments)
    return scheme


def organisation_save(
    *, organisation: ExpertOrganisation, by: User, expected_version: str | None = None
) -> ExpertOrganisation:
    """Create an expert organisation (``by`` owns it until it facilitates a scheme) or change
    one ``by`` owns (``permissions.can_edit_organisation``, judged on the stored row)."""
    if organisation.pk is None:
        allowed, reason = can_create_organisation(by)
        organisation.created_by = by
    else:
        stored = ExpertOrganisation.objects.get(pk=organisation.pk)
        allowed, reason = can_edit_organisation(by, stored)
        organisation.created_by_id = stored.created_by_id
    if not allowed:
        raise ValidationError(reason, code="forbidden")
    organisation.full_clean()
    with transaction.atomic():
        if organisation.pk:
            stale.locked(organisation, expected_version)
        organisation.save()
    return organisation


def participation_remove(*, programme: Programme, city: City) -> None:
    """Take a city out of a programme, unless it still has pairings there."""
    in_pairings = Pairing.objects.filter(scheme__programme=programme).filter(
        Q(mentor=city) | Q(implementing=city)
    )
    if in_pairings.exists():
        raise ValidationError(
            _("%(city)s has pairings in %(programme)s; withdraw or delete them first.")
            % {"city": city, "programme": programme}
        )
    Participation.objects.filter(programme=programme, city=city).delete()


def programme_choose(*, user: User, programme: Programme) -> User:
    """Remember the programme the person works in, on the person (so it follows them to every
    device and sign-in). Only a programme they take part in may be chosen."""
    from ..selectors.programmes import programme_context

    if programme.pk not in {p.pk for p in programme_context(user).programmes}:
        raise ValidationError(
            {"programme": _("You do not take part in %(programme)s.") % {"programme": programme}}
        )
    user.current_programme = programme
    user.save(update_fields=["current_programme"])
    user.__dict__.pop("_programme_context_cache", None)
    return user
