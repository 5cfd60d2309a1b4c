"""Writes for programmes, schemes and pairings. Each rule here gives a message a form can show."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cities.models import City

from ..models import Pairing, PairingStatus, Participation, Programme, Scheme

ACTIVE_STATUSES = (PairingStatus.PROPOSED, PairingStatus.ACTIVE)


def participation_add(*, programme: Programme, city: City) -> Participation:
    participation, _created = Participation.objects.get_or_create(programme=programme, city=city)
    return participation


def pairing_validate(*, scheme: Scheme, mentor: City, implementing: City) -> None:
    """Check the pairing rules; raise a ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    if mentor.pk == implementing.pk:
        errors.setdefault("implementing", []).append(_("A city cannot be paired with itself."))
    taking_part = set(
        Participation.objects.filter(
            programme_id=scheme.programme_id, city__in=[mentor, implementing]
        ).values_list("city_id", flat=True)
    )
    for field, city in (("mentor", mentor), ("implementing", implementing)):
        if city.pk not in taking_part:
            errors.setdefault(field, []).append(
                _("%(city)s does not take part in %(programme)s.")
                % {"city": city, "programme": scheme.programme}
            )
    if Pairing.objects.filter(scheme=scheme, mentor=mentor, implementing=implementing).exists():
        errors.setdefault("__all__", []).append(
            _("%(mentor)s already mentors %(implementing)s in this scheme.")
            % {"mentor": mentor, "implementing": implementing}
        )
    load = Pairing.objects.filter(scheme=scheme, mentor=mentor, status__in=ACTIVE_STATUSES).count()
    if load >= scheme.mentor_capacity:
        errors.setdefault("mentor", []).append(
            ngettext(
                "%(mentor)s has reached its capacity of %(capacity)s pairing in this scheme.",
                "%(mentor)s has reached its capacity of %(capacity)s pairings in this scheme.",
                scheme.mentor_capacity,
            )
            % {"mentor": mentor, "capacity": scheme.mentor_capacity}
        )
    if errors:
        raise ValidationError(errors)


def pairing_create(
    *,
    scheme: Scheme,
    mentor: City,
    implementing: City,
    by: User | None = None,
    status: str = PairingStatus.PROPOSED,
) -> Pairing:
    with transaction.atomic():
        # Lock the scheme so that two coordinators cannot both fill a mentor's last place.
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        pairing_validate(scheme=scheme, mentor=mentor, implementing=implementing)
        pairing = Pairing(
            scheme=scheme, mentor=mentor, implementing=implementing, status=status, created_by=by
        )
        pairing.full_clean()
        pairing.save()
    return pairing
