"""A slug suggested while a coordinator types a name (static/js/slug-suggest.js): the same
``config.slugs.unique_slug`` that makes the slug when the form is sent with it empty, so the
page without JavaScript ends with the same address."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from cities.models import City
from cities.permissions import can_create_city
from config.slugs import slug_from, unique_slug
from mentoring.models import Programme
from mentoring.permissions import can_create_programme

# kind (the model's name, as SlugFromNameForm puts it in the page) -> (model, who may ask)
KINDS = {
    "city": (City, can_create_city),
    "programme": (Programme, can_create_programme),
}


@login_required
@require_GET
def slug_suggestion(request: HttpRequest, kind: str) -> JsonResponse:
    if kind not in KINDS:
        raise Http404
    model, may_ask = KINDS[kind]
    if not may_ask(request.user):
        raise PermissionDenied
    name = request.GET.get("name", "")[:300]
    exclude = request.GET.get("exclude", "")
    max_length = model._meta.get_field("slug").max_length or 120
    slug = ""
    if slug_from(name):
        slug = unique_slug(
            model,
            name,
            max_length=max_length,
            exclude_pk=int(exclude) if exclude.isdigit() else None,
        )
    return JsonResponse({"slug": slug})
