"""In a real browser: an officer signs a month, the supervisor approves it with the bulk form,
and the supervisor's staff-cost report counts it, downloaded as a PDF."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reporting.models import MonthStatus, TimesheetMonth
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.reporting.factories import build_time_world, rate, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out_and_in(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_month_is_signed_approved_and_counted_in_the_report(page):  # noqa: F811
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 3, 6), 8, description="Needs workshop")
    record(world, world.officer, date(2017, 3, 7), 4, activity="travel")

    # The officer signs March from the month page.
    sign_out_and_in(page, world.officer.email)
    page.goto(reverse("reporting:grid", args=[world.programme.slug, 2017, 3]))
    page.get_by_role("link", name="Sign and submit the timesheet").click()
    page.get_by_role("button", name="Sign and submit").click()
    page.get_by_text("You signed your timesheet of March 2017").wait_for()
    sheet = TimesheetMonth.objects.get(person=world.officer)
    assert sheet.status == MonthStatus.SUBMITTED

    # The supervisor ticks it in the queue and approves it.
    sign_out_and_in(page, world.supervisor.email)
    page.get_by_role("link", name="Timesheets to approve").click()
    page.get_by_label("Approve Olga Officer, March 2017").check()
    page.get_by_role("button", name="Approve selected").click()
    page.get_by_text("Olga Officer").first.wait_for()
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED
    assert sheet.approved_by == world.supervisor

    # The supervisor asks for the city's report; the page shows the files when it is done.
    page.get_by_role("link", name="Staff-cost reports").first.click()
    page.get_by_role("button", name="Build the report").click()
    with page.expect_download() as download:
        page.locator("a[download]", has_text=".pdf").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    text = " ".join(
        page_.extract_text() for page_ in PdfReader(io.BytesIO(_read(download.value))).pages
    )
    text = " ".join(text.split())
    assert "Signed by Olga Officer on" in text
    assert "Approved by Sara Supervisor on" in text
    assert "Needs workshop" in text
    assert "12 hours × 30.2326 = €362.79" in text  # 52,000 ÷ 1,720 × 12 h


def _read(download) -> bytes:
    with open(download.path(), "rb") as handle:
        return handle.read()
