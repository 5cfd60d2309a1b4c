"""The answer of a person box's suggestions (static/js/name-suggest.js, ``PersonChoiceField``)."""

from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse

from config.named_choice import SUGGESTIONS, suggestions_response

from .selectors import people_matching, person_label


def person_names(request: HttpRequest, people: QuerySet) -> JsonResponse:
    """``{"names": [...]}`` for a box of ``PersonChoiceField``: the labels of the people among
    ``people`` whose name or address ``?q=`` is part of. The view passes exactly the people its
    form accepts, so nobody finds a person by typing whom they could not choose."""

    def labels(text: str) -> list[str]:
        return [person_label(user) for user in people_matching(people, text)[:SUGGESTIONS]]

    return suggestions_response(request, labels)
