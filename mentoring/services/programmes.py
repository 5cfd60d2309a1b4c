"""Writes for programmes, schemes, expert organisations and participation."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import membership_grant
from cities.models import City
from config import stale

from ..models import ExpertOrganisation, Pairing, Participation, Programme, Scheme
from ..permissions import can_create_organisation, can_edit_organisation
from .event_kinds import event_kinds_standard


def programme_create(*, programme: Programme, by: User) -> Programme:
    """Save a new programme with the standard event kinds; the person who opens it becomes its
    coordinator."""
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        event_kinds_standard(programme=programme)
        membership_grant(user=by, role=Role.COORDINATOR, programme=programme)
    return programme


def programme_update(*, programme: Programme, expected_version: str | None = None) -> Programme:
    """Save a programme's changes, unless it changed since the page of ``expected_version``
    was drawn (``config.stale``)."""
    programme.full_clean()
    with transaction.atomic():
        stale.locked(programme, expected_version)
        programme.save()
    return programme


def scheme_save(*, scheme: Scheme, commitments=None, expected_version: str | None = None) -> Scheme:
    """Create or update a scheme; a smaller capacity may not drop below a mentor's current load.
    A scheme changed since the page of ``expected_version`` was drawn is refused."""
    scheme.full_clean()
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
