"""The toolkits' read API: practices and toolkits as the catalogue and the toolkits page show
them, to each person; the catalogue's filters; money with its currency; editions with the
addresses of their PDFs."""

from datetime import date

import pytest
from django.urls import reverse

from tests.toolkits.factories import (
    build_toolkit_world,
    charter_commitment,
    draft,
    fresh,
    published,
    target_group,
    toolkit_with,
)
from toolkits import permissions, selectors, services
from toolkits.filters import PracticeFilter
from toolkits.models import GoodPractice

from .bearer import every_page, reader

pytestmark = pytest.mark.django_db

PRACTICES = reverse("api:practice-list")
TOOLKITS = reverse("api:toolkit-list")
ROLES = (
    "anonymous",
    "partner",
    "officer",
    "supervisor",
    "other_officer",
    "expert",
    "other_expert",
    "coordinator",
    "outsider_coordinator",
)


@pytest.fixture
def world():
    world = build_toolkit_world()
    world.anonymous = None
    world.buyers = published(world, title="Buying from newcomers", started_on=date(2016, 3, 1))
    world.riga = published(
        world,
        city=world.other_city,
        scheme=world.other_scheme,
        title="Apprentices in Rīga",
        commitments=[charter_commitment(6)],
        target_groups=[target_group("youth")],
        budget=None,
        eu_contribution=None,
        started_on=date(2018, 1, 1),
        ended_on=None,
    )
    world.draft = draft(world, title="Supplier days")
    world.riga_draft = draft(
        world, city=world.other_city, scheme=world.other_scheme, title="A draft of Rīga"
    )
    return world


def ids(rows) -> list[int]:
    return [row["id"] for row in rows]


def test_each_person_lists_the_practices_their_pages_show_them(world):
    """About 7 s: nine people, each paging through the list and asking for every practice."""
    for role in ROLES:
        _lists_what_the_pages_show(world, role)


def _lists_what_the_pages_show(world, role):
    user = getattr(world, role)
    listed = ids(every_page(reader(user), PRACTICES + "?page_size=2"))
    shown = [
        practice.pk
        for practice in GoodPractice.objects.order_by("title", "pk")
        if (permissions.can_view_practice(user, practice) if user else practice.is_published)
    ]
    assert listed == shown
    assert sorted(listed) == sorted(
        selectors.practices_visible_to(fresh(user) if user else _anonymous()).values_list(
            "pk", flat=True
        )
    )
    client = reader(user)
    for practice in GoodPractice.objects.all():
        status = client.get(reverse("api:practice-detail", args=[practice.pk])).status_code
        assert status == (200 if practice.pk in shown else 404), (role, practice.title)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_anonymous_readers_get_only_the_published_catalogue(world):
    listed = ids(every_page(reader(None), PRACTICES))
    assert listed == list(
        selectors.published_practices().order_by("title", "pk").values_list("pk", flat=True)
    )
    assert world.draft.pk not in listed
    assert reader(None).get(PRACTICES + "?status=draft").json()["results"] == []


def test_a_practice_with_its_city_theme_money_and_tags(world):
    body = reader(None).get(reverse("api:practice-detail", args=[world.buyers.pk])).json()
    assert body["slug"] == world.buyers.slug
    assert body["status"] == "published"
    assert body["city"] == {
        "id": world.city.pk,
        "slug": world.city.slug,
        "name": "Gdańsk",
        "country": "PL",
    }
    assert body["theme"]["code"] == "A"
    assert body["theme"]["programme"]["id"] == world.programme.pk
    assert body["budget"] == {"amount": "169956.00", "currency": "EUR"}
    assert body["eu_contribution"] == {"amount": "127467.00", "currency": "EUR"}
    assert body["started_on"] == "2016-03-01"
    assert body["ended_on"] == "2018-06-30"
    assert body["published_at"].endswith(("Z", "+00:00")) or "+" in body["published_at"]
    assert [c["number"] for c in body["commitments"]] == [9, 11]
    assert [g["name"] for g in body["target_groups"]] == ["Migrant entrepreneurs"]
    assert body["links"] == ["https://example.org/practice"]
    assert body["url"].endswith(world.buyers.get_absolute_url())
    assert body["pdfs"][0] == {
        "language": "en",
        "url": "http://testserver"
        + reverse("toolkits:practice_pdf", args=[world.buyers.slug, "en"]),
    }
    riga = reader(None).get(reverse("api:practice-detail", args=[world.riga.pk])).json()
    assert riga["budget"] is None
    assert riga["ended_on"] is None
    draft_body = reader(world.officer).get(reverse("api:practice-detail", args=[world.draft.pk]))
    assert draft_body.json()["status"] == "draft"
    assert draft_body.json()["pdfs"] == []


def test_the_catalogue_filters_find_what_the_catalogue_finds(world):
    for query in (
        {"commitment": charter_commitment(6).pk},
        {"target_group": target_group("entrepreneurs").pk},
        {"theme": world.other_scheme.pk},
        {"country": "LV"},
        {"city": "Rīg"},
        {"year": 2016},
        {"q": "apprentices"},
        {"q": "newcomers", "year": 2017, "country": "PL"},
    ):
        _finds_what_the_catalogue_finds(query)


def _finds_what_the_catalogue_finds(query):
    catalogue = PracticeFilter(query, queryset=selectors.published_practices())
    assert catalogue.is_valid(), catalogue.errors
    expected = list(catalogue.qs.values_list("pk", flat=True))
    got = ids(every_page(reader(None), PRACTICES + "?" + _encode(query)))
    assert got == expected
    assert got, query  # each filter finds something here


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


def test_status_filters_what_a_person_sees(world):
    drafts = ids(reader(world.officer).get(PRACTICES + "?status=draft").json()["results"])
    assert drafts == [world.draft.pk]
    reviewed = ids(reader(world.coordinator).get(PRACTICES + "?status=draft").json()["results"])
    assert reviewed == [world.riga_draft.pk, world.draft.pk]


def test_bad_filter_values_are_refused_with_the_field_named(world):
    for query, field in (
        ("theme=abc", "theme"),
        ("theme=999999999999999999999", "theme"),
        ("commitment=-1", "commitment"),
        ("year=soon", "year"),
        ("year=99999", "year"),
        ("status=lost", "status"),
        ("country=XX", "country"),
        ("city=999999", "city"),
        ("page=0", None),
    ):
        response = reader(None).get(PRACTICES + "?" + query)
        if field is None:
            assert response.status_code == 404, query  # DRF's answer to a page beyond the list
            continue
        assert response.status_code == 400, query
        assert response.json()["code"] == "invalid"
        assert field in response.json()["fields"], query


# Toolkits ----------------------------------------------------------------------------------------


@pytest.fixture
def toolkits(world):
    world.toolkit = toolkit_with(world, [world.buyers])
    services.edition_publish(world.toolkit, by=fresh(world.expert))
    world.second = services.edition_publish(world.toolkit, by=fresh(world.expert), notes="More.")
    world.unpublished = toolkit_with(world, [world.buyers], title="Not yet")
    return world


def test_toolkits_are_those_the_toolkits_page_lists(toolkits):
    for role in ROLES:
        _toolkits_as_the_page(toolkits, role)


def _toolkits_as_the_page(world, role):
    user = getattr(world, role)
    listed = ids(every_page(reader(user), TOOLKITS))
    page = selectors.toolkit_list(fresh(user) if user else _anonymous())
    assert listed == [t.pk for t in page]
    managers = ("expert", "coordinator")
    assert (world.unpublished.pk in listed) == (role in managers)
    detail = reader(user).get(reverse("api:toolkit-detail", args=[world.unpublished.pk]))
    assert detail.status_code == (200 if role in managers else 404)


def test_a_toolkit_with_its_editions_and_their_pdf_addresses(toolkits):
    world = toolkits
    body = reader(None).get(reverse("api:toolkit-detail", args=[world.toolkit.pk])).json()
    assert body["slug"] == world.toolkit.slug
    assert body["theme"]["id"] == world.scheme.pk
    assert [e["number"] for e in body["editions"]] == [2, 1]
    latest = body["editions"][0]
    assert latest["id"] == world.second.pk
    assert latest["published_on"] == world.second.published_on.isoformat()
    assert latest["language"] == "en"
    assert latest["notes"] == "More."
    pdf = reverse("toolkits:edition_pdf", args=[world.toolkit.slug, 2, "de"])
    assert {"language": "de", "url": "http://testserver" + pdf} in latest["pdfs"]
    assert body["url"] == "http://testserver" + world.toolkit.get_absolute_url()


def test_nothing_is_written_through_the_api(world):
    before = GoodPractice.objects.count()
    for client in (reader(world.officer), reader(None)):
        response = client.post(PRACTICES, {"title": "New"})
        assert response.status_code == 405
    assert GoodPractice.objects.count() == before


def test_every_write_to_every_api_address_is_405_whoever_asks(world):
    """Before the permission says who may read: a partner system learns the API reads only."""
    from django.urls import get_resolver

    api = get_resolver().namespace_dict["api"][1]
    lists = sorted(
        "/api/v1/" + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\", "")
        for pattern in api.url_patterns
        if "<" not in str(pattern.pattern) and "(?P" not in str(pattern.pattern)
    )
    assert "/api/v1/practices/" in lists
    assert len(lists) >= 10, lists
    wrong = []
    for client in (reader(world.officer), reader(None)):
        for url in lists:
            for method in ("post", "put", "patch", "delete"):
                status = getattr(client, method)(url, {}).status_code
                if status != 405:
                    wrong.append(f"{method.upper()} {url}: {status}")
    assert not wrong, wrong
