"""Values that cannot be valid answer 400 or 404, never 500.

Every URL pattern of the project (the resolver, as the endpoint matrix walks it) gets each of its
parameters replaced, one at a time, by hostile values: NUL raw and encoded, control characters,
overlong strings, bad percent-encoding and invalid UTF-8, negative and huge integers, odd unicode.
The other parameters keep the demo values the endpoint matrix uses, so the request reaches as far
into the view as a real one would. Every page without parameters, and every list page with filters
(found by its ``filter`` in the context), also gets hostile query values, and a hostile form is
posted to every pattern. As an anonymous visitor and as the signed-in coordinator.
"""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_filters import FilterSet

from tests import test_endpoint_matrix as matrix
from tests.test_endpoint_matrix import ADMIN_NAMESPACE, EXPECTATIONS, url_patterns

world = matrix.world  # the endpoint matrix's demo world, once per module

# As they would appear in a request line: already percent-encoded where they need to be.
HOSTILE_PATH_VALUES = [
    "%00",
    "abc%00def",
    "%0d%0aSet-Cookie:%20x=1",
    "%zz",
    "%c3%28",  # invalid UTF-8
    "a" * 3000,
    "-1",
    "99999999999999999999",
    "%e2%80%ae",  # right-to-left override
    "%ef%bc%91",  # a fullwidth digit one
]
HOSTILE_QUERY_VALUES = [
    *HOSTILE_PATH_VALUES,
    "%01%1b%7f",
    "%ed%a0%80",  # an encoded surrogate
    "1e309",
    "2024-02-30",
    "99999-01-01",
    "%5B%5D",
]
# What a filter's field could mistake for its type: each is sent to each filter alone.
FILTER_VALUES = [
    "%c3%28",
    "a" * 3000,
    "-1",
    "99999999999999999999",
    "1e309",
    "2024-02-30",
    "%5B%5D",
]
GENERIC_KEYS = ["q", "page", "format", "ordering", "next", "sort"]
PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")

ROLES = ("anonymous", "coordinator")


def _client(world, role: str) -> Client:
    client = Client()
    if role == "coordinator":
        client.force_login(world.coordinator)
    return client


def _valid_kwargs(name: str, world) -> dict:
    endpoint = EXPECTATIONS.get(name)
    return {key: str(value) for key, value in (endpoint.kwargs(world) if endpoint else {}).items()}


def _fill(route: str, values: dict, hostile: tuple[str, str] | None = None) -> str:
    """The route with each parameter replaced: the hostile value for the named one, otherwise
    the demo value (percent-encoded), or 1."""

    def value(match: re.Match) -> str:
        name = match.group("name") or match.group("group")
        if hostile and hostile[0] == name:
            return hostile[1]
        return quote(values.get(name, "1"), safe="")

    path = PARAMETER.sub(value, route)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def _paths(world) -> list[tuple[str, str]]:
    """(pattern name, path) for every parameter of every pattern and every hostile value."""
    paths = []
    for name, route in url_patterns():
        values = _valid_kwargs(name, world)
        parameters = [m.group("name") or m.group("group") for m in PARAMETER.finditer(route)]
        for parameter in parameters:
            for hostile in HOSTILE_PATH_VALUES:
                paths.append((name, _fill(route, values, (parameter, hostile))))
    return paths


def _server_errors(client, requests) -> list[str]:
    errors = []
    for label, send in requests:
        try:
            response = send(client)
        except Exception as error:  # noqa: BLE001 - the test client re-raises a view's exception
            errors.append(f"{label}: raised {type(error).__name__}: {str(error)[:120]}")
            continue
        if response.status_code >= 500:
            errors.append(f"{label}: {response.status_code}")
    return errors


@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_values_never_answer_5xx(role, world, db):
    paths = _paths(world)
    assert len(paths) > 1000, "the URL patterns' parameters were not found"
    assert any("calendar" in path for _name, path in paths)
    client = _client(world, role)
    errors = _server_errors(
        client, [(f"GET {name} {path[:120]}", lambda c, p=path: c.get(p)) for name, path in paths]
    )
    assert not errors, "\n".join(errors)


def _parameterless_pages(world) -> list[str]:
    pages = []
    for name, route in url_patterns():
        if name.startswith(ADMIN_NAMESPACE) or PARAMETER.search(route):
            continue
        pages.append("/" + route.lstrip("^").rstrip("$").replace("\\", ""))
    return pages


def _filterset(client, page: str) -> FilterSet | None:
    response = client.get(page)
    filterset = (response.context or {}).get("filter") if response.status_code == 200 else None
    return filterset if isinstance(filterset, FilterSet) else None


def test_the_list_pages_with_filters_are_found(world, db):
    client = _client(world, "coordinator")
    filter_pages = [page for page in _parameterless_pages(world) if _filterset(client, page)]
    assert len(filter_pages) >= 3, "the list pages with filters were not found"


# The requests are shared out over a few tests, so that the test processes share the work; each
# finds the list pages' filters again (one plain GET a page).
QUERY_SHARDS = 3


@pytest.mark.parametrize("shard", range(QUERY_SHARDS))
@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_values_never_answer_5xx(role, shard, world, db):
    client = _client(world, role)
    requests = []
    for page in _parameterless_pages(world):
        keys = list(GENERIC_KEYS)
        filterset = _filterset(client, page)
        if filterset is not None:
            keys += [key for key in filterset.filters if key not in keys]
        # On a list page, each filter alone (so that one invalid field does not hide another);
        # everywhere, garbage in every key at once, and in the keys themselves.
        for key in keys if filterset is not None else []:
            for value in FILTER_VALUES:
                url = f"{page}?{key}={value}"
                requests.append((f"GET {url[:120]}", lambda c, u=url: c.get(u)))
        for value in HOSTILE_QUERY_VALUES:
            url = page + "?" + "&".join(f"{key}={value}" for key in keys) + f"&{value}=1"
            requests.append((f"GET {url[:120]}", lambda c, u=url: c.get(u)))
    errors = _server_errors(client, requests[shard::QUERY_SHARDS])
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_values_never_answer_5xx(role, world, db):
    client = _client(world, role)
    requests = []
    for name, route in url_patterns():
        if name.startswith(ADMIN_NAMESPACE):
            continue
        path = _fill(route, _valid_kwargs(name, world))
        for value in ("a\x00b", "\x1b[2J"):
            data = {key: value for key in ("name", "title", "email", "q", "notes", "password")}
            requests.append((f"POST {path} {value!r}", lambda c, p=path, d=data: c.post(p, d)))
    errors = _server_errors(client, requests)
    assert not errors, "\n".join(errors)


def test_a_nul_in_a_calendar_token_is_refused_with_a_page(world, db):
    response = Client().get(f"/calendar/{world.calendar_token}%00/events.ics")
    assert response.status_code == 400
    assert b"<h1" in response.content
    assert response["Content-Type"].startswith("text/html")


def test_control_characters_in_a_form_are_refused_and_line_breaks_are_not(world, db):
    url = reverse("account_login")
    refused = Client().post(url, {"login": "a\x00b@example.org", "password": "x"})
    assert refused.status_code == 400
    # Tabs and line breaks are text (a textarea sends them): the form answers as usual.
    answered = Client().post(url, {"login": "a@example.org", "password": "x\r\n\tx"})
    assert answered.status_code == 200
    assert b"form" in answered.content


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "a" * 300, "[::1"])
def test_a_host_the_site_does_not_serve_is_refused_with_a_page(host, db):
    """The Host header is checked before anyone is signed in: the 400 page must not need to know
    who asks (its header's navigation once read request.user, which no middleware had set yet,
    and the answer was a 500)."""
    response = Client(raise_request_exception=False).get("/", HTTP_HOST=host)
    assert response.status_code == 400
    assert b"<h1" in response.content
    assert response["Content-Type"].startswith("text/html")
