"""In a real browser: a supervisor has a page open; an officer signs a month; the bell in the
supervisor's header counts it without a reload, and its notification leads to the month, where
the supervisor approves it.

The test takes seconds: the live server and Chromium start, and the bell asks the server for its
count every TANDEM_BELL_POLL_SECONDS (0.5 s here, a minute by default), so the rise shows at its
next turn; Playwright waits for that (up to its timeout), nothing sleeps a fixed time."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from reporting import services
from reporting.models import TimesheetMonth
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.reporting.factories import build_time_world, fresh, rate, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_counts_a_signed_month_and_leads_to_it(page, settings):  # noqa: F811
    settings.TANDEM_BELL_POLL_SECONDS = 0.5
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    rate(world, world.colleague, 2017, "41280")
    record(world, world.colleague, date(2017, 2, 6), 6)
    record(world, world.officer, date(2017, 3, 6), 8, description="Needs workshop")
    february = TimesheetMonth.objects.get(person=world.colleague)
    services.month_submit(february, by=fresh(world.colleague))

    sign_in(page, world.supervisor.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    bell = page.locator("[data-bell]")
    number = bell.locator("[data-bell-number]")
    expect(number).to_have_text("1")
    expect(bell.locator("[data-bell-count]")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    # The officer signs March (through the service, as the sign page does).
    march = TimesheetMonth.objects.get(person=world.officer)
    services.month_submit(march, by=fresh(world.officer))

    expect(number).to_have_text("2")
    assert page.evaluate("window.stillTheSamePage") is True, "the page was not reloaded"

    bell.click()
    page.get_by_role("heading", name="Notifications").wait_for()
    page.get_by_role(
        "link", name=re.compile("Olga Officer signed their timesheet of March 2017 for Ghent")
    ).click()
    page.wait_for_url(f"**{march.get_absolute_url()}")
    expect(page.get_by_role("button", name="Approve", exact=True)).to_be_visible()
    expect(number).to_have_text("1")
