"""What each person may read: programmes they take part in, and city teams only for their city."""

import pytest
from django.urls import reverse

from cities.models import City
from mentoring.models import Pairing
from tests.accounts.factories import CityOfficerFactory, CoordinatorFactory
from tests.mentoring.factories import PairingFactory, ProgrammeFactory


@pytest.fixture
def outsider_pairing(db):
    """A pairing in another programme that no demo person takes part in."""
    return PairingFactory(scheme__programme=ProgrammeFactory(name="Other", slug="other"))


ALL_DEMO = [
    "coordinator@example.org",
    "expert@example.org",
    "partner@example.org",
    "officer.gdansk@example.org",
    "supervisor.nantes@example.org",
]


@pytest.mark.parametrize("email", ALL_DEMO)
def test_demo_people_read_their_programme_but_not_another(
    client, demo, demo_user, outsider_pairing, email
):
    client.force_login(demo_user(email))
    assert client.get(demo.get_absolute_url()).status_code == 200
    assert client.get(outsider_pairing.scheme.programme.get_absolute_url()).status_code == 403
    assert client.get(outsider_pairing.get_absolute_url()).status_code == 403
    assert client.get(outsider_pairing.mentor.get_absolute_url()).status_code == 404
    listed = client.get(reverse("mentoring:pairings")).content.decode()
    assert str(outsider_pairing.mentor) not in listed
    cities = client.get(reverse("portal:city_list")).content.decode()
    assert "Gdańsk" in cities
    assert str(outsider_pairing.mentor) not in cities


def test_a_city_team_is_shown_to_its_staff_and_coordinators_only(client, demo, demo_user):
    gdansk = City.objects.get(slug="gdansk")
    for email, sees in [
        ("officer.gdansk@example.org", True),
        ("supervisor.gdansk@example.org", True),
        ("coordinator@example.org", True),
        ("officer.riga@example.org", False),
        ("supervisor.riga@example.org", False),
        ("expert@example.org", False),
        ("partner@example.org", False),
    ]:
        client.force_login(demo_user(email))
        html = client.get(gdansk.get_absolute_url()).content.decode()
        assert ("officer.gdansk@example.org" in html) is sees, email


def test_the_officer_of_another_programme_sees_nothing_of_this_one(client, demo):
    officer = CityOfficerFactory().user
    client.force_login(officer)
    assert client.get(demo.get_absolute_url()).status_code == 403
    assert client.get(Pairing.objects.first().get_absolute_url()).status_code == 403
    assert client.get(City.objects.get(slug="gdansk").get_absolute_url()).status_code == 404


def test_a_coordinator_of_another_programme_cannot_invite_here(client, demo):
    other = CoordinatorFactory()
    client.force_login(other.user)
    page = client.get(reverse("portal:invitations")).content.decode()
    assert "Gdańsk" not in page
    assert "CITIES-GROW" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/cities-grow/",
        "/pairings/",
        "/pairings/1/",
        "/cities/",
        "/cities/gdansk/",
        "/invitations/",
        "/accounts/2fa/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
