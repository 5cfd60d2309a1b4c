"""Small helpers every app's views share."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import stale
from .slugs import raise_if_moved

M = TypeVar("M", bound=Model)

PAGE_SIZE = 25


def render_form(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render a page with a form: 400 when the submitted form has errors, so clients can tell;
    409 when it was refused as a save from an outdated page (``config.stale``)."""
    form = context.get("form")
    status = 400 if form is not None and form.is_bound and form.errors else 200
    if status == 400 and stale.was_refused(form):
        status = 409
    return render(request, template, context, status=status)


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keyed messages on their fields, the rest
    on top. A save from an outdated page also shows the values saved meanwhile."""
    if stale.is_stale(error):
        stale.refuse(form, error)
    elif hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def get_visible_or_404(
    queryset: QuerySet[M], *, may_see: Callable[[M], bool] | None = None, **lookup
) -> M:
    """The object ``lookup`` finds among those the person may see, or 404: to anyone else it
    does not exist (the same answer as for an id that was never used).

    ``queryset`` is the app's scoped selector (``selectors.visible_plans(user)``); where the
    rule is a permission on the object rather than a scope (public documents, a practice taken
    off the catalogue), ``may_see(obj)`` asks it.

    A ``slug`` that the object had before raises ``config.slugs.SlugMoved`` (answered with a
    301 to the current address) where the model keeps its old slugs."""
    try:
        found = get_object_or_404(queryset, **lookup)
    except Http404:
        if "slug" in lookup:
            raise_if_moved(queryset, **lookup)
        raise
    if may_see is not None and not may_see(found):
        raise Http404
    return found


def paginate(
    request: HttpRequest, queryset, per_page: int = PAGE_SIZE, *, count: int | None = None
):
    """The page the request asks for (the first for a number it cannot read, the last for one
    past the end). ``count``, when the view already knows it from an aggregate, spares the
    COUNT query."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: the value given stands for it
    return paginator.get_page(request.GET.get("page"))


def paginate_keys_first(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE):
    """``paginate``, for rows read with many related objects (``select_related``): the page's
    keys first, sorted on the rows' own table (and what the order names), then those rows with
    their related objects. One query more, but the database sorts narrow rows and joins a page
    of them, instead of joining every row to sort them: at 5,000 events (bench/scale.py) the
    event list's page took 45 to 70 ms of SQL one way and under 15 ms the other."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(
        request.GET.get("page")
    )
    keys = list(page.object_list)
    found = queryset.in_bulk(keys)
    page.object_list = [found[key] for key in keys]
    return page


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()
