"""The answer of a search box's suggestions (static/js/name-suggest.js), the same for every list
and form that finds a city by name: each view passes exactly the cities its list may show or its
form accepts, so nobody discovers a name by typing that they could not use."""

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse

from config.named_choice import SUGGESTIONS, suggestions_response

from .selectors import cities_matching, city_labels


def city_names(request: HttpRequest, cities: QuerySet) -> JsonResponse:
    """``{"names": [...]}``: the names among ``cities`` that ``?q=`` is part of, the ones
    starting with it first; a name two cities share comes with their countries ("Valencia
    (ES)", ``city_labels``), as the boxes accept it back. 400 with the field's message for text
    no name could have.

    Cities of the same name are found together and sorted next to each other, so the rows read
    (twice as many as are shown) hold every city that shares a name with one shown."""

    def labels(text: str) -> list[str]:
        found = cities_matching(cities, text).values_list("pk", "name", "country")
        return list(city_labels(found[: SUGGESTIONS * 2]).values())

    return suggestions_response(request, labels)
