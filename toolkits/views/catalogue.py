"""The public catalogue, open without signing in: search and filter the published good practices,
read one, and download the published toolkits.

A practice that is not published exists only for the officers of its city, its reviewers and
coordinators (404 for everyone else); a toolkit without an edition only for those who manage it.
"""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cities import suggestions
from config.views import paginate, query_without_page

from .. import permissions, selectors
from ..filters import PracticeFilter
from ..linked_data import practice_json_ld
from ..models import Toolkit, ToolkitEdition

PRACTICES_PER_PAGE = 20


def _pdf_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages PDFs are made in."""
    return list(settings.LANGUAGES)


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    filterset = PracticeFilter(
        request.GET or None,
        queryset=selectors.published_practices(),
        request=request,
        suggest_url=reverse("toolkits:city_suggestions"),
    )
    page = paginate(request, filterset.qs, PRACTICES_PER_PAGE)
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return render(request, "toolkits/catalogue/catalogue.html", context, status=status)


@require_safe
def city_names(request: HttpRequest) -> JsonResponse:
    """The names of the cities with a published practice (those the catalogue filters by, open
    to everyone as the catalogue is) that ``?q=`` is part of (``cities.suggestions``)."""
    return suggestions.city_names(request, selectors.cities_with_practices())


@require_safe
def practice(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    practice = selectors.practice_visible(user, slug)
    if practice is None:
        raise Http404
    published = practice.is_published
    context = {
        "practice": practice,
        "links": selectors.practice_links(practice),
        "toolkits": list(selectors.toolkits_containing(practice)) if published else [],
        "pdf_languages": _pdf_languages() if published else [],
        "can_edit": permissions.can_edit_practice(user, practice),
        "can_submit": permissions.can_submit_practice(user, practice),
        "can_review": permissions.PRACTICE_WORKFLOW.allowed(user, practice, "publish")[0],
        "json_ld": practice_json_ld(practice),
    }
    return render(request, "toolkits/catalogue/practice.html", context)


@dataclass(frozen=True)
class ToolkitRow:
    toolkit: Toolkit
    editions: list[ToolkitEdition]


@require_safe
def toolkits(request: HttpRequest) -> HttpResponse:
    """Toolkits by programme and theme, each with its editions to download."""
    rows = [ToolkitRow(t, list(t.editions.all())) for t in selectors.toolkit_list(request.user)]
    groups = [
        (
            programme,
            [
                (scheme, list(in_scheme))
                for scheme, in_scheme in groupby(in_programme, key=lambda r: r.toolkit.scheme)
            ],
        )
        for programme, in_programme in groupby(rows, key=lambda r: r.toolkit.scheme.programme)
    ]
    context = {
        "groups": groups,
        "pdf_languages": _pdf_languages(),
        "is_reviewer": permissions.is_reviewer(request.user),
    }
    return render(request, "toolkits/catalogue/toolkits.html", context)


@require_safe
def toolkit(request: HttpRequest, slug: str) -> HttpResponse:
    """A toolkit as its latest edition was published, with every edition to download. Those who
    manage it see it before its first edition too, as it stands."""
    user = request.user
    toolkit = selectors.toolkit_page(user, slug)
    if toolkit is None:
        raise Http404
    editions = list(toolkit.editions.all())
    latest = editions[0] if editions else None
    if latest is not None:
        snapshot = latest.snapshot
        content = {
            "title": snapshot.get("title", toolkit.title),
            "language": snapshot.get("language", toolkit.language),
            "introduction": snapshot.get("introduction", ""),
            "success_factors": snapshot.get("success_factors", []),
        }
        practices = selectors.edition_practices(latest)
    else:
        content = {
            "title": toolkit.title,
            "language": toolkit.language,
            "introduction": toolkit.introduction,
            "success_factors": [
                {"name": factor.name, "description": factor.description}
                for factor in toolkit.success_factors.all()
            ],
        }
        practices = selectors.current_practices(toolkit)
    context = {
        "toolkit": toolkit,
        "content": content,
        "latest": latest,
        "editions": editions,
        "practices": practices,
        "pdf_languages": _pdf_languages(),
        "can_manage": permissions.can_manage_toolkit(user, toolkit),
        "can_render": permissions.can_render(user, toolkit),
    }
    return render(request, "toolkits/catalogue/toolkit.html", context)
