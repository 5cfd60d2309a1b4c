"""In a real browser, without signing in: find a programme's open data, download its ZIP, and
read a practice page's schema.org description; no page breaks the Content-Security-Policy."""

import io
import json
import zipfile

import pytest

from mentoring.services.programmes import programme_update
from portal import open_data
from tests.browser import page  # noqa: F401
from toolkits.models import GoodPractice, PracticeStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation of the Content-Security-Policy the page meets, kept where the test reads it.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_a_visitor_downloads_the_open_data_and_search_engines_read_the_pages(page, demo):  # noqa: F811
    demo.open_data_licence = "CC0-1.0"
    programme_update(programme=demo)
    page.add_init_script(WATCH_CSP)

    page.goto("/")
    page.get_by_role("link", name="Open data").click()
    page.get_by_role("heading", name="Open data", exact=True).wait_for()
    page.get_by_role("link", name=demo.name).click()
    page.get_by_role("heading", name=f"Open data of {demo.name}").wait_for()
    assert page.get_by_role("link", name="Creative Commons Zero").is_visible()
    assert page.get_by_role("table", name="Columns of Good practices").is_visible()
    dataset = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert dataset["@type"] == "Dataset"
    assert page.evaluate("window.cspViolations") == []

    with page.expect_download() as download:
        page.get_by_role("link", name="All tables as CSV files").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert archive.namelist() == [
        "datapackage.json",
        *(table.filename for table in open_data.TABLES),
    ]
    assert download.value.suggested_filename == f"{demo.slug}-open-data.zip"

    practice = GoodPractice.objects.filter(status=PracticeStatus.PUBLISHED).first()
    page.goto(practice.get_absolute_url())
    page.get_by_role("heading", name=practice.title, exact=True).wait_for()
    article = page.evaluate(
        """JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)"""
    )
    assert article["@type"] == "Article"
    assert article["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert page.evaluate("window.cspViolations") == []
