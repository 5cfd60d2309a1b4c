"""Who hears of a claim's steps and deadlines (``notifications.notify``).

submitted: the programme's coordinators and the controllers assigned to the city and period;
reopened: the city's officers and supervisors; certified: the city's people and the
coordinators. Reminders: a period's deadline two weeks ahead, and the day after it, for a city
whose claim is not submitted yet (its officers and supervisors, once per period and deadline)."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Role, User
from mentoring.models import Participation
from notifications.registry import Kind, register, reminder
from notifications.selectors import told as notifications_told
from notifications.services import notify

from .models import Claim, ClaimStatus, ControlAssignment, ReportingPeriod

# How long before a period's deadline its cities are reminded; an overdue claim is reminded of
# once, in the month after the deadline (older deadlines are history, not news).
DUE_SOON = timedelta(days=14)
OVERDUE_WINDOW = timedelta(days=30)

GROUP = _("Claims")

register(
    Kind(
        "claims.due_soon",
        group=GROUP,
        label=_("Your city's claim is due soon"),
        message=_("The claim of %(city)s for %(period)s is due by %(deadline_date)s."),
        action=_("Open the claims"),
    )
)
register(
    Kind(
        "claims.overdue",
        group=GROUP,
        label=_("Your city's claim is overdue"),
        message=_(
            "The claim of %(city)s for %(period)s was due by %(deadline_date)s and is not "
            "submitted yet."
        ),
        action=_("Open the claims"),
    )
)
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


def _unsubmitted(period: ReportingPeriod) -> list:
    """The cities of the period's programme whose claim for it is not submitted: none started,
    a draft, or reopened."""
    done = Claim.objects.filter(period=period).exclude(
        status__in=[ClaimStatus.DRAFT, ClaimStatus.REOPENED]
    )
    return list(
        Participation.objects.filter(programme_id=period.programme_id)
        .exclude(city_id__in=done.values("city_id"))
        .select_related("city")
        .order_by("city__name")
    )


def _remind_cities(kind: str, periods, now: datetime) -> int:
    told = 0
    link = reverse("claims:list")
    for period in periods:
        participations = _unsubmitted(period)
        people: dict[int | None, list[User]] = {}
        for membership in Membership.objects.filter(
            city_id__in=[p.city_id for p in participations],
            role__in=[Role.OFFICER, Role.SUPERVISOR],
        ).select_related("user"):
            people.setdefault(membership.city_id, []).append(membership.user)
        keys = {
            p.city_id: f"{kind}:{period.pk}:{p.city_id}:{period.deadline.isoformat()}"
            for p in participations
        }
        done = notifications_told(
            (user.pk, keys[city_id]) for city_id, users in people.items() for user in users
        )
        for participation in participations:
            key = keys[participation.city_id]
            waiting = [
                user for user in people.get(participation.city_id, []) if (user.pk, key) not in done
            ]
            if not waiting:
                continue
            told += notify(
                kind,
                recipients=waiting,
                link=link,
                params={
                    "city": participation.city.name,
                    "period": str(period),
                    "deadline_date": period.deadline.isoformat(),
                },
                programme=period.programme.name,
                key=key,
            )
    return told


@reminder
def claims_due_soon(now: datetime) -> int:
    """A period's deadline within two weeks: the cities whose claim is not submitted."""
    today = now.date()
    periods = ReportingPeriod.objects.filter(
        deadline__gte=today, deadline__lte=today + DUE_SOON
    ).select_related("programme")
    return _remind_cities("claims.due_soon", periods, now)


@reminder
def claims_overdue(now: datetime) -> int:
    """A period's deadline passed (in the last month): the cities whose claim is not
    submitted."""
    today = now.date()
    periods = ReportingPeriod.objects.filter(
        deadline__lt=today, deadline__gte=today - OVERDUE_WINDOW
    ).select_related("programme")
    return _remind_cities("claims.overdue", periods, now)
