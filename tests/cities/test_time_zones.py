"""A city's time zone: suggested from its country and coordinates, chosen on the city form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cities.models import City
from cities.timezones import suggest_time_zone, time_zone_names

from .factories import CityFactory


@pytest.mark.parametrize(
    ("country", "latitude", "longitude", "zone"),
    [
        ("KR", "37.5665", "126.9780", "Asia/Seoul"),
        ("TW", "25.0330", "121.5654", "Asia/Taipei"),
        ("CA", "43.6532", "-79.3832", "America/Toronto"),
        ("CA", "49.2827", "-123.1207", "America/Vancouver"),
        ("ZA", "-33.9249", "18.4241", "Africa/Johannesburg"),
        ("NL", "52.3676", "4.9041", "Europe/Amsterdam"),
        ("ES", "28.1235", "-15.4363", "Atlantic/Canary"),
        ("ES", "40.4168", "-3.7038", "Europe/Madrid"),
        ("US", "34.0522", "-118.2437", "America/Los_Angeles"),
    ],
)
def test_the_zone_is_the_countrys_zone_nearest_to_the_city(country, latitude, longitude, zone):
    assert suggest_time_zone(country, Decimal(latitude), Decimal(longitude)) == zone


def test_without_coordinates_the_countrys_first_zone_and_without_a_country_utc():
    assert suggest_time_zone("KR", None, None) == "Asia/Seoul"
    assert suggest_time_zone("", None, None) == "UTC"


def test_the_choices_leave_out_aliases_and_keep_utc():
    names = time_zone_names()
    assert "UTC" in names
    assert "Asia/Seoul" in names
    assert not any(name.startswith(("US/", "Etc/")) for name in names)


@pytest.mark.django_db
def test_a_city_saved_without_a_zone_gets_the_suggestion_and_keeps_a_chosen_one():
    seoul = CityFactory(name="서울", slug="seoul", country="KR", latitude=37.57, longitude=126.98)
    assert seoul.time_zone == "Asia/Seoul"
    assert str(seoul.zone) == "Asia/Seoul"
    chosen = CityFactory(country="KR", time_zone="UTC")
    assert chosen.time_zone == "UTC"


def test_the_coordinator_leaves_the_zone_empty_or_chooses_one(client, demo, demo_user):
    client.force_login(demo_user("coordinator@example.org"))
    data = {
        "name": "Cape Town",
        "slug": "cape-town",
        "country": "ZA",
        "latitude": "-33.9249",
        "longitude": "18.4241",
        "programme": demo.pk,
    }
    form = client.get(reverse("portal:city_create")).content.decode()
    assert "Suggest from the country and the coordinates" in form
    assert client.post(reverse("portal:city_create"), data).status_code == 302
    assert City.objects.get(slug="cape-town").time_zone == "Africa/Johannesburg"

    wrong = client.post(
        reverse("portal:city_create"), {**data, "slug": "kapstadt", "time_zone": "Mars/Olympus"}
    )
    assert wrong.status_code == 400
    assert "Mars/Olympus is not a time zone" in wrong.content.decode()
    assert 'value="-33.9249"' in wrong.content.decode()
