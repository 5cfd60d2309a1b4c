"""Open data, for everyone without signing in: the programmes that publish it, and each one's
dataset page with its tables described and its downloads (portal.open_data)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from config.middleware import may_be_public
from config.slugs import raise_if_moved
from mentoring.models import Programme
from mentoring.selectors import open_data as selectors

from .. import open_data as dataset


def _programme_or_404(slug: str) -> Programme:
    """The programme if it publishes open data; 404 for one without a licence or no such."""
    programme = selectors.open_data_programme(slug)
    if programme is None:
        # A link made before the programme was renamed moves to its new address (301).
        raise_if_moved(selectors.open_data_programmes(), slug=slug)
        raise Http404
    return programme


@require_safe
def open_data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/open_data/index.html",
        {"programmes": list(selectors.open_data_programmes())},
    )


@require_safe
def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    """The dataset page: licence, last change, the tables with their columns and row counts,
    and the downloads; with its schema.org Dataset description for dataset search engines."""
    programme = _programme_or_404(slug)
    state = dataset.dataset_state(programme)
    counts = dataset.row_counts(programme, state)
    tables = [(table, counts.get(table.name, 0)) for table in dataset.TABLES]
    context = {
        "programme": programme,
        "licence": programme.licence,
        "state": state,
        "tables": tables,
        "json_ld": _dataset_json_ld(request, programme, state),
    }
    return render(request, "portal/open_data/dataset.html", context)


def _dataset_json_ld(request: HttpRequest, programme: Programme, state) -> dict:
    def absolute(name: str) -> str:
        return dataset._absolute(reverse(name, kwargs={"slug": programme.slug}))

    description = programme.description or _(
        "What %(programme)s publishes: its thematic schemes, the cities taking part, the "
        "pairings of mentor and implementing cities, past events, published good practices "
        "and toolkits, as CSV files and JSON."
    ) % {"programme": programme.name}
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": absolute("portal:open_data"),
        "url": absolute("portal:open_data"),
        "name": _("Open data of %(programme)s") % {"programme": programme.name},
        "description": description,
        "license": programme.licence.url,
        "isAccessibleForFree": True,
        "inLanguage": get_language(),
        "temporalCoverage": f"{programme.starts_on.isoformat()}/{programme.ends_on.isoformat()}",
        "creator": {"@type": "Organization", "name": programme.network or programme.name},
        "keywords": [str(table.title) for table in dataset.TABLES],
        "variableMeasured": sorted(
            {column.name for table in dataset.TABLES for column in table.columns}
        ),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": _("CSV files with their Frictionless Data description (ZIP)"),
                "encodingFormat": dataset.ZIP_TYPE,
                "contentUrl": absolute("portal:open_data_zip"),
            },
            {
                "@type": "DataDownload",
                "name": _("Every table in one JSON document"),
                "encodingFormat": dataset.JSON_TYPE,
                "contentUrl": absolute("portal:open_data_json"),
            },
        ],
    }
    if state.last_modified:
        data["dateModified"] = state.last_modified.isoformat()
    return data


def _download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The file, or 304 when the client holds this state's already (ETag, Last-Modified): the
    state costs a few small queries; the file is built only when the data changed."""
    programme = _programme_or_404(slug)
    state = dataset.dataset_state(programme)
    etag = f'"{state.version[:32]}-{get_language()}-{fmt}"'
    last_modified = state.last_modified.timestamp() if state.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        _build, content_type = dataset.BUILDERS[fmt]
        response = HttpResponse(dataset.download(programme, fmt, state), content_type=content_type)
        disposition = "attachment" if fmt == "zip" else "inline"
        filename = f"{programme.slug}-open-data.{fmt}"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # The same file for everyone (in their language): shared caches may keep it, and ask again
    # each time whether it changed.
    response["Cache-Control"] = "public, no-cache"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


@require_safe
@may_be_public
def open_data_zip(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(request, slug, "zip")


@require_safe
@may_be_public
def open_data_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(request, slug, "json")
