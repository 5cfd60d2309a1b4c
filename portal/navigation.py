"""The navigation each role sees. A person with several roles sees the union, in this order,
for the programme they work in now (``mentoring.selectors.programme_context``): each item once,
those about one programme labelled with its name.

It lives in the portal because it composes every app's pages and needs mentoring's programmes,
which the ground floor (accounts) may not import."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.selectors import memberships_of
from mentoring.selectors import programme_context


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url: str


def navigation_for(user: User) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    context = programme_context(user)
    items: list[NavItem] = [NavItem("home", _("Home"), reverse("home"))]
    for membership in memberships_of(user):
        if _belongs_to(membership, context):
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


def _belongs_to(membership, context) -> bool:
    """Whether the role acts in the current programme: the navigation is about that one."""
    if context.current is None:
        return True
    role = membership.role
    if role in (Role.OFFICER, Role.SUPERVISOR):
        return membership.city_id in context.city_ids
    if role == Role.EXPERT:
        return membership.scheme.programme_id == context.current.pk
    return membership.programme_id == context.current.pk


def _about(label: Promise | str, programme) -> str:
    """An item about one programme, labelled with its name: "Staff time · CITIES-GROW"."""
    return _("%(item)s · %(programme)s") % {"item": label, "programme": programme.name}


def _items_for(membership) -> list[NavItem]:
    role = membership.role
    if role == Role.COORDINATOR:
        programme = membership.programme
        return [
            NavItem("programme", _about(_("Programme"), programme), programme.get_absolute_url()),
            NavItem("pairings", _("Pairings"), reverse("mentoring:pairings")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
            NavItem("cities", _("Cities"), reverse("portal:city_list")),
            NavItem(
                "staff_time",
                _about(_("Staff time"), programme),
                reverse("reporting:programme_dashboard", kwargs={"programme": programme.slug}),
            ),
            NavItem("reports", _("Staff-cost reports"), reverse("reporting:reports")),
            NavItem("claims", _("Claims"), reverse("claims:list")),
            NavItem("plans", _("Action plans"), reverse("actionplans:plans")),
            NavItem("reviews", _("Practice reviews"), reverse("toolkits:review_queue")),
            NavItem("toolkits", _("Toolkits"), reverse("toolkits:toolkit_workspace")),
            NavItem("invitations", _("Invitations"), reverse("portal:invitations")),
            NavItem("organisations", _("Expert organisations"), reverse("mentoring:organisations")),
            NavItem("audit", _("Audit trail"), reverse("audit:log")),
        ]
    if role == Role.EXPERT:
        scheme = membership.scheme
        return [
            NavItem(
                "scheme",
                _about(_("My scheme"), scheme.programme),
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
            NavItem("claims", _("Claims"), reverse("claims:list")),
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
            NavItem("claims", _("Claims"), reverse("claims:list")),
            NavItem("events", _("Events"), reverse("mentoring:events")),
        ]
    if role == Role.CONTROLLER:
        # Controllers see the claims their running assignments cover, and nothing else.
        return [NavItem("claims", _("Claims"), reverse("claims:list"))]
    # Partners read what the programme publishes.
    return [
        NavItem(
            "programme",
            _about(_("Programme"), membership.programme),
            membership.programme.get_absolute_url(),
        ),
        NavItem("cities", _("Cities"), reverse("portal:city_list")),
        NavItem("toolkits", _("Toolkits"), reverse("toolkits:toolkits")),
    ]
