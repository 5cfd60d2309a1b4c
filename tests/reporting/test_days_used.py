"""One "days used" (reporting.costs.days_used): over the whole demo, every city's figure is the
same in its staff-cost report's PDF, CSV and XLSX, in the all-cities report's files and on both
dashboards, and equals the database's approved hours turned into days once."""

import csv
import html as html_text
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from cities.models import City
from reporting import services
from reporting.costs import CostFigures, days_used
from reporting.models import MonthStatus, StaffCostReport, TimeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _report(programme, city, by, capture) -> StaffCostReport:
    with capture(execute=True):
        report = services.report_request(
            programme=programme,
            city=city,
            first_month=programme.starts_on.replace(day=1),
            last_month=programme.ends_on.replace(day=1),
            by=by,
            language="en",
        )
    report.refresh_from_db()
    assert report.status == "done", report.error
    return report


def _read(stored) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def _pdf_days(report) -> dict[str, Decimal]:
    """City → days used, from the PDF's "Days used against the allowance" table."""
    reader = PdfReader(io.BytesIO(_read(report.pdf)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    totals = text.rsplit("Days used against the allowance", 1)[1]
    found = {}
    for city in City.objects.filter(participations__programme=report.programme):
        match = re.search(rf"{re.escape(city.name)} ([\d,.]+) ([\d,.]+) 30 ", totals)
        if match:
            found[city.name] = Decimal(match.group(2).replace(",", ""))
    return found


def _pdf_city_page_days(report) -> Decimal:
    reader = PdfReader(io.BytesIO(_read(report.pdf)))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return Decimal(re.search(r"Days used: ([\d,.]+) of the city's allowance", text).group(1))


def _csv_days(report) -> dict[str, Decimal]:
    rows = list(csv.reader(io.StringIO(_read(report.csv).decode("utf-8-sig"))))
    start = rows.index(["Totals by city"])
    header = rows[start + 1]
    column = header.index("Days used")
    found = {}
    for row in rows[start + 2 :]:
        if not row:
            break
        found[row[0]] = Decimal(row[column])
    return found


def _xlsx_days(report) -> dict[str, Decimal]:
    sheet = load_workbook(io.BytesIO(_read(report.xlsx)))["Totals by city"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("Days used")
    return {row[0]: Decimal(str(row[column])) for row in rows[1:]}


def _dashboard_days(client, url: str, label: str | None = None) -> dict[str, Decimal]:
    """Row header → approved days, from a dashboard's data table."""
    html = client.get(url).content.decode()
    table = html[html.index('<table class="data">') :]
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row">(?:<a [^>]+>)?([^<]+)', row)
        cells = re.findall(r'<td class="number">([^<]*)</td>', row)
        if header and cells:
            found[html_text.unescape(header.group(1).strip())] = Decimal(cells[0].replace(",", ""))
    return found


def test_every_citys_days_used_agree_in_every_file_and_dashboard(
    demo_with_staff_time, client, django_capture_on_commit_callbacks
):
    programme = demo_with_staff_time
    coordinator = User.objects.get(email="coordinator@example.org")
    figures = CostFigures.of(programme)
    approved = {
        row["city__name"]: days_used(row["hours"], figures)
        for row in TimeEntry.objects.filter(
            programme=programme, timesheet__status=MonthStatus.APPROVED
        )
        .values("city__name")
        .annotate(hours=Sum("hours"))
    }
    assert len(approved) == 16
    # Days are half-days: the figure that was 21.6, 21.5 and 21.5625 is one number now.
    assert all(value * 2 == int(value * 2) for value in approved.values())

    everyone = _report(programme, None, coordinator, django_capture_on_commit_callbacks)
    assert _pdf_days(everyone) == approved
    assert _csv_days(everyone) == approved
    assert _xlsx_days(everyone) == approved

    client.force_login(coordinator)
    programme_page = _dashboard_days(
        client, reverse("reporting:programme_dashboard", args=[programme.slug])
    )
    assert {city: programme_page[city] for city in approved} == approved

    cities = list(City.objects.filter(participations__programme=programme).order_by("name"))
    for city in cities:
        dashboard = _dashboard_days(
            client, reverse("reporting:city_dashboard", args=[programme.slug, city.pk])
        )
        assert dashboard[f"All of {city.name}"] == approved[city.name], city.name

    # A city's own report (PDF, CSV, XLSX) for the cities at the edges: the most and the fewest
    # days, and one whose days end in a half. The all-cities report above already shows every
    # city's figure through the same code; laying out all 16 reports took a minute of the suite.
    most = max(cities, key=lambda c: approved[c.name])
    fewest = min(cities, key=lambda c: approved[c.name])
    half = next((c for c in cities if approved[c.name] % 1), most)
    for city in dict.fromkeys([most, fewest, half]):
        expected = approved[city.name]
        report = _report(programme, city, coordinator, django_capture_on_commit_callbacks)
        shown = {
            "pdf totals": _pdf_days(report)[city.name],
            "pdf city page": _pdf_city_page_days(report),
            "csv": _csv_days(report)[city.name],
            "xlsx": _xlsx_days(report)[city.name],
        }
        assert shown == dict.fromkeys(shown, expected), city.name
