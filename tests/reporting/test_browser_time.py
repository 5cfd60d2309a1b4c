"""In a real browser: an officer types a month of hours with the keyboard, saves it, and fixes
what the server refuses without losing what they typed."""

import re

import pytest
from django.urls import reverse

from reporting.models import TimeEntry
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.reporting.factories import build_time_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_types_a_month_saves_it_and_fixes_a_refused_cell(page):  # noqa: F811
    world = build_time_world()
    sign_in(page, world.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(reverse("reporting:my_time"))
    page.get_by_role("heading", name="My time", exact=True).wait_for()
    assert page.get_by_role("heading", name=world.programme.name).is_visible()

    # Go to March 2017 with the month picker.
    page.get_by_label("Programme", exact=True).select_option(world.programme.slug)
    page.get_by_label("Month", exact=True).select_option(label="March 2017")
    page.get_by_role("button", name="Open the month").click()
    page.get_by_role("heading", name="My time in March 2017").wait_for()

    # Type three cells of Monday 6 March with the keyboard: click the first, tab to the next.
    page.get_by_label("Needs analysis, Monday 6 March").click()
    page.keyboard.type("2")
    page.keyboard.press("Tab")  # Visit preparation
    page.keyboard.type("1.5")
    page.keyboard.press("Tab")  # Study or mentoring visit
    page.keyboard.press("Tab")  # Follow-up
    page.keyboard.type("3")
    page.get_by_label("Description, Monday 6 March").fill("Needs workshop")
    page.get_by_label("Travel, Tuesday 7 March").fill("4")
    # The totals follow the typing (script) before anything is saved.
    monday_total = page.locator('[data-day-total="06"]')
    assert monday_total.inner_text() == "6.5"
    assert page.locator("[data-grand-total]").inner_text() == "10.5"

    page.get_by_role("button", name="Save the month").click()
    page.get_by_text("The month is saved: 4 changes.").wait_for()
    assert monday_total.inner_text() == "6.5"
    assert page.locator('[data-activity-total="travel"]').inner_text() == "4"
    assert page.locator("[data-grand-total]").inner_text() == "10.5"
    assert page.get_by_label("Visit preparation, Monday 6 March").input_value() == "1.5"
    assert TimeEntry.objects.filter(person=world.officer).count() == 4

    # Two refused values and a good one: nothing is saved, every typed value stays.
    page.get_by_label("Needs analysis, Monday 6 March").fill("25")
    page.get_by_label("Follow-up, Wednesday 8 March").fill("0.3")
    page.get_by_label("Action planning, Thursday 9 March").fill("2")
    page.get_by_role("button", name="Save the month").click()

    summary = page.get_by_role("alert")
    summary.get_by_text("Nothing was saved").wait_for()
    refused = page.get_by_label("Needs analysis, Monday 6 March")
    assert refused.input_value() == "25"
    assert refused.get_attribute("aria-invalid") == "true"
    message = page.locator("#" + refused.get_attribute("aria-describedby"))
    assert message.inner_text() == "A day has 24 hours."
    step = page.get_by_label("Follow-up, Wednesday 8 March")
    assert step.input_value() == "0.3"
    assert (
        "half-hour steps" in page.locator("#" + step.get_attribute("aria-describedby")).inner_text()
    )
    assert page.get_by_label("Action planning, Thursday 9 March").input_value() == "2"
    assert page.get_by_label("Travel, Tuesday 7 March").input_value() == "4"
    assert page.get_by_label("Description, Monday 6 March").input_value() == "Needs workshop"

    # The summary links to the cell.
    summary.get_by_role("link", name=re.compile("Mon 6 Mar, Needs analysis")).click()
    assert refused.evaluate("el => el === document.activeElement")
    assert TimeEntry.objects.filter(person=world.officer).count() == 4

    # What the browser cannot read as a number is stopped before it is sent as an empty cell.
    unreadable = page.get_by_label("Consultation or webinar, Friday 10 March")
    unreadable.click()
    page.keyboard.type("1e")
    page.get_by_role("button", name="Save the month").click()
    assert unreadable.get_attribute("aria-invalid") == "true"
    assert unreadable.evaluate("el => el === document.activeElement")
    hint = page.locator("#" + unreadable.get_attribute("aria-describedby"))
    assert hint.inner_text() == "Enter a number of hours, e.g. 2 or 2.5, or leave it empty."
    assert refused.input_value() == "25"  # still the same page, nothing sent
    unreadable.press("Backspace")
    unreadable.press("Backspace")
    assert unreadable.get_attribute("aria-invalid") is None

    # Fixed, it saves.
    refused.fill("2.5")
    step.fill("0.5")
    page.get_by_role("button", name="Save the month").click()
    page.get_by_text("The month is saved: 3 changes.").wait_for()
    assert TimeEntry.objects.filter(person=world.officer).count() == 6


def test_a_second_tab_of_the_month_keeps_the_first_tabs_save(page):  # noqa: F811
    world = build_time_world()
    sign_in(page, world.officer.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    url = reverse(
        "reporting:grid", kwargs={"programme": world.programme.slug, "year": 2017, "month": 3}
    )
    other = page.context.new_page()
    other.set_default_timeout(15_000)
    for tab in (page, other):
        tab.goto(url)
        tab.get_by_role("heading", name="My time in March 2017").wait_for()

    page.get_by_label("Needs analysis, Monday 6 March").fill("5")
    page.get_by_label("Travel, Tuesday 7 March").fill("1")
    page.get_by_role("button", name="Save the month").click()
    page.get_by_text("The month is saved: 2 changes.").wait_for()

    # The older tab changes a cell the first tab did not touch: both changes are kept.
    other.get_by_label("Follow-up, Wednesday 8 March").fill("2")
    other.get_by_role("button", name="Save the month").click()
    other.get_by_text("The month is saved: 1 change.").wait_for()
    assert other.get_by_label("Needs analysis, Monday 6 March").input_value() == "5"

    # Now the first tab is the older one: it changes Monday too and is refused for that cell.
    page.get_by_label("Needs analysis, Monday 6 March").fill("6")
    other.get_by_label("Needs analysis, Monday 6 March").fill("7")
    other.get_by_role("button", name="Save the month").click()
    other.get_by_text("The month is saved: 1 change.").wait_for()
    page.get_by_role("button", name="Save the month").click()
    summary = page.get_by_role("alert")
    summary.get_by_text("Nothing was saved: someone else saved first.").wait_for()
    cell = page.get_by_label("Needs analysis, Monday 6 March")
    assert cell.input_value() == "6"  # what was typed, kept
    assert cell.get_attribute("aria-invalid") == "true"
    message = page.locator("#" + cell.get_attribute("aria-describedby")).inner_text()
    assert message == "Saved meanwhile by someone else: 7. Yours is kept here."
    assert TimeEntry.objects.get(day="2017-03-06", activity="needs_analysis").hours == 7

    # Saving again, after comparing, is deliberate.
    page.get_by_role("button", name="Save the month").click()
    page.get_by_text("The month is saved: 1 change.").wait_for()
    assert TimeEntry.objects.get(day="2017-03-06", activity="needs_analysis").hours == 6
    # The first tab never showed Wednesday's 2 h and did not touch the cell: they stay.
    assert TimeEntry.objects.get(day="2017-03-08", activity="follow_up").hours == 2
