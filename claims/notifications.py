"""Who hears of a claim's steps (``notifications.notify``).

submitted: the programme's coordinators and the controllers assigned to the city and period;
reopened: the city's officers and supervisors; certified: the city's people and the
coordinators."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from notifications.registry import Kind, register
from notifications.services import notify

from .models import Claim, ControlAssignment

GROUP = _("Claims")

register(
    Kind(
        "claims.submitted",
        group=GROUP,
        label=_("A claim is submitted"),
        message=_("%(by)s submitted the claim of %(city)s for %(period)s."),
        action=_("Open the claim"),
    )
)
register(
    Kind(
        "claims.reopened",
        group=GROUP,
        label=_("A claim of your city is reopened"),
        message=_("%(by)s reopened the claim of %(city)s for %(period)s."),
        action=_("Open the claim to change it and submit it again"),
    )
)
register(
    Kind(
        "claims.certified",
        group=GROUP,
        label=_("A claim is certified"),
        message=_("%(by)s certified the claim of %(city)s for %(period)s."),
        action=_("Open the claim"),
    )
)


def _city_people(claim: Claim):
    return User.objects.filter(
        memberships__city=claim.city, memberships__role__in=[Role.OFFICER, Role.SUPERVISOR]
    ).distinct()


def _coordinators(claim: Claim):
    ids = Membership.objects.filter(programme=claim.programme, role=Role.COORDINATOR).values_list(
        "user_id", flat=True
    )
    return User.objects.filter(pk__in=ids)


def _controllers(claim: Claim):
    ids = ControlAssignment.objects.filter(city=claim.city, period=claim.period).values_list(
        "controller_id", flat=True
    )
    return User.objects.filter(pk__in=ids)


def claim_step(claim: Claim, step: str, by: User) -> int:
    """Tell those concerned that the claim was submitted, reopened or certified."""
    if step == "submitted":
        recipients = [*_coordinators(claim), *_controllers(claim)]
    elif step == "reopened":
        recipients = list(_city_people(claim))
    else:
        recipients = [*_city_people(claim), *_coordinators(claim)]
    return notify(
        f"claims.{step}",
        recipients=recipients,
        about=claim,
        link=claim.get_absolute_url(),
        params={"by": str(by), "city": str(claim.city), "period": str(claim.period)},
        programme=claim.programme,
        actor=by,
    )
