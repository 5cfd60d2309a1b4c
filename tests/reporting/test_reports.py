"""The staff-cost report built by its job: PDF, CSV and XLSX with the same figures, which are the
database's, only from approved months; failures, retries and redelivered tasks."""

import csv
import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from documents import jobs
from documents.models import StoredFile
from reporting import services
from reporting.costs import CostSplit, cents
from reporting.models import MonthStatus, StaffCostReport, TimeEntry, TimesheetMonth
from reporting.reports import report_filename
from reporting.tasks import build_staff_cost_report
from reporting.templatetags.reporting_tags import money
from tests.accounts.factories import CityOfficerFactory
from tests.reporting.factories import approved_month, build_time_world, fresh, rate, record

pytestmark = pytest.mark.django_db

GREEK_NAME = "Ελένη Παπαδοπούλου"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def working_days(month: date, count: int) -> list[date]:
    days, day = [], month
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def fill(world, person, month: date, hours: int, *, per_day=8, activity="action_planning", **kw):
    left = Decimal(hours)
    for day in working_days(month, 23):
        if not left:
            break
        chunk = min(Decimal(per_day), left)
        record(world, person, day, chunk, activity=activity, **kw)
        left -= chunk


@pytest.fixture
def world():
    """Ghent: Olga (two approved months, one submitted), Carl (one approved, one open);
    Gdańsk: Eleni, half time (one approved month)."""
    world = build_time_world(funder="AMIF", grant_reference="AMIF-2016-AG-INTE-1234")
    User.objects.filter(pk=world.other_officer.pk).update(full_name=GREEK_NAME)
    world.other_officer.refresh_from_db()
    rate(world, world.officer, 2017, "52000")
    rate(world, world.colleague, 2017, "41280")
    rate(world, world.other_officer, 2017, "60200", share="0.5", city=world.other_city)

    jan, feb, mar = date(2017, 1, 1), date(2017, 2, 1), date(2017, 3, 1)
    fill(world, world.officer, jan, 40)
    record(world, world.officer, date(2017, 1, 2), 1.5, activity="consultation")
    record(
        world,
        world.officer,
        date(2017, 1, 3),
        2,
        activity="visit_preparation",
        description="=Agenda for the Rotterdam visit",
    )
    approved_month(world, world.officer, jan)
    fill(world, world.officer, feb, 27.5, per_day=7.5, activity="follow_up")
    approved_month(world, world.officer, feb)
    fill(world, world.officer, mar, 16)
    services.month_submit(
        TimesheetMonth.objects.get(person=world.officer, month=mar), by=fresh(world.officer)
    )

    fill(world, world.colleague, jan, 33.5, per_day=6.5, activity="needs_analysis")
    approved_month(world, world.colleague, jan)
    fill(world, world.colleague, feb, 4)

    fill(world, world.other_officer, jan, 21, per_day=7, description="Mentoring call")
    approved_month(world, world.other_officer, jan)
    return world


def request_report(world, django_capture_on_commit_callbacks, *, city=None, by=None, **kw):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            programme=world.programme,
            city=city,
            first_month=kw.pop("first_month", date(2017, 1, 1)),
            last_month=kw.pop("last_month", date(2017, 12, 1)),
            by=fresh(by or world.coordinator),
            language=kw.pop("language", "en"),
        )
    report.refresh_from_db()
    return report


def pdf_text(stored: StoredFile) -> str:
    with stored.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def csv_sections(stored: StoredFile) -> dict[str, list[list[str]]]:
    """Section title → its rows (the header row first)."""
    with stored.file.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, for Excel"
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))):
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def workbook(stored: StoredFile):
    with stored.file.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def rows_by_label(sheet) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}


def database_figures(programme, *, city=None, first=date(2017, 1, 1), last=date(2017, 12, 1)):
    """The figures straight from the database: approved entries' hours; full-precision rate ×
    hours of each approved month, summed, then rounded."""
    sheets = TimesheetMonth.objects.filter(
        programme=programme, status=MonthStatus.APPROVED, month__gte=first, month__lte=last
    )
    if city is not None:
        sheets = sheets.filter(city=city)
    hours = TimeEntry.objects.filter(timesheet__in=sheets).aggregate(total=Sum("hours"))["total"]
    direct = sum((sheet.rate * sheet.hours for sheet in sheets), Decimal(0))
    split = CostSplit(
        direct,
        programme.indirect_cost_rate,
        programme.reimbursement_rate,
        programme.budget * programme.reimbursement_rate,
    )
    return {
        "hours": hours,
        "direct": cents(split.direct),
        "indirect": cents(split.indirect),
        "total": cents(split.total),
        "eu_share": cents(split.eu_share),
        "own_contribution": cents(split.own_contribution),
    }


SPLIT_LABELS = {
    "direct": "Direct staff costs",
    "indirect": "Indirect costs (flat rate)",
    "total": "Total eligible costs",
    "eu_share": "Share of AMIF",
    "own_contribution": "Own contribution",
}


def split_from_csv(sections) -> dict[str, Decimal]:
    rows = {row[0]: row for row in sections["Co-financing"][1:]}
    return {key: Decimal(rows[label][2]) for key, label in SPLIT_LABELS.items()}


def split_from_xlsx(book) -> dict[str, Decimal]:
    rows = rows_by_label(book["Co-financing"])
    return {key: Decimal(str(rows[label][1])) for key, label in SPLIT_LABELS.items()}


def shown(amount: Decimal) -> str:
    with translation.override("en"):
        return money(amount)


# The job's outcome -------------------------------------------------------------------------------


def test_a_requested_report_is_built_with_three_checked_files(
    world, django_capture_on_commit_callbacks
):
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "done"
    assert report.progress == 100
    assert report.finished_at is not None
    assert report.error == ""
    for fmt, content_type in [
        ("pdf", "application/pdf"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]:
        stored = getattr(report, fmt)
        assert stored is not None, fmt
        with stored.file.open("rb") as handle:
            content = handle.read()
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
        assert stored.size == len(content) > 0
        assert stored.content_type == content_type
        assert (
            stored.filename
            == f"staff-costs_{world.programme.slug}_all-cities_2017-01_2017-12.{fmt}"
        )


def test_file_names_name_the_programme_city_and_period(world, django_capture_on_commit_callbacks):
    report = request_report(
        world,
        django_capture_on_commit_callbacks,
        city=world.other_city,
        first_month=date(2017, 1, 15),
        last_month=date(2017, 6, 30),
    )
    slug = world.programme.slug
    assert report.pdf.filename == f"staff-costs_{slug}_gdansk_2017-01_2017-06.pdf"
    assert report_filename(report, "csv") == f"staff-costs_{slug}_gdansk_2017-01_2017-06.csv"


def test_the_pdf_says_what_counts_lists_open_months_and_shows_signatures(
    world, django_capture_on_commit_callbacks
):
    report = request_report(world, django_capture_on_commit_callbacks)
    text = pdf_text(report.pdf)
    assert "Only approved months count in this report." in text
    assert "AMIF-2016-AG-INTE-1234" in text
    assert "All cities of the programme" in text
    # Months not counted: Olga's submitted March, Carl's open February, counted for Ghent up
    # front and listed in Ghent's section (a report of every city).
    head = text.split("Months not counted", 1)[1].split("Summary", 1)[0]
    assert "Ghent 2" in head
    assert "Total 2" in head
    assert "Gdańsk" not in head
    assert "Olga Officer" not in head
    ghent = text.split("Ghent\nDays used", 1)[1]
    not_counted = ghent.split("Months not counted", 1)[1].split("Timesheets of", 1)[0]
    assert "Olga Officer March 2017 Submitted" in not_counted
    assert "Carl Colleague February 2017 Open" in not_counted
    gdansk = text.split("Gdańsk\nDays used", 1)[1].split("Ghent\nDays used", 1)[0]
    assert "Months not counted" not in gdansk
    # A city's own report lists its months up front.
    city_text = pdf_text(
        request_report(world, django_capture_on_commit_callbacks, city=world.city).pdf
    )
    head = city_text.split("Months not counted", 1)[1].split("Summary", 1)[0]
    assert "Olga Officer Ghent March 2017 Submitted" in head
    assert "Carl Colleague Ghent February 2017 Open" in head
    assert "Signed by Olga Officer on" in text
    assert "Approved by Sara Supervisor on" in text
    assert "Approved by Sven Other on" in text  # Gdańsk's supervisor signed Eleni's month
    # Every city at once: months with totals and signatures, the day lines only in the files.
    assert "=Agenda for the Rotterdam visit" not in text
    assert "The day-by-day timesheets are in the CSV and Excel files" in " ".join(text.split())
    # The rate calculation: 52,000 ÷ 1,720 = 30.2326; Eleni half time: 60,200 ÷ 860 = 70.
    assert "€52,000.00 1 1,720 h 30.2326 / hour 43.5 h €1,315.12" in text
    assert "€60,200.00 0.5 860 h 70.0000 / hour 21 h €1,470.00" in text


def test_names_and_cities_outside_latin_1_render(world, django_capture_on_commit_callbacks):
    report = request_report(world, django_capture_on_commit_callbacks)
    text = pdf_text(report.pdf)
    assert GREEK_NAME in text
    assert "Gdańsk" in text
    assert f"Signed by {GREEK_NAME} on" in text


def test_csv_and_xlsx_hold_the_person_months_and_totals(world, django_capture_on_commit_callbacks):
    report = request_report(world, django_capture_on_commit_callbacks)
    sections = csv_sections(report.csv)
    header, *rows = sections["Person-months"]
    assert header[:3] == ["City", "Person", "Month"]
    people = [(row[0], row[1], row[2]) for row in rows[:-1]]
    assert people == [
        ("Gdańsk", GREEK_NAME, "2017-01"),
        ("Ghent", "Carl Colleague", "2017-01"),
        ("Ghent", "Olga Officer", "2017-01"),
        ("Ghent", "Olga Officer", "2017-02"),
    ]
    olga_jan = rows[2]
    assert Decimal(olga_jan[3]) == Decimal("43.5")
    sheet = TimesheetMonth.objects.get(person=world.officer, month=date(2017, 1, 1))
    stored_rate = sheet.exact_rate  # from the annual costs and share frozen on approval
    assert (olga_jan[7], olga_jan[8]) == ("EUR", "")  # costs in the programme's currency
    assert Decimal(olga_jan[10]) == stored_rate == Decimal(52000) / Decimal(1720)
    assert Decimal(olga_jan[10]).quantize(Decimal("0.0001")) == Decimal("30.2326")
    assert Decimal(olga_jan[11]) == stored_rate * Decimal("43.5")
    assert Decimal(olga_jan[12]) == Decimal("1315.12")
    # Open months are listed, not counted; spreadsheet formulas are neutralised.
    not_counted = sections["Months not counted"][1:]
    assert ["Olga Officer", "Ghent", "2017-03", "Submitted"] in not_counted
    assert ["Carl Colleague", "Ghent", "2017-02", "Open"] in not_counted
    days = sections["Day by day"][1:]
    assert any(row[6] == "'=Agenda for the Rotterdam visit" for row in days)
    assert sum(Decimal(row[5]) for row in days) == database_figures(world.programme)["hours"]

    book = workbook(report.xlsx)
    assert book.sheetnames == [
        "Staff-cost report",
        "Person-months",
        "Totals by activity",
        "Totals by month",
        "Totals by city",
        "Co-financing",
        "Months not counted",
        "Day by day",
    ]
    sheet = book["Person-months"]
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert values[2][:3] == ("Ghent", "Olga Officer", "2017-01")
    assert isinstance(values[2][3], int | float)
    assert values[2][3] == 43.5
    assert isinstance(values[2][10], float)
    assert abs(values[2][10] - 52000 / 1720) < 1e-9
    # The cost shown is a number cell whose format names the programme's currency.
    cost_cell = list(sheet.iter_rows(min_row=4, max_row=4))[0][12]
    assert (cost_cell.value, cost_cell.number_format) == (1315.12, '#,##0.00 "EUR"')
    by_city = rows_by_label(book["Totals by city"])
    assert by_city["Gdańsk"][0] == 21
    open_sheet = list(book["Months not counted"].iter_rows(min_row=2, values_only=True))
    assert sorted(open_sheet) == sorted(tuple(row) for row in not_counted)
    assert by_city["Gdańsk"][2] == 30
    assert by_city["Ghent"][1] == 13.0  # days used: 104.5 hours ÷ 8 = 13.06, to the half-day
    assert any(
        row[6] == "'=Agenda for the Rotterdam visit"
        for row in book["Day by day"].iter_rows(min_row=2, values_only=True)
    )


def test_every_format_shows_the_databases_figures(world, django_capture_on_commit_callbacks):
    """Total hours and the co-financing split in PDF, CSV and XLSX equal the figures computed
    straight from the approved months in the database."""
    report = request_report(world, django_capture_on_commit_callbacks)
    expected = database_figures(world.programme)
    assert expected["hours"] == Decimal("125.5")  # 43.5 + 27.5 + 33.5 + 21 approved
    assert TimeEntry.objects.filter(programme=world.programme).aggregate(t=Sum("hours"))[
        "t"
    ] == Decimal("145.5"), "open and submitted months hold 20 hours that must not count"

    text = pdf_text(report.pdf)
    summary = text.split("Summary", 1)[1]
    assert f"Approved hours {expected['hours'].normalize()}" in summary
    for key in SPLIT_LABELS:
        assert shown(expected[key]) in summary, key

    sections = csv_sections(report.csv)
    assert split_from_csv(sections) == {k: expected[k] for k in SPLIT_LABELS}
    person_total = sections["Person-months"][-1]
    assert person_total[0] == "Total"
    assert Decimal(person_total[3]) == expected["hours"]
    assert Decimal(person_total[12]) == expected["direct"]

    book = workbook(report.xlsx)
    assert split_from_xlsx(book) == {k: expected[k] for k in SPLIT_LABELS}
    xlsx_total = list(book["Person-months"].iter_rows(values_only=True))[-1]
    assert Decimal(str(xlsx_total[3])) == expected["hours"]
    by_activity = rows_by_label(book["Totals by activity"])
    assert sum(Decimal(str(hours)) for hours, _days in by_activity.values()) == expected["hours"]


def test_one_citys_report_holds_only_that_city(world, django_capture_on_commit_callbacks):
    report = request_report(
        world, django_capture_on_commit_callbacks, city=world.city, by=world.supervisor
    )
    expected = database_figures(world.programme, city=world.city)
    assert split_from_csv(csv_sections(report.csv)) == {k: expected[k] for k in SPLIT_LABELS}
    text = pdf_text(report.pdf)
    assert GREEK_NAME not in text
    assert "Olga Officer" in text


def _worked_example_world():
    world = build_time_world(funder="AMIF")
    finance = CityOfficerFactory(city=world.city, user__full_name="Fay Finance").user
    month = date(2017, 3, 1)
    for person, annual, hours in [
        (world.officer, "52000", 120),
        (world.colleague, "41280", 200),
        (finance, "60200", 30),
    ]:
        rate(world, person, 2017, annual)
        fill(world, person, month, hours, per_day=10 if hours >= 100 else 6)
        approved_month(world, person, month)
    return world


def test_the_worked_example_of_the_domain_to_the_cent(django_capture_on_commit_callbacks):
    world = _worked_example_world()
    report = request_report(
        world,
        django_capture_on_commit_callbacks,
        city=world.city,
        first_month=date(2017, 3, 1),
        last_month=date(2017, 3, 1),
    )
    expected = {
        "direct": Decimal("9477.91"),
        "indirect": Decimal("663.45"),
        "total": Decimal("10141.36"),
        "eu_share": Decimal("9127.22"),
        "own_contribution": Decimal("1014.14"),
    }
    assert split_from_csv(csv_sections(report.csv)) == expected
    assert split_from_xlsx(workbook(report.xlsx)) == expected
    text = pdf_text(report.pdf)
    for amount in ["9,477.91", "663.45", "10,141.36", "9,127.22", "1,014.14", "3,627.91"]:
        assert amount in text
    assert "3,627.60" not in text  # never the rate rounded first
    assert "Indirect costs, flat rate of 7%" in text
    assert "Share of AMIF, 90%" in text  # the programme's funder, not the EU whoever funds it
    assert "120 hours × 30.2326 = €3,627.91" in text


def test_the_daily_model_prices_day_equivalents(django_capture_on_commit_callbacks):
    """DOMAIN.md's check: 52,000 ÷ 215 = 241.8605 a day × 15 days = 3,627.91."""
    world = build_time_world(cost_model="daily")
    rate(world, world.officer, 2017, "52000")
    fill(world, world.officer, date(2017, 3, 1), 120, per_day=10)
    approved_month(world, world.officer, date(2017, 3, 1))
    report = request_report(
        world,
        django_capture_on_commit_callbacks,
        city=world.city,
        first_month=date(2017, 3, 1),
        last_month=date(2017, 3, 1),
    )
    text = pdf_text(report.pdf)
    assert "Daily rate = annual personnel costs ÷ (215 × working-time share)" in text
    assert "€52,000.00 1 215 d 241.8605 / day 15.0 d €3,627.91" in text
    assert "15.0 day-equivalents × 241.8605 = €3,627.91" in text
    row = csv_sections(report.csv)["Person-months"][1]
    assert (row[3], row[4], row[5]) == ("120.0", "15.0", "daily")
    assert Decimal(row[12]) == Decimal("3627.91")


def test_the_pdf_speaks_the_reports_language(world, django_capture_on_commit_callbacks):
    report = request_report(world, django_capture_on_commit_callbacks, language="de")
    assert report.status == "done"
    text = pdf_text(report.pdf)
    assert "Januar 2017" in text  # month names from Django's German locale
    assert shown(database_figures(world.programme)["direct"]).replace(",", ".")[:-3] in text


def test_a_report_of_a_period_without_approved_months(world, django_capture_on_commit_callbacks):
    report = request_report(
        world,
        django_capture_on_commit_callbacks,
        first_month=date(2018, 1, 1),
        last_month=date(2018, 3, 1),
    )
    assert report.status == "done"
    assert "No month in this period is approved yet." in pdf_text(report.pdf)
    assert split_from_csv(csv_sections(report.csv))["total"] == Decimal("0.00")


# Failures, retries, redelivery ----------------------------------------------------------------


def test_a_failing_build_is_recorded_without_files_and_can_be_retried(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the PDF renderer is out of paper")

    # A city's report and an all-cities report (laid out in pieces) alike.
    monkeypatch.setattr("reporting.reports.render_pdf", broken)
    monkeypatch.setattr("reporting.reports.render_pdf_in_pieces", broken)
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "failed"
    assert "the PDF renderer is out of paper" in report.error
    assert (report.pdf, report.csv, report.xlsx) == (None, None, None)
    assert report.finished_at is not None
    assert StoredFile.objects.count() == 0, "nothing is stored before every file is ready"

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report, by=fresh(world.coordinator))
    report.refresh_from_db()
    assert report.status == "done"
    assert report.error == ""
    assert report.attempts == 2
    assert report.pdf
    assert report.csv
    assert report.xlsx


def test_a_layout_process_that_dies_fails_the_report_with_the_reason_and_a_retry_builds_it(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """An all-cities report whose layout process dies (killed for its memory, say) fails with
    the reason, keeps no file, and is built by a retry (documents/pdf_processes.py)."""
    import sys

    from documents import pdf_processes

    monkeypatch.setattr(
        pdf_processes._Child,
        "command",
        (sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(9)"),
    )
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "failed"
    assert "stopped before it finished (exit status 9)" in report.error
    assert (report.pdf, report.csv, report.xlsx) == (None, None, None)
    assert StoredFile.objects.count() == 0

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report, by=fresh(world.coordinator))
    report.refresh_from_db()
    assert report.status == "done"
    assert report.pdf


def test_a_missing_template_fails_the_report(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("reporting.reports.PERSON_TEMPLATE", "reporting/pdf/no-such-part.html")
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "failed"
    assert "no-such-part.html" in report.error
    assert report.pdf is None


def test_progress_is_reported_in_steps(world, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    reporter = jobs.progress_reporter

    def recording(job):
        write = reporter(job)

        def report(percent, note=""):
            seen.append((percent, note))
            write(percent, note)

        return report

    monkeypatch.setattr(jobs, "progress_reporter", recording)
    report = request_report(world, django_capture_on_commit_callbacks)
    assert report.status == "done"
    percents = [percent for percent, _note in seen]
    assert percents == sorted(percents)
    assert 10 in percents
    assert 90 in percents
    assert any("Timesheets" in note for _percent, note in seen)


def test_a_redelivered_task_of_a_done_report_does_nothing(
    world, django_capture_on_commit_callbacks
):
    report = request_report(world, django_capture_on_commit_callbacks)
    files = (report.pdf_id, report.csv_id, report.xlsx_id)
    stored = StoredFile.objects.count()
    assert jobs.start(StaffCostReport, report.pk) is None
    build_staff_cost_report(report.pk)
    report.refresh_from_db()
    assert (report.pdf_id, report.csv_id, report.xlsx_id) == files
    assert report.attempts == 1
    assert StoredFile.objects.count() == stored


def test_a_rerun_after_a_crash_starts_over_with_new_files(
    world, django_capture_on_commit_callbacks
):
    report = request_report(world, django_capture_on_commit_callbacks)
    old = report.pdf_id
    # The message comes back for a report running under a live lease: nothing happens.
    StaffCostReport.objects.filter(pk=report.pk).update(
        status="running", progress=40, heartbeat_at=timezone.now()
    )
    build_staff_cost_report(report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.pdf_id) == ("running", 1, old)
    # As if the worker died after starting: its lease expires, the message runs it again.
    StaffCostReport.objects.filter(pk=report.pk).update(
        heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    build_staff_cost_report(report.pk)
    report.refresh_from_db()
    assert report.status == "done"
    assert report.pdf_id != old
    assert report.attempts == 2


def test_a_city_report_prints_the_day_by_day_timesheets(world, django_capture_on_commit_callbacks):
    report = request_report(world, django_capture_on_commit_callbacks, city=world.city)
    text = pdf_text(report.pdf)
    # Descriptions, neutralised only in the spreadsheets, read as typed in the PDF.
    assert "=Agenda for the Rotterdam visit" in text
    assert "The day-by-day timesheets are in the CSV and Excel files" not in " ".join(text.split())
    assert "Signed by Olga Officer on" in text


def test_the_service_refuses_a_period_outside_the_programme(world):
    from django.core.exceptions import ValidationError

    from reporting.services import report_request

    with pytest.raises(ValidationError) as refused:
        report_request(
            programme=world.programme,
            city=world.city,
            first_month=date(2016, 1, 1),
            last_month=date(2017, 12, 1),
            by=fresh(world.coordinator),
        )
    assert refused.value.message_dict == {
        "first_month": [f"{world.programme.name} runs from October 2016 to September 2018."]
    }
    assert not StaffCostReport.objects.exists()


def test_the_service_holds_the_scope_rules_with_the_forms_messages(world):
    from django.core.exceptions import ValidationError

    from tests.cities.factories import CityFactory

    def refused(**changes) -> dict[str, list[str]]:
        arguments = {"programme": world.programme, "city": world.city, "by": world.supervisor}
        with pytest.raises(ValidationError) as caught:
            services.report_request(**(arguments | changes))
        return caught.value.message_dict

    assert refused(city=None) == {
        "city": ["Only coordinators ask for every city; choose a city you supervise."]
    }
    assert refused(city=world.other_city) == {
        "city": ["You may ask for the cities you supervise only."]
    }
    stranger = CityFactory(name="Utrecht")
    assert refused(city=stranger, by=world.coordinator) == {
        "city": [f"Utrecht does not take part in {world.programme.name}."]
    }
    assert refused(first_month=date(2017, 6, 1), last_month=date(2017, 2, 1)) == {
        "last_month": ["The period must end after it starts."]
    }
    assert not StaffCostReport.objects.exists()


def test_the_service_takes_empty_months_as_the_whole_programme(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(
            programme=world.programme, city=world.city, by=fresh(world.supervisor)
        )
    assert (report.first_month, report.last_month) == (date(2016, 10, 1), date(2018, 9, 1))


def test_a_korean_city_and_chinese_descriptions_print_with_their_glyphs(
    world, django_capture_on_commit_callbacks
):
    """Issue 15: Korean printed as empty boxes. A city written in Hangul, a person's name in
    Hangul and day descriptions in traditional Chinese extract back from the city's report,
    every glyph drawn by an embedded font."""
    from cities.services import city_save
    from tests.pdf_glyphs import assert_every_glyph_drawn, fonts_drawing

    seoul = world.other_city
    seoul.name, seoul.country = "서울", "KR"
    city_save(city=seoul)
    User.objects.filter(pk=world.other_officer.pk).update(full_name="김민준")
    fill(world, world.other_officer, date(2017, 2, 1), 14, per_day=7, description="臺北市政府 협의")
    approved_month(world, world.other_officer, date(2017, 2, 1))

    report = request_report(world, django_capture_on_commit_callbacks, city=seoul)
    assert report.status == "done", report.error
    with report.pdf.file.open("rb") as handle:
        content = handle.read()
    text = assert_every_glyph_drawn(content, "서울", "김민준", "臺北市政府 협의")
    assert "Signed by 김민준 on" in text
    assert fonts_drawing(content, "臺北市政府") <= {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}


# Approved months laid out once (issue 19) ---------------------------------------------------------


def counted_parts(monkeypatch, module) -> list[str]:
    """The HTML of each part ``module`` lays out apart (``render_part``), in order."""
    made = []
    lay_out = module.render_part

    def counting(html):
        made.append(html)
        return lay_out(html)

    monkeypatch.setattr(module, "render_part", counting)
    return made


@pytest.fixture
def layouts(monkeypatch):
    """Counts the months laid out (WeasyPrint runs for a timesheet), by sheet."""
    from reporting import timesheet_pdfs

    return counted_parts(monkeypatch, timesheet_pdfs)


def pdf_bytes(stored: StoredFile) -> bytes:
    with stored.file.open("rb") as handle:
        return handle.read()


def test_a_city_report_is_one_tagged_pdf_over_every_page(world, django_capture_on_commit_callbacks):
    """The months laid out apart and the report's own pages make one PDF/UA-1 document: every
    page's marked content is reached from the structure tree through the ParentTree by elements
    on that page, text extracts, and the running header and page numbers run 1..N over all."""
    from tests.pdf_structure import check_structure

    report = request_report(world, django_capture_on_commit_callbacks, city=world.city)
    content = pdf_bytes(report.pdf)
    counted = check_structure(content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    total = len(pages)
    assert counted["pages"] == total
    title = f"Staff-cost report · {world.programme.name}"
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {total}" in text, number
        assert title in text, number
        assert "2017-01 – 2017-12" in text, number
    # Each approved month of Ghent on a page of its own, the city named in its header.
    months = [
        ("Olga Officer", "January 2017"),
        ("Olga Officer", "February 2017"),
        ("Carl Colleague", "January 2017"),
    ]
    for person, month in months:
        [page] = [text for text in pages if f"Total of {month}" in text and person in text]
        assert page.startswith(f"Timesheets of {person}, Ghent\n{month}"), page[:80]
        assert "Ghent" in page.split(f"Total of {month}")[1]  # the running header
    assert f"Signed by {GREEK_NAME}" not in "".join(pages)
    # Bookmarks: each month under its city, pointing at its page.
    import pikepdf

    with pikepdf.open(io.BytesIO(content)) as pdf, pdf.open_outline() as outline:
        numbers = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        [ghent] = [item for item in outline.root[0].children if item.title == "Ghent"]
        marks = [(item.title, [child.title for child in item.children]) for item in ghent.children]
        assert marks == [
            ("Rates and costs", []),
            ("Timesheets of Carl Colleague, Ghent", ["January 2017"]),
            ("Timesheets of Olga Officer, Ghent", ["January 2017"]),
            ("Timesheets of Olga Officer, Ghent", ["February 2017"]),
        ]
        for item in ghent.children[1:]:
            page = pages[numbers[item.destination[0].objgen] - 1]
            assert page.startswith(item.title), item.title


def test_the_all_cities_report_is_tagged_over_every_page(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """Each city is laid out apart (WeasyPrint holds one city's boxes at a time, not every
    city's) and the result is one tagged document whose running header names the city over its
    pages and whose page numbers run over all; the cities are bookmarks under the report."""
    import pikepdf

    from documents.pdf_processes import LayoutProcesses
    from tests.pdf_structure import check_structure

    laid_out = []
    submit = LayoutProcesses.submit

    def counting(self, html, path, *, part=True):
        if path.name.startswith("city-"):
            laid_out.append(html)
        return submit(self, html, path, part=part)

    monkeypatch.setattr(LayoutProcesses, "submit", counting)
    report = request_report(world, django_capture_on_commit_callbacks)
    assert [("Gdańsk" in html, "Ghent" in html) for html in laid_out] == [
        (True, False),
        (False, True),
    ], "one layout per city, in the report's order"
    content = pdf_bytes(report.pdf)
    counted = check_structure(content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    total = len(pages)
    assert counted["pages"] == total
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {total}" in text, number
    for city in ("Gdańsk", "Ghent"):
        [first] = [n for n, text in enumerate(pages) if text.startswith(f"{city}\nDays used")]
        header = f"Staff-cost report · {world.programme.name} {city}\n"
        assert header in pages[first], "the running header names the city, not Summary"
    with pikepdf.open(io.BytesIO(content)) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root[0].children]
    assert titles[-3:] == ["Gdańsk", "Ghent", "Totals"] or titles[-2:] == ["Gdańsk", "Ghent"]


def test_every_city_has_its_section_and_its_months_not_counted(
    world, django_capture_on_commit_callbacks
):
    """Two cities of one name stay two sections (their people's names interleave), and a city
    with months not counted but none approved gets a section that lists them."""
    from tests.accounts.factories import CitySupervisorFactory
    from tests.cities.factories import CityFactory
    from tests.mentoring.factories import ParticipationFactory

    def city(name, country, people):
        place = CityFactory(name=name, country=country)
        ParticipationFactory(programme=world.programme, city=place)
        supervisor = CitySupervisorFactory(city=place).user
        officers = [CityOfficerFactory(city=place, user__full_name=p).user for p in people]
        for officer in officers:
            rate(world, officer, 2017, "48000", city=place)
            fill(world, officer, date(2017, 1, 1), 16, city=place)
        return place, supervisor, officers

    def approve(place, supervisor, person):
        sheet = TimesheetMonth.objects.get(person=person, city=place, month=date(2017, 1, 1))
        services.month_submit(sheet, by=fresh(person))
        services.month_approve(sheet, by=fresh(supervisor))

    spain, spain_supervisor, (ana, zoe) = city("Valencia", "ES", ["Ana Alba", "Zoe Zorrilla"])
    venezuela, venezuela_supervisor, (bea,) = city("Valencia", "VE", ["Bea Blanco"])
    aarhus, _aarhus_supervisor, (aske,) = city("Aarhus", "DK", ["Aske Andersen"])
    for place, supervisor, person in (
        (spain, spain_supervisor, ana),
        (spain, spain_supervisor, zoe),
        (venezuela, venezuela_supervisor, bea),
    ):
        approve(place, supervisor, person)

    report = request_report(world, django_capture_on_commit_callbacks)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(report.pdf))).pages]
    text = "\n".join(pages)
    head = text.split("Months not counted", 1)[1].split("Summary", 1)[0]
    assert "Aarhus 1" in head
    assert "Ghent 2" in head
    assert "Total 3" in head
    _before, spanish, venezuelan = text.split("Valencia\nDays used")
    venezuelan = venezuelan.split("\nTotals\n", 1)[0]
    if "Bea Blanco" in spanish:
        spanish, venezuelan = venezuelan, spanish
    assert "Ana Alba" in spanish
    assert "Zoe Zorrilla" in spanish
    assert "Bea Blanco" not in spanish
    assert "Bea Blanco" in venezuelan
    assert "Ana Alba" not in venezuelan
    [aarhus_page] = [page for page in pages if "No month of this city is approved" in page]
    assert aarhus_page.startswith("Aarhus\n")
    assert "Aske Andersen January 2017 Open" in aarhus_page
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes(report.pdf))) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root[0].children]
    assert titles[titles.index("Aarhus") :] == [
        "Aarhus",
        "Gdańsk",
        "Ghent",
        "Valencia",
        "Valencia",
        "Totals",
    ]


def test_a_second_report_reuses_the_months_laid_out(
    world, django_capture_on_commit_callbacks, layouts
):
    from reporting.models import TimesheetPdf

    first = request_report(world, django_capture_on_commit_callbacks, city=world.city)
    assert len(layouts) == 3, "Ghent's three approved months, laid out once each"
    assert TimesheetPdf.objects.count() == 3
    second = request_report(
        world, django_capture_on_commit_callbacks, city=world.city, by=world.supervisor
    )
    assert second.pk != first.pk
    assert len(layouts) == 3, "nothing laid out again"
    assert TimesheetPdf.objects.count() == 3
    assert pdf_text(second.pdf).count("Total of January 2017") == pdf_text(first.pdf).count(
        "Total of January 2017"
    )
    # Another language is another layout.
    request_report(world, django_capture_on_commit_callbacks, city=world.city, language="de")
    assert len(layouts) == 6


def test_approving_a_month_lays_it_out_for_the_reports(
    world, django_capture_on_commit_callbacks, layouts
):
    from reporting.models import TimesheetPdf

    fill(world, world.colleague, date(2017, 4, 1), 16)
    with django_capture_on_commit_callbacks(execute=True):
        sheet = approved_month(world, world.colleague, date(2017, 4, 1))
    [made] = TimesheetPdf.objects.filter(sheet=sheet)
    assert (made.language, made.approved_at) == ("en", sheet.approved_at)
    assert len(layouts) == 1
    report = request_report(
        world,
        django_capture_on_commit_callbacks,
        city=world.city,
        first_month=date(2017, 4, 1),
        last_month=date(2017, 4, 1),
    )
    assert len(layouts) == 1, "the report used the month laid out on approval"
    assert "Total of April 2017" in pdf_text(report.pdf)


def test_a_reopened_month_is_laid_out_again_once_approved_again(
    world, django_capture_on_commit_callbacks, layouts
):
    from reporting.models import TimesheetPdf

    request_report(world, django_capture_on_commit_callbacks, city=world.city)
    sheet = TimesheetMonth.objects.get(person=world.officer, month=date(2017, 2, 1))
    [old] = TimesheetPdf.objects.filter(sheet=sheet)
    old_file = old.file.file.name
    storage = old.file.file.storage
    assert storage.exists(old_file)
    with django_capture_on_commit_callbacks(execute=True):
        services.month_reopen(sheet, by=fresh(world.coordinator), reason="Wrong project")
    assert not TimesheetPdf.objects.filter(sheet=sheet).exists()
    assert not storage.exists(old_file), "the old page's file is gone"
    record(world, world.officer, date(2017, 2, 27), 2, activity="follow_up")
    approved_month(world, world.officer, date(2017, 2, 1))
    layouts.clear()
    report = request_report(world, django_capture_on_commit_callbacks, city=world.city)
    assert len(layouts) == 1, "only the reopened month is laid out again"
    [new] = TimesheetPdf.objects.filter(sheet=sheet)
    assert new.digest != old.digest
    assert new.approved_at > old.approved_at
    assert "Total of February 2017 29.5" in pdf_text(report.pdf)


def test_erasing_a_person_removes_the_layouts_that_show_their_name(
    world, django_capture_on_commit_callbacks
):
    from accounts.privacy import erase_person
    from reporting.models import TimesheetPdf

    request_report(world, django_capture_on_commit_callbacks, city=world.city)
    request_report(world, django_capture_on_commit_callbacks, city=world.other_city)
    assert TimesheetPdf.objects.filter(sheet__person=world.officer).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(fresh(world.officer), by=fresh(world.coordinator))
    assert not TimesheetPdf.objects.filter(sheet__person=world.officer).exists()
    assert TimesheetPdf.objects.filter(sheet__person=world.colleague).exists()
    # A supervisor's name is on the months they approved.
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(fresh(world.supervisor), by=fresh(world.coordinator))
    assert list(TimesheetPdf.objects.values_list("sheet__person", flat=True)) == [
        world.other_officer.pk
    ]
    report = request_report(world, django_capture_on_commit_callbacks, city=world.city)
    assert "Olga Officer" not in pdf_text(report.pdf)


def test_the_command_lays_out_the_approved_months_not_laid_out_yet(
    world, django_capture_on_commit_callbacks, layouts
):
    """After an upgrade, or data loaded without the services: the months the world approved
    in a way that laid nothing out are laid out by the command, once."""
    from django.core.management import call_command

    from reporting.models import TimesheetPdf

    approved = TimesheetMonth.objects.filter(status="approved")
    assert approved.exists()
    assert not TimesheetPdf.objects.exists()
    call_command("lay_out_timesheets", verbosity=0)
    assert set(TimesheetPdf.objects.values_list("sheet_id", flat=True)) == set(
        approved.values_list("pk", flat=True)
    )
    made = len(layouts)
    call_command("lay_out_timesheets", verbosity=0)
    assert len(layouts) == made, "nothing laid out twice"
    request_report(world, django_capture_on_commit_callbacks, city=world.city)
    assert len(layouts) == made, "the report reuses them"


@pytest.mark.parametrize(
    ("funder", "label"),
    [
        ("AMIF", "Share of AMIF"),
        ("Lotto Foundation", "Share of Lotto Foundation"),
        ("", "Funder's share"),
    ],
)
def test_the_funders_share_is_named_after_the_programmes_funder(funder, label):
    from mentoring.models import Programme
    from reporting.reports import share_label

    assert share_label(Programme(funder=funder)) == label
