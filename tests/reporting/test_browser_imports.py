"""In a real browser: an officer imports the city's paper timesheets, the supervisor approves
the imported month from the queue, and the city's staff-time page counts its days."""

import pytest
from django.urls import reverse

from reporting.models import MonthStatus, TimesheetMonth
from tests.accounts.factories import PASSWORD
from tests.browser import page, sign_in  # noqa: F401
from tests.reporting.factories import build_time_world, rate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out_and_in(page, email):  # noqa: F811
    page.context.clear_cookies()
    sign_in(page, email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_officer_imports_paper_months_and_they_count_once_approved(page, tmp_path):  # noqa: F811
    world = build_time_world()
    rate(world, world.colleague, 2017, "41280")
    paper = tmp_path / "ghent-2017.csv"
    paper.write_text(
        "E-mail address,Date,Activity,Hours,Description\n"
        f"{world.colleague.email},2017-03-06,Action planning,8,Workshop\n"
        f"{world.colleague.email},2017-03-07,needs_analysis,8,\n",
        encoding="utf-8",
    )

    sign_out_and_in(page, world.officer.email)
    page.goto(reverse("reporting:my_time"))
    page.get_by_role("link", name="Import the timesheets Ghent kept on paper").click()
    page.locator("input[type=file]").set_input_files(str(paper))
    page.get_by_role("button", name="Upload and preview").click()
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("Imported:").first.wait_for()
    sheet = TimesheetMonth.objects.get(person=world.colleague)
    assert sheet.status == MonthStatus.SUBMITTED
    assert sheet.imported_from == "ghent-2017.csv"

    sign_out_and_in(page, world.supervisor.email)
    page.get_by_role("link", name="Timesheets to approve").click()
    page.get_by_text("On paper, imported from ghent-2017.csv").wait_for()
    page.get_by_label("Approve Carl Colleague, March 2017").check()
    page.get_by_role("button", name="Approve selected").click()
    page.get_by_text("1 timesheet approved").wait_for()
    sheet.refresh_from_db()
    assert sheet.status == MonthStatus.APPROVED

    page.goto(
        reverse(
            "reporting:city_dashboard",
            kwargs={"programme": world.programme.slug, "city": world.city.pk},
        )
    )
    row = page.get_by_role("row", name="Carl Colleague")
    assert row.get_by_role("cell").first.inner_text().strip() == "2.0"
