from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import can_view_city_team
from mentoring.selectors import pairings_for

from .selectors import cities_visible_to, city_team


@login_required
def city_list(request: HttpRequest) -> HttpResponse:
    cities = cities_visible_to(request.user)
    return render(request, "cities/city_list.html", {"cities": cities})


@login_required
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(cities_visible_to(request.user), slug=slug)
    show_team = can_view_city_team(request.user, city)
    context = {
        "city": city,
        "pairings": pairings_for(request.user, city=city),
        "team": city_team(city) if show_team else None,
    }
    return render(request, "cities/city_detail.html", context)
