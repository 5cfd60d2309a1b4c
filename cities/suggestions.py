"""The answer of a search box's suggestions (static/js/name-suggest.js), the same for every list
that finds a city by name: each view passes exactly the cities its list may show, so nobody
discovers a name by typing that the list would not show them."""

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse

from .forms import NameQueryForm
from .selectors import cities_matching

# Names a box suggests at once.
SUGGESTIONS = 12


def city_names(request: HttpRequest, cities: QuerySet) -> JsonResponse:
    """``{"names": [...]}``: the names among ``cities`` that ``?q=`` is part of, the ones
    starting with it first; 400 with the field's message for text no name could have."""
    form = NameQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    found = cities_matching(cities, form.cleaned_data["q"])
    names = list(dict.fromkeys(found.values_list("name", flat=True)[: SUGGESTIONS * 2]))
    return JsonResponse({"names": names[:SUGGESTIONS]})
