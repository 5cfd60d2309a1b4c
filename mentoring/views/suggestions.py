"""Suggestions for the search boxes, as one types (static/js/name-suggest.js).

Each answers from exactly what the list it serves may show or the form it serves accepts, so
that nobody discovers a name by typing that they could not use.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from accounts.suggestions import person_names
from cities import suggestions
from cities.models import City
from config.views import get_visible_or_404

from ..models import Programme
from ..permissions import (
    attendance_city_ids,
    can_manage_programme,
    can_record_attendance,
    can_view_event,
)
from ..selectors.events import attendance_candidates, events_for
from ..selectors.programmes import cities_visible_to, programmes_for


def programme_city_suggestions(programme: Programme) -> str:
    """Where the city boxes of a programme's forms find names as one types."""
    return reverse("mentoring:programme_city_suggestions", kwargs={"slug": programme.slug})


@login_required
@require_safe
def city_names(request: HttpRequest) -> JsonResponse:
    """The names of the cities of the person's programmes (those the event and pairing lists
    filter by) that ``?q=`` is part of (``cities.suggestions.city_names``)."""
    return suggestions.city_names(request, cities_visible_to(request.user))


@login_required
@require_safe
def programme_city_names(request: HttpRequest, slug: str) -> JsonResponse:
    """The names of a programme's cities, for the forms that choose one of them (a pairing's
    cities, a programme-wide event's host, the city an attendee came for): to whoever sees the
    programme, whose page lists them anyway."""
    programme = get_visible_or_404(programmes_for(request.user), slug=slug)
    return suggestions.city_names(request, City.objects.filter(participations__programme=programme))


@login_required
@require_safe
def participation_city_names(request: HttpRequest, slug: str) -> JsonResponse:
    """The names of the cities that do not take part in the programme yet, for the form that
    adds one: to those who manage the programme, as the form (``participation_add_view``)."""
    programme = get_visible_or_404(Programme.objects.all(), slug=slug)
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied
    return suggestions.city_names(
        request, City.objects.exclude(participations__programme=programme)
    )


@login_required
@require_safe
def attendance_people(request: HttpRequest, pk: int) -> JsonResponse:
    """The people who may be recorded at the event by this person (``attendance_candidates``,
    an officer's: their own city's), for the attendance form's box: to those who may record
    attendance there, as the page's form."""
    event = get_object_or_404(events_for(request.user), pk=pk)
    if not can_view_event(request.user, event):
        raise PermissionDenied
    if not can_record_attendance(request.user, event):
        raise PermissionDenied
    city_ids = attendance_city_ids(request.user, event)
    return person_names(request, attendance_candidates(event, city_ids=city_ids))
