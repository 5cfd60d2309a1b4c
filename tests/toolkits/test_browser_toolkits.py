"""In a real browser: a visitor, not signed in, searches the catalogue, opens a practice, moves
on to its toolkit and downloads the toolkit's PDF; the PDF holds the practices in the toolkit's
order and the cities' names with their diacritics."""

import io

import pytest
from pypdf import PdfReader

from tests.accounts.factories import CityOfficerFactory
from tests.browser import page  # noqa: F401
from tests.cities.factories import CityFactory
from tests.toolkits.factories import build_toolkit_world, fresh, published, toolkit_with
from toolkits import services
from toolkits.models import Rendering

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [
    "Mentors from the chamber of commerce",
    "Tenders in lots for small firms",
    "A marketplace for social enterprises",
]


def _pdf_text(download) -> str:
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_visitor_finds_a_practice_and_downloads_its_toolkit(page):  # noqa: F811
    world = build_toolkit_world()
    athens = CityFactory(name="Αθήνα", country="GR")
    athens_officer = CityOfficerFactory(city=athens).user
    riga = published(
        world,
        city=world.other_city,
        title=TITLES[0],
        summary="Rīga paired migrant founders with established business owners.",
    )
    gdansk = published(
        world,
        title=TITLES[1],
        summary="Gdańsk cut its tenders into lots that newcomers' firms can win.",
    )
    athens_practice = published(
        world,
        city=athens,
        author=athens_officer,
        title=TITLES[2],
        summary="Athens opened a market day for firms that hire refugees.",
    )
    toolkit = toolkit_with(world, [riga, gdansk, athens_practice], title="Buying from newcomers")
    services.edition_publish(toolkit, by=fresh(world.expert), notes="First edition.")

    # Search, then open the practice from the results.
    page.goto("/")
    page.get_by_role("link", name="Good practices").first.click()
    page.get_by_role("searchbox", name="Search").fill("newcomers lots")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 practice found").wait_for()
    page.get_by_role("link", name=TITLES[1]).click()
    page.get_by_role("heading", name=TITLES[1]).wait_for()
    assert "Gdańsk" in page.content()

    # From the practice to its toolkit, and the toolkit's PDF.
    page.get_by_role("link", name="Buying from newcomers").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Edition 1 in English (PDF)").click()
    assert download.value.suggested_filename == "buying-from-newcomers-edition-1-en.pdf"
    text = _pdf_text(download.value)
    first_seen = [text.index(title) for title in TITLES]
    last_seen = [text.rindex(title) for title in TITLES]
    assert first_seen == sorted(first_seen), "the table of contents keeps the toolkit's order"
    assert last_seen == sorted(last_seen), "the sections keep the toolkit's order"
    for name in ("Gdańsk", "Rīga", "Αθήνα"):
        assert name in text

    # A second download serves the stored file: still one rendering.
    with page.expect_download() as again:
        page.get_by_role("link", name="Edition 1 in English (PDF)").click()
    assert again.value.suggested_filename == download.value.suggested_filename
    assert Rendering.objects.count() == 1
