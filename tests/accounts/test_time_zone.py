"""A person's time zone: chosen on their settings page, else their city's, else the server's;
active on every page they read (issue 15)."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.selectors import home_zone_of, today_for, zone_of, zones_of
from config import clock
from tests.accounts.factories import CityOfficerFactory, CoordinatorFactory, UserFactory
from tests.cities.factories import CityFactory

pytestmark = pytest.mark.django_db

# 2026-03-01 00:30 in Seoul is 2026-02-28 16:30 in Brussels.
SEOUL_AFTER_MIDNIGHT = datetime(2026, 2, 28, 15, 30, tzinfo=UTC)


def seoul_officer() -> User:
    seoul = CityFactory(name="서울", country="KR", latitude=37.5665, longitude=126.978)
    return CityOfficerFactory(city=seoul).user


def test_a_person_gets_the_zone_of_their_city_until_they_choose_one():
    officer = seoul_officer()
    assert str(zone_of(officer)) == "Asia/Seoul"
    officer.time_zone = "America/Toronto"
    assert str(zone_of(officer)) == "America/Toronto"
    assert str(home_zone_of(officer)) == "Asia/Seoul"


def test_zones_of_many_people_agree_with_zone_of_each_in_one_query(django_assert_num_queries):
    first = seoul_officer()
    CityOfficerFactory(user=first, city=CityFactory(country="BE"))
    chose = CityOfficerFactory(city=first.memberships.first().city).user
    chose.time_zone = "America/Toronto"
    chose.save(update_fields=["time_zone"])
    people = [User.objects.get(pk=u.pk) for u in (first, chose, CoordinatorFactory().user)]
    with django_assert_num_queries(1):
        zones = zones_of(people)
    assert {pk: str(zone) for pk, zone in zones.items()} == {
        person.pk: str(zone_of(User.objects.get(pk=person.pk))) for person in people
    }
    assert [str(zones[person.pk]) for person in people] == [
        "Asia/Seoul",
        "America/Toronto",
        "Europe/Brussels",
    ]


def test_without_a_city_a_person_reads_the_servers_zone(settings):
    coordinator = CoordinatorFactory().user
    assert str(zone_of(coordinator)) == settings.TIME_ZONE == "Europe/Brussels"
    assert str(zone_of(None)) == "Europe/Brussels"


def test_the_first_city_a_person_acts_for_gives_the_zone():
    officer = seoul_officer()
    CityOfficerFactory(user=officer, city=CityFactory(country="BE"))
    assert str(zone_of(User.objects.get(pk=officer.pk))) == "Asia/Seoul"


def test_today_is_today_where_the_person_is():
    officer, coordinator = seoul_officer(), CoordinatorFactory().user
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        assert today_for(officer).isoformat() == "2026-03-01"
        assert today_for(coordinator).isoformat() == "2026-02-28"


def test_the_settings_page_shows_the_zone_and_the_time_there(client):
    officer = seoul_officer()
    client.force_login(officer)
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        response = client.get(reverse("accounts:settings"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pages show times in Asia/Seoul" in page
    assert "March 1, 2026, 12:30 a.m. KST (Asia/Seoul)" in page
    assert "Automatic: the zone of my city (now Asia/Seoul)" in page


def test_the_settings_page_saves_a_zone(client):
    officer = seoul_officer()
    client.force_login(officer)
    response = client.post(reverse("accounts:settings"), {"time_zone": "America/Toronto"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.time_zone == "America/Toronto"
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Saved. Times are now shown in America/Toronto." in page
    assert "Pages show times in America/Toronto" in page
    assert '<option value="America/Toronto" selected>' in page
    # Back to automatic: the city's zone again.
    client.post(reverse("accounts:settings"), {"time_zone": ""})
    officer.refresh_from_db()
    assert officer.time_zone == ""
    assert str(zone_of(officer)) == "Asia/Seoul"


def test_the_settings_page_refuses_an_unknown_zone_with_a_field_message(client):
    person = UserFactory(time_zone="Europe/Lisbon")
    client.force_login(person)
    response = client.post(reverse("accounts:settings"), {"time_zone": "Mars/Olympus_Mons"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["time_zone"] == [
        "Mars/Olympus_Mons is not a time zone. Choose one such as Europe/Brussels or Asia/Seoul."
    ]
    assert '<option value="Mars/Olympus_Mons" selected>' in response.content.decode()
    person.refresh_from_db()
    assert person.time_zone == "Europe/Lisbon"


def test_the_settings_page_is_for_signed_in_people(client):
    response = client.get(reverse("accounts:settings"))
    assert response.status_code == 302


def test_pages_show_moments_in_the_readers_zone(client):
    """The middleware activates the reader's zone: Django's own date filter shows local time."""
    officer = seoul_officer()
    officer.time_zone = "Asia/Seoul"
    officer.save()
    client.force_login(officer)
    with clock.fixed_at(SEOUL_AFTER_MIDNIGHT):
        response = client.get(reverse("accounts:settings"))
    # The page was drawn with Seoul active; the request left the server's zone behind it.
    assert "KST" in response.content.decode()
    assert str(timezone.get_current_timezone()) == "Europe/Brussels"
