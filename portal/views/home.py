"""The home page: the public welcome, or the signed-in person's dashboard with a section per
role (programmes coordinated, schemes facilitated, cities acted for)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Role
from accounts.selectors import memberships_of
from cities.selectors import cities_for, city_team
from mentoring.selectors import (
    coordinated_programmes,
    pairings_for,
    programmes_for,
    schemes_facilitated_by,
)
from mentoring.selectors.pairings import coordinated_overview


def home(request: HttpRequest) -> HttpResponse:
    """The public welcome page, or the signed-in person's dashboard with a section per role."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "portal/home/public.html")
    roles = {m.role for m in memberships_of(user)}
    context: dict = {"roles": roles}
    if Role.COORDINATOR in roles:
        context["coordinated"] = coordinated_overview(coordinated_programmes(user))
    if Role.EXPERT in roles:
        context["schemes"] = (
            schemes_facilitated_by(user)
            .select_related("programme", "facilitator")
            .prefetch_related("pairings__mentor", "pairings__implementing")
        )
    if roles & {Role.OFFICER, Role.SUPERVISOR}:
        context["my_cities"] = [
            {
                "city": city,
                "pairings": pairings_for(user, city=city),
                "team": city_team(city) if Role.SUPERVISOR in roles else None,
            }
            for city in cities_for(user)
        ]
    context["programmes"] = programmes_for(user)
    return render(request, "portal/home/dashboard.html", context)
