"""The navigation each role sees. A person with several roles sees the union, in this order."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .selectors import memberships_of


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str


def navigation_for(user: User) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items: list[NavItem] = [NavItem("home", _("Home"), reverse("home"))]
    for membership in memberships_of(user):
        items.extend(_items_for(membership))
    if user.is_staff:
        items.append(NavItem("admin", _("Administration"), reverse("admin:index")))
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    return unique


def _items_for(membership) -> list[NavItem]:
    role = membership.role
    if role == Role.COORDINATOR:
        programme = membership.programme
        return [
            NavItem("programme", _("Programme"), programme.get_absolute_url()),
            NavItem("pairings", _("Pairings"), reverse("mentoring:pairings")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
            NavItem("cities", _("Cities"), reverse("portal:city_list")),
            NavItem(
                "staff_time",
                _("Staff time"),
                reverse("reporting:programme_dashboard", kwargs={"programme": programme.slug}),
            ),
            NavItem("reports", _("Staff-cost reports"), reverse("reporting:reports")),
            NavItem("plans", _("Action plans"), reverse("actionplans:plans")),
            NavItem("reviews", _("Practice reviews"), reverse("toolkits:review_queue")),
            NavItem("toolkits", _("Toolkits"), reverse("toolkits:toolkit_workspace")),
            NavItem("invitations", _("Invitations"), reverse("portal:invitations")),
            NavItem("audit", _("Audit trail"), reverse("audit:log")),
        ]
    if role == Role.EXPERT:
        scheme = membership.scheme
        return [
            NavItem(
                "scheme",
                _("My scheme"),
                f"{scheme.programme.get_absolute_url()}#scheme-{scheme.code}",
            ),
            NavItem("pairings", _("Pairings"), reverse("mentoring:pairings")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
            NavItem("cities", _("Cities"), reverse("portal:city_list")),
            NavItem("plans", _("Action plans"), reverse("actionplans:plans")),
            NavItem("reviews", _("Practice reviews"), reverse("toolkits:review_queue")),
            NavItem("toolkits", _("Toolkits"), reverse("toolkits:toolkit_workspace")),
        ]
    if role == Role.OFFICER:
        return [
            NavItem("city", _("My city"), membership.city.get_absolute_url()),
            NavItem("time", _("My time"), reverse("reporting:my_time")),
            NavItem("plans", _("Action plans"), reverse("actionplans:plans")),
            NavItem("practices", _("Our good practices"), reverse("toolkits:my_practices")),
            NavItem("pairings", _("Pairings"), reverse("mentoring:pairings")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
        ]
    if role == Role.SUPERVISOR:
        return [
            NavItem("city", _("My city"), membership.city.get_absolute_url()),
            NavItem("team", _("City team"), membership.city.get_absolute_url() + "#team"),
            NavItem("approvals", _("Timesheets to approve"), reverse("reporting:approvals")),
            NavItem("plans", _("Action plans"), reverse("actionplans:plans")),
            NavItem("rates", _("Staff rates"), reverse("reporting:rates")),
            NavItem("reports", _("Staff-cost reports"), reverse("reporting:reports")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
        ]
    # Partners read what the programme publishes.
    return [
        NavItem("programme", _("Programme"), membership.programme.get_absolute_url()),
        NavItem("cities", _("Cities"), reverse("portal:city_list")),
        NavItem("toolkits", _("Toolkits"), reverse("toolkits:toolkits")),
    ]
