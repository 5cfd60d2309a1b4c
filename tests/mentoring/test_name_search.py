"""The event and pairing lists find a city by the name typed rather than a select of every city
(issue 19: hundreds of options made the pages slow), suggest names only from what the lists
may show, and keep the links made when the filters were selects (``?city=<id>``,
``?pairing=<id>``) working."""

import json
import re

import pytest
from django.db.models import Q
from django.urls import reverse

from cities.models import City
from cities.selectors import cities_matching, cities_named
from mentoring.models import Event, Pairing
from mentoring.services import participation_add
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

COORDINATOR = "coordinator@example.org"
EVENTS = reverse("mentoring:events")
PAIRINGS = reverse("mentoring:pairings")
SUGGESTIONS = reverse("mentoring:city_suggestions")


def names(cities) -> set[str]:
    return {city.name for city in cities}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content.decode()[:500]
    return {event.title for event, _viewable in response.context["rows"]}


def events_of(city: City) -> set[str]:
    found = Event.objects.filter(
        Q(host_city=city) | Q(pairing__mentor=city) | Q(pairing__implementing=city)
    )
    return set(found.values_list("title", flat=True))


def box_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


# Matching names --------------------------------------------------------------------------------


def test_a_name_is_found_whatever_the_case_the_accents_and_the_script(demo):
    everywhere = City.objects.all()
    assert names(cities_named(everywhere, "gdansk")) == {"Gdańsk"}
    assert names(cities_named(everywhere, "  GDAŃ ")) == {"Gdańsk"}
    assert names(cities_named(everywhere, "brighton hove")) == {"Brighton & Hove"}
    CityFactory(name="서울", slug="seoul", country="KR")
    assert names(cities_named(everywhere, "seoul")) == {"서울"}
    assert names(cities_named(everywhere, "서울")) == {"서울"}
    assert not cities_named(everywhere, "-").exists()
    assert not cities_named(everywhere, "   ").exists()


def test_a_name_typed_in_full_finds_that_city_only(demo):
    CityFactory(name="Rotterdam-Zuid", slug="rotterdam-zuid", country="NL")
    everywhere = City.objects.all()
    assert names(cities_named(everywhere, "rotterdam")) == {"Rotterdam"}
    assert names(cities_named(everywhere, "Rotter")) == {"Rotterdam", "Rotterdam-Zuid"}
    # Suggestions offer every name that contains the text, those starting with it first.
    assert names(cities_matching(everywhere, "rotterdam")) == {"Rotterdam", "Rotterdam-Zuid"}
    ordered = [city.name for city in cities_matching(everywhere, "ri")]
    assert ordered[0] == "Riga"
    assert "Brighton & Hove" in ordered


# The event list --------------------------------------------------------------------------------


def test_the_event_list_finds_a_citys_events_by_its_name(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    gdansk = City.objects.get(slug="gdansk")
    expected = events_of(gdansk)
    assert expected
    assert titles(client.get(EVENTS, {"city": "gdansk"})) == expected
    assert titles(client.get(EVENTS, {"city": "Gdańsk"})) == expected
    nothing = client.get(EVENTS, {"city": "Atlantis"})
    assert titles(nothing) == set()
    assert "No events match." in nothing.content.decode()


def test_the_event_list_offers_no_select_of_cities_or_pairings(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    html = client.get(EVENTS).content.decode()
    box = re.search(r'<input[^>]*name="city"[^>]*>', html).group(0)
    assert 'type="search"' in box
    assert f'data-suggest="{SUGGESTIONS}"' in box
    assert 'aria-describedby="id_city_helptext"' in box
    assert 'name="pairing"' not in html  # no pairing asked for: nothing to keep
    for city in City.objects.filter(participations__programme=demo):
        assert f">{city.name}</option>" not in html
    assert "js/name-suggest.js" in html


def test_an_old_link_with_a_citys_number_still_filters(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    gdansk = City.objects.get(slug="gdansk")
    response = client.get(EVENTS, {"city": gdansk.pk})
    assert titles(response) == events_of(gdansk)
    # The box shows the city by name, as if it had been typed.
    assert box_value(response.content.decode(), "city") == "Gdańsk"


def test_an_old_link_with_a_pairings_number_still_filters_and_says_so(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    pairing = Pairing.objects.get(scheme__code="A", implementing__slug="gdansk")
    response = client.get(EVENTS, {"pairing": pairing.pk, "status": "held"})
    expected = set(pairing.events.filter(status="held").values_list("title", flat=True))
    assert titles(response) == expected
    html = response.content.decode()
    assert f"Only the events of the pairing {pairing}." in html.replace("&gt;", ">")
    # The way back keeps the other filters and drops the pairing; the form keeps the pairing
    # while other filters change.
    assert 'href="?status=held">Show the events of every pairing</a>' in html
    assert f'<input type="hidden" name="pairing" value="{pairing.pk}"' in html


def test_numbers_and_names_outside_ones_programmes_find_nothing(client, demo, demo_user):
    elsewhere = ProgrammeFactory()
    hidden = CityFactory(name="Gdynia", slug="gdynia", country="PL")
    participation_add(programme=elsewhere, city=hidden)
    client.force_login(demo_user(COORDINATOR))
    response = client.get(EVENTS, {"city": hidden.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"None of the cities you can see has the number {hidden.pk}" in html
    assert "Gdynia" not in html
    assert titles(client.get(EVENTS, {"city": "gdynia"})) == set()
    for bad in ("a" * 121, "99999999999999999999"):
        response = client.get(EVENTS, {"city": bad})
        assert response.status_code == 400, bad
        assert 'id="id_city_errors"' in response.content.decode()
    assert client.get(EVENTS, {"city": "a\x00b"}).status_code == 400


# The pairing list ------------------------------------------------------------------------------


def test_the_pairing_list_finds_a_citys_pairings_by_name_and_by_old_number(client, demo, demo_user):
    client.force_login(demo_user(COORDINATOR))
    ghent = City.objects.get(slug="ghent")
    expected = set(Pairing.objects.filter(Q(mentor=ghent) | Q(implementing=ghent)))
    assert expected
    for value in ("GHENT", ghent.pk):
        response = client.get(PAIRINGS, {"city": value})
        assert set(response.context["page"].object_list) == expected
    assert box_value(response.content.decode(), "city") == "Ghent"
    assert 'data-suggest="/cities/names.json"' in response.content.decode()


# Suggestions -----------------------------------------------------------------------------------


def suggested(client, text: str) -> list[str]:
    response = client.get(SUGGESTIONS, {"q": text})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"  # names of one's own scope
    return json.loads(response.content)["names"]


def test_suggestions_come_from_the_cities_of_ones_programmes(client, demo, demo_user):
    elsewhere = ProgrammeFactory()
    participation_add(programme=elsewhere, city=CityFactory(name="Gdynia", country="PL"))
    client.force_login(demo_user(COORDINATOR))
    assert suggested(client, "gd") == ["Gdańsk"]
    assert suggested(client, "GDANSK") == ["Gdańsk"]
    assert suggested(client, "") == []
    assert suggested(client, "r")[:2] == ["Riga", "Rotterdam"]  # starting with it, first
    client.force_login(demo_user("officer.riga@example.org"))
    assert suggested(client, "gd") == ["Gdańsk"]  # Riga takes part in CITIES-GROW only


def test_suggestions_are_capped(client, demo, demo_user):
    for number in range(20):
        participation_add(programme=demo, city=CityFactory(name=f"Bench {number:02d}"))
    client.force_login(demo_user(COORDINATOR))
    assert suggested(client, "bench") == [f"Bench {number:02d}" for number in range(12)]


def test_suggestions_need_sign_in_and_refuse_what_no_name_could_be(client, demo, demo_user):
    response = client.get(SUGGESTIONS, {"q": "gd"})
    assert response.status_code == 302
    client.force_login(demo_user(COORDINATOR))
    response = client.get(SUGGESTIONS, {"q": "a" * 121})
    assert response.status_code == 400
    assert "q" in json.loads(response.content)["errors"]
    assert client.get(SUGGESTIONS, {"q": "a\x00b"}).status_code == 400
