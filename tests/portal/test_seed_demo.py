from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import Membership, Role, User
from cities.models import City
from mentoring.models import ExpertOrganisation, Pairing, Participation, Programme, Scheme


def snapshot() -> dict:
    """Everything seed_demo writes, as comparable values."""
    return {
        "programmes": list(Programme.objects.values()),
        "experts": list(ExpertOrganisation.objects.values()),
        "schemes": list(Scheme.objects.values()),
        "commitments": sorted(
            Scheme.commitments.through.objects.values_list("scheme", "commitment")
        ),
        "cities": list(City.objects.values()),
        "participations": list(Participation.objects.values()),
        "pairings": list(Pairing.objects.values()),
        "users": list(User.objects.values("id", "email", "full_name", "password")),
        "memberships": list(
            Membership.objects.values("user", "role", "programme", "scheme", "city")
        ),
    }


def test_demo_programme_matches_the_concept_note(demo):
    assert demo.name == "CITIES-GROW"
    assert (demo.starts_on, demo.ends_on) == (date(2016, 10, 1), date(2018, 9, 30))
    assert demo.budget == Decimal("650000.00")
    assert demo.co_financing_rate == Decimal("0.1")
    assert demo.reimbursement_rate == Decimal("0.9")
    assert demo.staff_days_allowance == 30
    assert demo.network == "EUROCITIES"


def test_demo_schemes_have_their_facilitators(demo):
    facilitators = {s.code: s.facilitator.name for s in demo.schemes.select_related("facilitator")}
    assert facilitators == {
        "A": "Migration Policy Group",
        "B": "MigrationWork CIC",
        "C": "Migration Policy Institute",
        "D": "Migration Policy Group",
    }
    assert all(scheme.commitments.exists() for scheme in demo.schemes.all())


def test_demo_cities_have_countries_coordinates_and_languages(demo):
    assert demo.participations.count() == 16
    gdansk = City.objects.get(slug="gdansk")
    assert (gdansk.name, gdansk.country.code) == ("Gdańsk", "PL")
    assert (gdansk.latitude, gdansk.longitude) == (Decimal("54.352"), Decimal("18.6466"))
    assert City.objects.get(slug="brighton-hove").longitude == Decimal("-0.1372")
    assert City.objects.get(slug="nicosia").languages == ["el", "tr"]
    assert City.objects.get(slug="barcelona").languages == ["ca", "es"]


def test_demo_pairings(demo):
    pairs = set(Pairing.objects.values_list("scheme__code", "mentor__name", "implementing__name"))
    assert pairs == {
        ("A", "Rotterdam", "Gdańsk"),
        ("A", "Munich", "Nicosia"),
        ("B", "Birmingham", "Riga"),
        ("B", "Ghent", "Tampere"),
        ("C", "Barcelona", "Athens"),
        ("C", "Lisbon", "Dresden"),
        ("D", "Nantes", "Brighton & Hove"),
        ("D", "Helsinki", "Utrecht"),
    }


@pytest.mark.parametrize(
    ("email", "role", "scope"),
    [
        ("coordinator@example.org", Role.COORDINATOR, "CITIES-GROW"),
        ("expert@example.org", Role.EXPERT, "A: Matching buyers and suppliers"),
        ("partner@example.org", Role.PARTNER, "CITIES-GROW"),
        ("officer.gdansk@example.org", Role.OFFICER, "Gdańsk"),
        ("supervisor.brighton-hove@example.org", Role.SUPERVISOR, "Brighton & Hove"),
    ],
)
def test_demo_logins_work_with_the_demo_password(demo, email, role, scope, settings):
    user = authenticate(email=email, password=settings.DEMO_PASSWORD)
    assert user is not None
    membership = user.memberships.get()
    assert membership.role == role
    assert str(membership.scope).startswith(scope)


def test_every_city_has_an_officer_and_a_supervisor(demo):
    for city in City.objects.filter(participations__programme=demo):
        roles = set(Membership.objects.filter(city=city).values_list("role", flat=True))
        assert roles == {Role.OFFICER, Role.SUPERVISOR}, city
    # The demo toolkits add their own logins under demo.tandem.eu (tests/toolkits).
    assert User.objects.exclude(email__endswith="@demo.tandem.eu").count() == 3 + 2 * 16


def test_seed_demo_twice_changes_nothing(demo):
    before = snapshot()
    # The same parts as the fixture seeded (the demo claims would add their controller).
    call_command(
        "seed_demo",
        without_staff_time=True,
        without_plans=True,
        without_second_programme=True,
        verbosity=0,
    )
    assert snapshot() == before


def test_seed_demo_keeps_what_people_changed(demo, settings):
    officer = User.objects.get(email="officer.riga@example.org")
    officer.set_password("a new and private passphrase")
    officer.save()
    call_command("seed_demo", without_second_programme=True, verbosity=0)
    assert authenticate(email=officer.email, password="a new and private passphrase")
    assert not authenticate(email=officer.email, password=settings.DEMO_PASSWORD)


def test_seed_demo_prints_the_logins(db, capsys):
    call_command("seed_demo", verbosity=1)
    out = capsys.readouterr().out
    assert "officer.brighton-hove@example.org" in out
    assert "tandem-demo" in out
