"""The city pages: a city with its pairings in the programmes one sees, its team and its staff
time, and the city forms (a new city joins one of its creator's programmes)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cities.forms import CityForm
from cities.models import City
from cities.permissions import can_create_city, can_manage_city, can_view_city_team
from cities.selectors import city_team
from cities.services import city_save
from config import stale
from config.views import (
    add_service_errors,
    get_visible_or_404,
    paginate,
    query_without_page,
    render_form,
)
from documents.exports import FORMATS, export_response
from mentoring.filters import CityListFilter
from mentoring.forms.frames import SignaturesForm
from mentoring.models import CommitmentFramework, Programme
from mentoring.selectors import (
    cities_visible_to,
    coordinated_programmes,
    current_programme,
    pairings_for,
    programme_context,
)
from mentoring.services import city_create_in_programme
from mentoring.services.frames import city_signatures_set
from mentoring.views.scoping import filters_for_current_programme
from reporting.permissions import can_view_city_staff_time


@login_required
def city_list(request: HttpRequest) -> HttpResponse:
    mine = programme_context(request.user)
    filterset = CityListFilter(
        filters_for_current_programme(request),
        queryset=cities_visible_to(request.user),
        programmes=(
            Programme.objects.filter(pk__in=[p.pk for p in mine.programmes])
            if mine.several
            else None
        ),
    )
    cities = filterset.qs.prefetch_related("framework_signatures__framework")
    fmt = request.GET.get("format")
    if fmt in FORMATS and filterset.is_valid():
        return export_response(
            fmt,
            headers=[
                _("City"),
                _("Country"),
                _("Latitude"),
                _("Longitude"),
                _("Main languages"),
                _("Frameworks signed"),
            ],
            rows=(
                (
                    c.name,
                    c.country.code,
                    c.latitude,
                    c.longitude,
                    ", ".join(c.languages),
                    _signatures_text(c),
                )
                for c in cities
            ),
            filename="cities",
            title=_("Cities"),
        )
    context = {
        "filter": filterset,
        "page": paginate(request, cities),
        "query": query_without_page(request),
        "can_create": can_create_city(request.user),
        "programme": filterset.form.cleaned_data.get("programme") if filterset.is_valid() else None,
    }
    return render(request, "portal/cities/city_list.html", context)


def _signatures_text(city: City) -> str:
    """E.g. "Integrating Cities Charter (2016-05-12)", from the prefetched signatures."""
    return "; ".join(
        f"{s.framework.name} ({s.signed_on.isoformat()})" if s.signed_on else s.framework.name
        for s in city.framework_signatures.all()
    )


@login_required
def city_detail(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_visible_or_404(cities_visible_to(request.user), slug=slug)
    context = {
        "city": city,
        "pairings": pairings_for(request.user, city=city),
        "team": city_team(city) if can_view_city_team(request.user, city) else None,
        "signatures": city.framework_signatures.select_related("framework"),
        "can_manage": can_manage_city(request.user, city),
        "staff_time_programmes": [
            programme
            for programme in Programme.objects.filter(participations__city=city)
            if can_view_city_staff_time(request.user, city.pk, programme)
        ],
    }
    return render(request, "portal/cities/city_detail.html", context)


@login_required
def city_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    city = get_visible_or_404(City.objects.all(), slug=slug) if slug else None
    allowed = can_manage_city(request.user, city) if city else can_create_city(request.user)
    if not allowed:
        raise PermissionDenied
    programmes = None if city else coordinated_programmes(request.user)
    form = CityForm(
        request.POST or None,
        instance=city,
        programmes=programmes,
        initial={} if city else {"programme": current_programme(request.user)},
    )
    signatures = SignaturesForm(
        request.POST or None, frameworks=CommitmentFramework.objects.order_by("name"), city=city
    )
    stale.track(form, city)
    if request.method == "POST" and form.is_valid() and signatures.is_valid():
        programme = form.cleaned_data.get("programme")
        try:
            with transaction.atomic():
                if programme is None:
                    saved = city_save(city=form.instance, expected_version=stale.expected(form))
                else:
                    saved = city_create_in_programme(city=form.instance, programme=programme)
                city_signatures_set(city=saved, signatures=signatures.signatures())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(city)s saved.") % {"city": saved})
            if note := form.slug_note():
                messages.info(request, note)
            return redirect(saved)
    if signatures.errors and not form.errors:
        form.add_error(None, _("Check the dates of the frameworks signed."))
    context = {"form": form, "signatures": signatures, "city": city}
    return render_form(request, "portal/cities/city_form.html", context)
