"""A save from an older page never silently undoes a newer one: two pages (two tabs, or two
people) of the same month grid, entry or rate are drawn, both save; the second keeps the first's
changes (cells it did not touch) or is refused with the newer values shown and its input kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.models import TimeEntry
from tests.pageforms import post_form
from tests.reporting.factories import build_time_world, record

pytestmark = pytest.mark.django_db

DAY = date(2017, 3, 6)  # a Monday
MONTH = DAY.replace(day=1)
TUESDAY = DAY + timedelta(days=1)


@pytest.fixture
def world():
    return build_time_world()


def grid_url(world) -> str:
    return reverse(
        "reporting:grid",
        kwargs={"programme": world.programme.slug, "year": MONTH.year, "month": MONTH.month},
    )


def cell(day, activity="action_planning") -> str:
    return services.grid_field(day, activity)


def two_pages(user, url, css_class=None):
    """Two clients of one person, each with the form of the page as it is drawn now."""
    pages = []
    for _ in range(2):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        pages.append((client, post_form(response.content.decode(), css_class=css_class)))
    return pages


def hours(day, activity="action_planning"):
    entry = TimeEntry.objects.filter(day=day, activity=activity).first()
    return entry.hours if entry else None


def test_two_pages_of_a_month_that_change_different_cells_both_keep_their_changes(world):
    record(world, world.officer, DAY, 2)
    (first, page_a), (second, page_b) = two_pages(world.officer, grid_url(world), "month-grid-form")

    response = first.post(grid_url(world), {**page_a, cell(DAY): ["5"]})
    assert response.status_code == 302
    response = second.post(grid_url(world), {**page_b, cell(TUESDAY, "visit"): ["3"]})
    assert response.status_code == 302

    # The second page showed 2 h on Monday; it did not change that cell, so the first page's
    # 5 h stay (on today's main the whole month was written back: 2 h).
    assert hours(DAY) == Decimal(5)
    assert hours(TUESDAY, "visit") == Decimal(3)


def test_a_cell_both_pages_changed_is_refused_with_the_newer_value_and_the_typed_one_kept(world):
    record(world, world.officer, DAY, 2)
    url = grid_url(world)
    (first, page_a), (second, page_b) = two_pages(world.officer, url, "month-grid-form")
    assert first.post(url, {**page_a, cell(DAY): ["5"]}).status_code == 302

    response = second.post(url, {**page_b, cell(DAY): ["7"], cell(TUESDAY, "travel"): ["1"]})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was saved: someone else saved first." in page
    assert "Saved meanwhile by someone else: 5. Yours is kept here." in page
    assert f'name="{cell(DAY)}" value="7"' in page  # what was typed, kept
    assert f'name="{cell(TUESDAY, "travel")}" value="1"' in page
    assert 'role="alert"' in page
    assert hours(DAY) == Decimal(5)
    assert hours(TUESDAY, "travel") is None  # nothing of the refused page was saved

    # Saving again from the refused page is deliberate: now it goes through.
    again = post_form(page, css_class="month-grid-form")
    assert second.post(url, again).status_code == 302
    assert hours(DAY) == Decimal(7)
    assert hours(TUESDAY, "travel") == Decimal(1)


def test_a_refused_page_shows_the_newer_values_of_cells_it_did_not_change(world):
    record(world, world.officer, DAY, 2)
    record(world, world.officer, TUESDAY, 1)
    url = grid_url(world)
    (first, page_a), (second, page_b) = two_pages(world.officer, url, "month-grid-form")
    assert first.post(url, {**page_a, cell(DAY): ["5"], cell(TUESDAY): ["4"]}).status_code == 302

    response = second.post(url, {**page_b, cell(DAY): ["7"]})
    assert response.status_code == 409
    page = response.content.decode()
    # Tuesday was not changed on this page: it shows the newer 4 h, and saving again keeps them.
    assert f'name="{cell(TUESDAY)}" value="4"' in page
    assert second.post(url, post_form(page, css_class="month-grid-form")).status_code == 302
    assert hours(TUESDAY) == Decimal(4)
    assert hours(DAY) == Decimal(7)


def test_descriptions_are_cells_too(world):
    record(world, world.officer, DAY, 2, description="First")
    url = grid_url(world)
    desc = services.grid_description_field(DAY)
    (first, page_a), (second, page_b) = two_pages(world.officer, url, "month-grid-form")
    assert first.post(url, {**page_a, desc: ["Newer"]}).status_code == 302

    # Changing only the hours keeps the newer description.
    assert second.post(url, {**page_b, cell(DAY): ["3"]}).status_code == 302
    entry = TimeEntry.objects.get(day=DAY)
    assert (entry.hours, entry.description) == (Decimal(3), "Newer")

    response = second.post(url, {**page_b, desc: ["Mine"]})
    assert response.status_code == 409
    assert "Saved meanwhile by someone else: Newer." in response.content.decode()


# Single entries ---------------------------------------------------------------------------------


def test_an_entry_saved_from_an_older_page_is_refused_with_the_newer_values(world):
    entry = record(world, world.officer, DAY, 2, description="Start")
    url = reverse("reporting:entry_edit", args=[entry.pk])
    (first, page_a), (second, page_b) = two_pages(world.officer, url, "entry-form")
    assert first.post(url, {**page_a, "hours": ["4"]}).status_code == 302

    response = second.post(url, {**page_b, "description": ["Mine"]})

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this while you were editing it" in page
    assert "What was saved meanwhile" in page
    assert 'value="Mine"' in page
    entry.refresh_from_db()
    assert (entry.hours, entry.description) == (Decimal(4), "Start")
    # Saved again on purpose, it goes through.
    assert second.post(url, post_form(page, css_class="entry-form")).status_code == 302
    entry.refresh_from_db()
    assert (entry.hours, entry.description) == (Decimal(2), "Mine")
