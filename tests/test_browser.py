"""In a real browser: the coordinator signs in and finds the programme's cities."""

import pytest

from mentoring.demo import data as demo_data
from tests.browser import page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_signs_in_and_sees_the_programmes_cities(page, demo, settings):  # noqa: F811
    sign_in(page, "coordinator@example.org", settings.DEMO_PASSWORD)
    page.get_by_role("heading", name="Coordinating CITIES-GROW").wait_for()

    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Cities", exact=True).click()
    page.get_by_role("heading", name="Cities", exact=True).wait_for()
    rows = page.get_by_role("table").get_by_role("row")
    assert rows.count() == 1 + len(demo_data.CITIES)
    for name, *_ in demo_data.CITIES:
        assert page.get_by_role("link", name=name, exact=True).is_visible()

    page.get_by_role("link", name="Gdańsk", exact=True).click()
    page.get_by_role("heading", name="Gdańsk").wait_for()
    assert page.get_by_role("heading", name="City team").is_visible()


def test_keyboard_users_can_skip_to_the_content(page, demo):  # noqa: F811
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_language_switcher_turns_the_chrome_french(page, demo, settings):  # noqa: F811
    sign_in(page, "officer.nantes@example.org", settings.DEMO_PASSWORD)
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.get_by_role("navigation", name="Principal").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("link", name="Ma ville").is_visible()
