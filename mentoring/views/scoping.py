"""Lists that span programmes show the programme the person works in unless they ask for
another (or for all): the one way every list of the app defaults to the current programme."""

from django.http import HttpRequest, QueryDict

from config.slugs import raise_if_moved

from ..forms.programmes import ProgrammeChoiceForm
from ..models import Programme
from ..selectors.programmes import programme_context


def filters_for_current_programme(request: HttpRequest) -> QueryDict | None:
    """The list's query, with ``programme`` set to the current programme when the person takes
    part in several and chose none (an empty ``programme`` means all of them)."""
    data = request.GET.copy()
    context = programme_context(request.user)
    if context.several and context.current is not None and "programme" not in data:
        data["programme"] = context.current.slug
    asked = data.get("programme")
    if asked and all(programme.slug != asked for programme in context.programmes):
        # A link made before the programme's slug changed: the same list with the new one (301).
        raise_if_moved(
            Programme.objects.filter(pk__in=[p.pk for p in context.programmes]),
            slug=asked,
            query="programme",
        )
    return data or None


def programme_choice(request: HttpRequest) -> tuple[ProgrammeChoiceForm | None, Programme | None]:
    """For a list without a filter of its own: the form choosing one of the person's programmes
    or all (None for a person in one programme, who has nothing to choose) and the programme
    chosen (None for all). It costs no query beyond the person's programme context."""
    context = programme_context(request.user)
    if not context.several:
        return None, None
    choice = ProgrammeChoiceForm(
        filters_for_current_programme(request), programmes=context.programmes
    )
    return choice, choice.chosen()
