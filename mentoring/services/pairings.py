"""Writes for programmes, schemes and pairings. Each rule here gives a message a form can show."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cities.models import City
from cities.services import city_save
from config import stale

from .. import notifications
from ..models import PAIRING_WORKFLOW, Pairing, PairingStatus, Participation, Programme, Scheme
from ..selectors.pairings import was_withdrawn

ACTIVE_STATUSES = (PairingStatus.PROPOSED, PairingStatus.ACTIVE)


def participation_add(*, programme: Programme, city: City) -> Participation:
    participation, _created = Participation.objects.get_or_create(programme=programme, city=city)
    return participation


def city_create_in_programme(*, city: City, programme: Programme) -> City:
    """A new city that takes part in the programme at once, so that its creator sees it."""
    with transaction.atomic():
        city_save(city=city)
        participation_add(programme=programme, city=city)
    return city


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
    programme: Programme | None = None,
) -> Pairing:
    """Propose (or record) a pairing. ``programme``, when given, is the programme the person
    works in: a scheme of another programme is refused. The officers of its cities and its
    scheme's experts (but not ``by``) hear that it is proposed (or active)."""
    if programme is not None and scheme.programme_id != programme.pk:
        raise ValidationError(
            {
                "scheme": _(
                    "Scheme %(scheme)s belongs to %(other)s, not to %(programme)s, the programme "
                    "you work in."
                )
                % {"scheme": scheme.code, "other": scheme.programme, "programme": programme}
            }
        )
    with transaction.atomic():
        # Lock the scheme so that two coordinators cannot both fill a mentor's last place.
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        pairing_validate(scheme=scheme, mentor=mentor, implementing=implementing)
        pairing = Pairing(
            scheme=scheme, mentor=mentor, implementing=implementing, status=status, created_by=by
        )
        pairing.full_clean()
        pairing.save()
        if status in ACTIVE_STATUSES:
            notifications.pairing_step(pairing, notifications.PAIRING_STEPS[status], actor=by)
    return pairing


def pairing_transition(
    *, pairing: Pairing, to: str, reason: str = "", by: User | None = None
) -> Pairing:
    """Move a pairing along proposed → active → completed, or withdraw it with a reason. The
    officers of its cities and its scheme's experts (but not ``by``) hear that it is active or
    withdrawn."""
    # Who may is the pairing pages' check (can_manage_pairing); where to, the workflow's.
    PAIRING_WORKFLOW.check(None, pairing, to)
    if to == PairingStatus.WITHDRAWN and not reason.strip():
        raise ValidationError({"reason": _("Say why the pairing is withdrawn.")})
    with transaction.atomic():
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.status != pairing.status:
            raise ValidationError(
                _("Someone changed this pairing meanwhile. Reload the page and try again.")
            )
        PAIRING_WORKFLOW.take(None, locked, to)
        locked.withdrawal_reason = reason.strip() if to == PairingStatus.WITHDRAWN else ""
        locked.full_clean()
        locked.save(update_fields=["status", "withdrawal_reason"])
        if to in notifications.PAIRING_STEPS:
            notifications.pairing_step(locked, notifications.PAIRING_STEPS[to], actor=by)
    return locked


def pairing_update(
    *, pairing: Pairing, mentor: City, implementing: City, expected_version: str | None = None
) -> Pairing:
    """Change the cities of a proposed pairing; the pairing rules apply as on creation. A
    pairing changed since the page of ``expected_version`` was drawn is refused."""
    if pairing.status != PairingStatus.PROPOSED:
        raise ValidationError(_("Only a proposed pairing can change its cities."))
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=pairing.scheme_id).first()
        stale.locked(pairing, expected_version)
        others = Pairing.objects.exclude(pk=pairing.pk)
        pairing_validate(
            scheme=pairing.scheme, mentor=mentor, implementing=implementing, pairings=others
        )
        pairing.mentor, pairing.implementing = mentor, implementing
        pairing.full_clean()
        pairing.save(update_fields=["mentor", "implementing"])
    return pairing
