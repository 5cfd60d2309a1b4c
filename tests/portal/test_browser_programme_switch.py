"""In a real browser: a coordinator of two programmes switches programme from the header by
clicking, and the navigation, the pairing list and the pairing form follow."""

from datetime import date

import pytest

from accounts.models import Role, User
from accounts.services import membership_grant
from cities.models import City
from mentoring.services import participation_add
from tests.browser import page, sign_in  # noqa: F401
from tests.mentoring.factories import ExpertOrganisationFactory, ProgrammeFactory, SchemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_switches_programme_by_clicking(page, demo, settings):  # noqa: F811
    second = ProgrammeFactory(
        name="Air and Energy",
        slug="air-and-energy",
        starts_on=date(2021, 10, 1),
        ends_on=date(2023, 3, 31),
    )
    SchemeFactory(
        programme=second,
        code="Z",
        theme="Clean air in city centres",
        facilitator=ExpertOrganisationFactory(name="Air Experts"),
    )
    coordinator = User.objects.get(email="coordinator@example.org")
    membership_grant(user=coordinator, role=Role.COORDINATOR, programme=second)
    participation_add(programme=second, city=City.objects.get(slug="gdansk"))

    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    main_nav = page.get_by_role("navigation", name="Main", exact=True)
    main_nav.get_by_role("link", name="Programme · Air and Energy").wait_for()

    page.get_by_role("link", name="Pairings", exact=True).click()
    page.get_by_text("No pairings yet.").wait_for()

    page.get_by_label("Working in").select_option(label="CITIES-GROW")
    page.get_by_role("button", name="Switch").click()
    page.get_by_text("You now work in CITIES-GROW.").wait_for()
    # Back on the list, now of CITIES-GROW's pairings.
    assert page.url.endswith("/pairings/")
    page.get_by_role("link", name="Rotterdam").first.wait_for()
    assert main_nav.get_by_role("link", name="Programme · CITIES-GROW").count() == 1
    assert main_nav.get_by_role("link", name="Staff time · CITIES-GROW").count() == 1
    assert main_nav.get_by_role("link", name="Pairings", exact=True).count() == 1

    page.get_by_role("link", name="Propose a pairing").click()
    page.get_by_role("heading", name="Propose a pairing in CITIES-GROW").wait_for()
    options = page.get_by_label("Scheme").locator("option:not([value=''])").all_inner_texts()
    assert options
    assert all(option.startswith("CITIES-GROW — ") for option in options)

    coordinator.refresh_from_db()
    assert coordinator.current_programme.slug == "cities-grow"
