"""Suggestions for the search boxes of the lists, as one types (static/js/name-suggest.js).

Each answers from exactly what the list it serves may show, so that nobody discovers a name by
typing that the list would not show them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from cities import suggestions

from ..selectors.programmes import cities_visible_to


@login_required
@require_safe
def city_names(request: HttpRequest) -> JsonResponse:
    """The names of the cities of the person's programmes (those the event and pairing lists
    filter by) that ``?q=`` is part of (``cities.suggestions.city_names``)."""
    return suggestions.city_names(request, cities_visible_to(request.user))
