"""Each role sees the navigation and home sections that fit it, and only those."""

import pytest
from django.urls import reverse

NAV = {
    "coordinator@example.org": {
        "home",
        "programme",
        "pairings",
        "events",
        "cities",
        "staff_time",
        "reports",
        "claims",
        "plans",
        "reviews",
        "toolkits",
        "invitations",
        "organisations",
        "audit",
    },
    "expert@example.org": {
        "home",
        "scheme",
        "pairings",
        "events",
        "cities",
        "plans",
        "reviews",
        "toolkits",
    },
    "officer.gdansk@example.org": {
        "home",
        "city",
        "time",
        "claims",
        "plans",
        "practices",
        "pairings",
        "events",
    },
    "supervisor.gdansk@example.org": {
        "home",
        "city",
        "team",
        "approvals",
        "plans",
        "rates",
        "reports",
        "claims",
        "events",
    },
    "partner@example.org": {"home", "programme", "cities", "toolkits"},
}

SECTIONS = {
    "coordinator@example.org": "Coordinating CITIES-GROW",
    "expert@example.org": "Facilitating scheme A of CITIES-GROW",
    "officer.gdansk@example.org": "Working for Gdańsk",
    "supervisor.gdansk@example.org": "Working for Gdańsk",
    "partner@example.org": "Your programmes",
}


def nav_keys(html: str) -> set[str]:
    import re

    return set(re.findall(r'data-nav="([a-z_]+)"', html))


@pytest.mark.parametrize(("email", "expected"), NAV.items())
def test_each_role_sees_its_navigation(client, demo, demo_user, email, expected):
    client.force_login(demo_user(email))
    html = client.get(reverse("home")).content.decode()
    assert nav_keys(html) == expected
    assert SECTIONS[email] in html


def test_someone_with_two_roles_sees_both(client, demo, demo_user):
    from accounts.models import Role
    from accounts.services import membership_grant
    from cities.models import City

    officer = demo_user("officer.gdansk@example.org")
    membership_grant(user=officer, role=Role.SUPERVISOR, city=City.objects.get(slug="gdansk"))
    client.force_login(officer)
    assert nav_keys(client.get(reverse("home")).content.decode()) == {
        "home",
        "city",
        "time",
        "plans",
        "practices",
        "pairings",
        "events",
        "team",
        "approvals",
        "rates",
        "reports",
        "claims",
    }


def test_staff_see_the_administration(client, demo, demo_user):
    coordinator = demo_user("coordinator@example.org")
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    assert "admin" in nav_keys(client.get(reverse("home")).content.decode())


def test_anonymous_visitors_see_the_public_page(client, db):
    html = client.get(reverse("home")).content.decode()
    assert nav_keys(html) == set()
    assert 'href="/accounts/login/"' in html


def test_a_person_without_roles_is_told_what_to_do(client, db):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    assert "Ask a coordinator to invite you" in client.get(reverse("home")).content.decode()
