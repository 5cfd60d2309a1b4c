"""Writes for programmes, schemes and pairings. Each rule here gives a message a form can show."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cities.models import City

from ..models import Pairing, PairingStatus, Participation, Programme, Scheme
from ..selectors.pairings import was_withdrawn

ACTIVE_STATUSES = (PairingStatus.PROPOSED, PairingStatus.ACTIVE)


def participation_add(*, programme: Programme, city: City) -> Participation:
    participation, _created = Participation.objects.get_or_create(programme=programme, city=city)
    return participation


def pairing_validate(*, scheme: Scheme, mentor: City, implementing: City, pairings=None) -> None:
    """Check the pairing rules against the other pairings; raise a ValidationError by field.

    A pair whose pairing was withdrawn before, in any scheme of the programme and whichever city
    mentored, is refused outright: it is never proposed again."""
    if was_withdrawn(scheme=scheme, mentor=mentor, implementing=implementing):
        raise ValidationError(
            _(
                "A pairing of %(mentor)s and %(implementing)s was withdrawn before in this "
                "programme; it is not proposed again."
            )
            % {"mentor": mentor, "implementing": implementing}
        )
    pairings = Pairing.objects.all() if pairings is None else pairings
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
    if pairings.filter(scheme=scheme, mentor=mentor, implementing=implementing).exists():
        errors.setdefault("__all__", []).append(
            _("%(mentor)s already mentors %(implementing)s in this scheme.")
            % {"mentor": mentor, "implementing": implementing}
        )
    load = pairings.filter(scheme=scheme, mentor=mentor, status__in=ACTIVE_STATUSES).count()
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


# Where each status may go next. Withdrawal always needs a reason.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    PairingStatus.PROPOSED: (PairingStatus.ACTIVE, PairingStatus.WITHDRAWN),
    PairingStatus.ACTIVE: (PairingStatus.COMPLETED, PairingStatus.WITHDRAWN),
    PairingStatus.COMPLETED: (),
    PairingStatus.WITHDRAWN: (),
}


def pairing_transition(*, pairing: Pairing, to: str, reason: str = "") -> Pairing:
    """Move a pairing along proposed → active → completed, or withdraw it with a reason."""
    if to not in TRANSITIONS[pairing.status]:
        raise ValidationError(
            {
                "status": _("A %(current)s pairing cannot become %(target)s.")
                % {
                    "current": pairing.get_status_display().lower(),
                    "target": PairingStatus(to).label.lower(),
                }
            }
        )
    if to == PairingStatus.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": _("Say why the pairing is withdrawn.")})
    with transaction.atomic():
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status != pairing.status:
            raise ValidationError(
                _("Someone changed this pairing meanwhile. Reload the page and try again.")
            )
        locked.status = to
        locked.withdrawal_reason = reason.strip() if to == PairingStatus.WITHDRAWN else ""
        locked.full_clean()
        locked.save(update_fields=["status", "withdrawal_reason"])
    return locked


def pairing_update(*, pairing: Pairing, mentor: City, implementing: City) -> Pairing:
    """Change the cities of a proposed pairing; the pairing rules apply as on creation."""
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can change its cities."))
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=pairing.scheme_id).first()
        others = Pairing.objects.exclude(pk=pairing.pk)
        pairing_validate(
            scheme=pairing.scheme, mentor=mentor, implementing=implementing, pairings=others
        )
        pairing.mentor, pairing.implementing = mentor, implementing
        pairing.full_clean()
        pairing.save(update_fields=["mentor", "implementing"])
    return pairing
