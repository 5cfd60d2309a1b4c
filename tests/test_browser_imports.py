"""In a real browser: a coordinator moves a programme's cities from a spreadsheet into Tandem.

One test on purpose: each step needs what the one before it made (the template downloaded,
filled in, the preview with its error, the corrected file, the import). It takes some seconds:
a sign-in and about ten page loads and uploads in Chromium against live_server, with a
transactional database (emptied after the test). No step waits for a timer; every wait is for
a heading, a row or a download. A small programme made by factories, not the demo.
"""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import PASSWORD, CoordinatorFactory
from tests.browser import page, sign_in  # noqa: F401
from tests.mentoring.factories import ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_imports_cities_with_a_preview_that_names_the_bad_cell(
    page,  # noqa: F811
    tmp_path,
):
    programme = ProgrammeFactory(name="ICP Spreadsheets")
    coordinator = CoordinatorFactory(programme=programme).user
    sign_in(page, coordinator.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # From the programme's page to its cities import.
    page.goto(programme.get_absolute_url())
    page.locator("[data-link=imports]").get_by_role("link", name="cities", exact=True).click()
    page.get_by_role("heading", name="Import Cities into ICP Spreadsheets").wait_for()

    # The template: a CSV attachment, headers in English, one example row. Chromium hands a
    # download neither to "response" events nor to routes, so its address is fetched again
    # with the browser's session for the headers.
    link = page.get_by_role("link", name="Template (CSV) with an example row")
    with page.expect_download() as download:
        link.click()
    answer = page.request.get(link.get_attribute("href"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == 'attachment; filename="tandem-cities.csv"'
    assert answer.body() == download.value.path().read_bytes()
    assert download.value.suggested_filename == "tandem-cities.csv"
    template = download.value.path().read_bytes().decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(template)))
    assert header[:4] == ["Name", "Country", "Latitude", "Longitude"]
    assert example[0] == "Gdańsk"

    def filled(name: str, kraków_latitude: str):
        rows = [
            header,
            ["Tartu", "EE", "58.378", "26.729", "Europe/Tallinn", "et", ""],
            ["Kraków", "PL", kraków_latitude, "19.945", "Europe/Warsaw", "pl", ""],
        ]
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        path = tmp_path / name
        path.write_text(buffer.getvalue(), encoding="utf-8")
        return path

    # A file with one bad cell: the preview names it, in its column, and imports nothing.
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(filled("cities.csv", "north"))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Import of cities.csv").wait_for()
    expect(page.locator("#preview-summary")).to_have_text(
        "1 to create, 0 to update, 0 unchanged, 1 with errors"
    )
    bad = page.locator("td.cell-error")
    expect(bad).to_have_count(1)
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_contain_text("north")
    expect(bad).to_contain_text("Write a number")
    column = page.get_by_role("columnheader", name="Latitude", exact=True)
    assert bad.evaluate("cell => cell.cellIndex") == column.evaluate("cell => cell.cellIndex")
    expect(bad.locator("xpath=..").get_by_role("rowheader")).to_have_text("3")
    expect(page.get_by_role("button", name="Import", exact=True)).to_have_count(0)

    # The corrected file: every row to create, then imported on confirmation.
    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(filled("fixed.csv", "50.062"))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("heading", name="Import of fixed.csv").wait_for()
    expect(page.locator("#preview-summary")).to_have_text(
        "2 to create, 0 to update, 0 unchanged, 0 with errors"
    )
    expect(page.locator("td.cell-error")).to_have_count(0)
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_role("heading", name="What was imported").wait_for()
    expect(page.locator(".import-success")).to_contain_text("Imported.")

    # The new cities take part in the programme.
    page.get_by_role("link", name="Import Cities into ICP Spreadsheets").click()
    page.get_by_role("link", name="Back to ICP Spreadsheets").click()
    page.get_by_role("heading", name="Participating cities").wait_for()
    for name in ("Tartu", "Kraków"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
