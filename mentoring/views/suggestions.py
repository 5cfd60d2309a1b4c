"""Suggestions for the search boxes of the lists, as one types (static/js/name-suggest.js).

Each answers from exactly what the list it serves may show, so that nobody discovers a name by
typing that the list would not show them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from cities.forms import NameQueryForm
from cities.selectors import cities_matching

from ..selectors.programmes import cities_visible_to

SUGGESTIONS = 12


@login_required
@require_safe
def city_names(request: HttpRequest) -> JsonResponse:
    """``{"names": [...]}``: the names of the cities of the person's programmes (those the
    event and pairing lists filter by) that ``?q=`` is part of, the ones starting with it first;
    400 with the field's message for text no name could have."""
    form = NameQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    cities = cities_matching(cities_visible_to(request.user), form.cleaned_data["q"])
    names = list(dict.fromkeys(cities.values_list("name", flat=True)[: SUGGESTIONS * 2]))
    return JsonResponse({"names": names[:SUGGESTIONS]})
