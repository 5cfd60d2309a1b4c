"""The staff-cost report: the PDF an auditor reads and the CSV and XLSX with the same figures.

``produce_report`` is what the Celery task runs (through ``documents.jobs.run``). The totals
come from ``selectors.staff_cost_summary`` (priced in the database from the figures frozen on
approved months); the priced person-months are streamed from ``selectors.person_months``, and
the day-by-day lines are fetched one person at a time and written to the PDF parts and the
CSV/XLSX as they come. The job runner stores the three files first and attaches
them to the report together, in one transaction, at the very end: a build that dies half-way
leaves the report without files, and running it again starts over.

Times in the files (signatures, "generated at") are in one zone per report, named in it: a
city's report in the city's zone, where its people signed and where its days are days; a report
of all cities in the server's zone (settings.TIME_ZONE, the coordinating network's). The report
reads the same whoever downloads it, wherever they are. CSV and XLSX write moments in ISO 8601
with the offset.
"""

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from contextlib import ExitStack, suppress
from datetime import date, tzinfo
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from tempfile import TemporaryDirectory, TemporaryFile
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config import clock
from config.slugs import slug_from
from documents import jobs
from documents.exports import XLSX_TYPE, CsvDocument, XlsxDocument
from documents.money import Money
from documents.pdf import (
    StoredPart,
    render_html,
    render_pdf,
    render_pdf_in_pieces,
    slots_html,
)
from documents.pdf_processes import LayoutProcesses

from . import selectors
from .costs import cents, days_used
from .models import StaffCostReport, TimesheetMonth
from .selectors import PersonMonth, ReportCity, StaffCostSummary
from .timesheet_pdfs import activity_labels, city_zone, plain, priced, timesheet_pdfs

PDF_TEMPLATE = "reporting/pdf/staff_cost_report.html"
CITY_TEMPLATE = "reporting/pdf/city.html"
# A city of an all-cities report, laid out apart: its figures and its people's months.
CITY_PART_TEMPLATE = "reporting/pdf/city_part.html"
PERSON_TEMPLATE = "reporting/pdf/person.html"
PDF_TYPE = "application/pdf"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"pdf": PDF_TYPE, "csv": CSV_TYPE, "xlsx": XLSX_TYPE}

Progress = jobs.Progress

# Where the steps sit on the progress bar.
FIGURES_DONE = 10
TIMESHEETS_DONE = 65
PDF_DONE = 85
STORING = 90


def report_filename(report: StaffCostReport, extension: str) -> str:
    """E.g. staff-costs_cities-grow_ghent_2017-01_2017-12.pdf (ASCII, for every browser)."""
    programme = slug_from(report.programme.slug) or f"programme-{report.programme_id}"
    if report.city_id:
        scope = slug_from(report.city.name) or report.city.slug
    else:
        scope = "all-cities"
    return (
        f"staff-costs_{programme}_{scope}_"
        f"{report.first_month:%Y-%m}_{report.last_month:%Y-%m}.{extension}"
    )


def report_zone(report: StaffCostReport) -> tzinfo:
    """The zone the report's times are written in (module docstring)."""
    return city_zone(report.city if report.city_id else None)


def produce_report(report: StaffCostReport, *, progress: Progress) -> jobs.Produced:
    """Build the PDF, CSV and XLSX of the report, for the job runner to store and attach."""
    with translation.override(report.language), timezone.override(report_zone(report)):
        progress(2, _("Adding up the approved months"))
        summary = selectors.staff_cost_summary(
            report.programme,
            city=report.city or None,
            first_month=report.first_month,
            last_month=report.last_month,
        )
        by_activity = selectors.hours_by_activity(**_period(summary))
        cities = selectors.report_cities(**_period(summary))
        # A city's report lists its months not counted up front; a report of every city counts
        # them per city there and lists each city's in its section, so that its first pages do
        # not grow with every open month of the programme.
        open_months = (
            list(selectors.months_not_counted(**_period(summary))) if report.city_id else []
        )
        progress(FIGURES_DONE, _("Figures ready"))
        generated_at = clock.now()
        tables = _Tables(
            report,
            summary,
            generated_at,
            by_activity=by_activity,
            open_months=open_months,
            cities=cities,
        )
        scratch = ExitStack()  # the all-cities report's parts and PDF, on disk until stored
        scratch.callback(tables.csv.close)
        scratch.callback(tables.xlsx.close)
        try:
            contents = _render(report, summary, tables, generated_at, progress, scratch)
        except BaseException:
            with suppress(Exception):  # the first error is the one to report
                scratch.close()
            raise
        progress(STORING, _("Storing the files"))
        return jobs.Produced(
            files={
                fmt: jobs.Output(content, report_filename(report, fmt), CONTENT_TYPES[fmt])
                for fmt, content in contents.items()
            },
            note=_("The PDF, CSV and Excel files are stored."),
            close=scratch.close,
        )


def _render(
    report: StaffCostReport,
    summary: StaffCostSummary,
    tables: "_Tables",
    generated_at,
    progress: Progress,
    scratch: ExitStack,
) -> dict[str, bytes | BinaryIO]:
    tables.write_figures()
    pdf: bytes | BinaryIO
    if report.city_id or not tables.cities:
        # A city's approved months' pages, laid out once (timesheet_pdfs); or, for a report
        # of every city when no city has a month in the period, the report's own pages alone.
        laid_out: list[bytes] = []
        parts = list(
            _timesheet_parts(summary, tables, progress, language=report.language, laid_out=laid_out)
        )
        progress(TIMESHEETS_DONE, _("Laying out the PDF"))
        pdf = render_pdf(
            PDF_TEMPLATE,
            _pdf_context(report, tables, parts),
            language=report.language,
            parts=laid_out,
        )
    else:
        # Every city laid out apart, by child processes side by side, into a file of the
        # scratch directory; then written one city at a time: the memory of the largest city,
        # whatever the number of cities (documents.pdf render_pdf_in_pieces).
        directory = Path(scratch.enter_context(TemporaryDirectory()))
        with LayoutProcesses() as layout:
            cities = _city_parts(
                summary,
                tables,
                progress,
                layout=layout,
                directory=directory,
                language=report.language,
            )
            progress(TIMESHEETS_DONE, _("Laying out the PDF"))
            pdf = scratch.enter_context(TemporaryFile(dir=directory))
            render_pdf_in_pieces(
                PDF_TEMPLATE,
                _pdf_context(report, tables, []),
                pdf,
                parts=cities,
                running_title=running_title(report),
                layout=layout,
                language=report.language,
                progress=_assembling(progress, len(cities)),
            )
    progress(PDF_DONE, _("Writing the CSV and Excel files"))
    return {"pdf": pdf, "csv": tables.csv.file(), "xlsx": tables.xlsx.file()}


# The PDF ----------------------------------------------------------------------------------------


def running_title(report: StaffCostReport) -> str:
    """The PDF's title as its first heading and its running header say it."""
    return f"{_('Staff-cost report')} · {report.programme.name}"


def _assembling(progress: Progress, cities: int):
    """Progress while the cities' pages are put in the PDF, from TIMESHEETS_DONE to PDF_DONE."""
    shown = [TIMESHEETS_DONE]

    def report_progress(done: int, total: int) -> None:
        percent = TIMESHEETS_DONE + (PDF_DONE - TIMESHEETS_DONE) * done // max(total, 1)
        if percent > shown[0]:
            shown[0] = percent
            progress(
                percent,
                _("Putting the cities in the PDF: %(done)s of %(total)s")
                % {"done": done, "total": cities},
            )

    return report_progress


def share_label(programme) -> str:
    """The funder's part of the co-financing, named after the programme's funder ("Share of
    AMIF"), or "Funder's share" when none is named: a programme is not always funded by the EU."""
    if programme.funder:
        return _("Share of %(funder)s") % {"funder": programme.funder}
    return _("Funder's share")


def _percent(share: Decimal) -> str:
    """0.07 → "7", 0.075 → "7.5" (localised)."""
    return plain(share * 100)


def _scope(report: StaffCostReport) -> str:
    return report.city.name if report.city_id else _("All cities of the programme")


def _figures_context(summary: StaffCostSummary) -> dict:
    """The programme's currency and cost-model figures, as every part of the PDF states them."""
    figures = summary.figures
    return {
        "currency": summary.currency,
        "hours_per_day": plain(figures.hours_per_day),
        "productive_hours": plain(figures.productive_hours_per_year),
        "working_days": plain(figures.working_days_per_year),
    }


def _pdf_context(report, tables: "_Tables", parts: list[str]) -> dict:
    summary = tables.summary
    split = summary.split
    return _figures_context(summary) | {
        "report": report,
        "programme": report.programme,
        "summary": summary,
        "by_activity": tables.by_activity,
        "open_months": tables.open_months,
        "not_counted_cities": [c for c in tables.cities if c.not_counted],
        "not_counted_total": sum(c.not_counted for c in tables.cities),
        "scope": _scope(report),
        "generated_at": tables.generated_at,
        "zone": clock.zone_name(),
        "requested_by": report.requested_by,
        "split": split,
        "indirect_percent": _percent(split.indirect_rate),
        "reimbursement_percent": _percent(split.reimbursement_rate),
        "own_percent": _percent(split.own_contribution_rate),
        "eu_share_capped": split.eu_share_capped,
        "share_label": share_label(report.programme),
        "parts": parts,
    }


def _period(summary: StaffCostSummary) -> dict:
    """The programme, city and months of the summary, as the selectors take them."""
    return {
        "programme": summary.programme,
        "city": summary.city,
        "first_month": summary.first_month,
        "last_month": summary.last_month,
    }


def _by_key(rows: Iterable[PersonMonth], key) -> Iterator[tuple[object, list[PersonMonth]]]:
    for value, group in groupby(rows, key=key):
        yield value, list(group)


def _timesheet_parts(
    summary: StaffCostSummary,
    tables: "_Tables",
    progress: Progress,
    *,
    language: str,
    laid_out: list[bytes],
) -> Iterator[str]:
    """A city's report: its pages per person, in order.

    Each approved month is printed day by day on pages of its own, laid out once and kept
    (timesheet_pdfs): the HTML leaves their pages empty, and ``laid_out`` collects them, in
    order, for render_pdf to put in place."""
    for _place, city, people in _cities(summary, tables, progress, with_rows_only=True):
        yield render_to_string(CITY_TEMPLATE, city)
        for rows, lines in people:
            pages = timesheet_pdfs(
                [(row, lines.get(row.sheet_id, [])) for row in rows],
                currency=summary.currency,
                language=language,
            )
            laid_out.extend(content for content, _pages in pages)
            yield slots_html(sum(count for _content, count in pages))


def _city_parts(
    summary: StaffCostSummary,
    tables: "_Tables",
    progress: Progress,
    *,
    layout: LayoutProcesses,
    directory: Path,
    language: str,
) -> list[StoredPart]:
    """An all-cities report: each city's pages, laid out apart as a part of its own
    (CITY_PART_TEMPLATE) by ``layout``'s processes into a file of ``directory``, for
    render_pdf_in_pieces to write the PDF one city at a time. So no process holds more than a
    few cities: the memory grows with the largest city, not with the programme.

    The day lines are left out of this PDF (months keep their totals, costs and signatures, one
    after the other): with them, 16 cities' two years made 1,130 pages, 6 minutes and 4 GB in
    WeasyPrint (bench/RESULTS.md). Each city's own report prints them. Each city's section lists
    its months not counted (see produce_report)."""
    pending: list[tuple[ReportCity, Path, Future[int]]] = []
    for place, city, people in _cities(summary, tables, progress, with_rows_only=False):
        listed = [
            {"person": rows[0].person, "city": rows[0].city, "months": [priced(r) for r in rows]}
            for rows, _lines in people
        ]
        open_months = (
            list(selectors.months_not_counted(**_period(summary) | {"city": place.city_id}))
            if place.not_counted
            else []
        )
        html = render_html(
            CITY_PART_TEMPLATE,
            city
            | {"people": listed, "person_template": PERSON_TEMPLATE, "open_months": open_months},
            language=language,
        )
        path = directory / f"city-{place.city_id}.pdf"
        pending.append((place, path, layout.submit(html, path)))
    return [
        StoredPart(path, future.result(), section=place.name) for place, path, future in pending
    ]


def _cities(
    summary: StaffCostSummary, tables: "_Tables", progress: Progress, *, with_rows_only: bool
) -> Iterator[tuple[ReportCity, dict, Iterator[tuple[list[PersonMonth], dict]]]]:
    """Each city of the report (those with approved months only, if ``with_rows_only``): its
    figures for the templates, and its people one by one, each as their months and their months'
    day lines. A person's day lines go to the CSV/XLSX as they are read, and the progress moves.

    The person-months are read one city at a time, and entries one person at a time: the
    database rows of one city's months and one person's entries are in memory at once."""
    labels = activity_labels()
    city_figures = {figures.city_id: figures for figures in summary.by_city}
    people_total = selectors.people_count(**_period(summary)) or 1
    done, shown = 0, FIGURES_DONE

    def people(city_rows: list[PersonMonth]) -> Iterator[tuple[list[PersonMonth], dict]]:
        nonlocal done, shown
        for _person_id, rows in _by_key(city_rows, key=lambda row: row.person_id):
            lines = selectors.timesheet_days([row.sheet_id for row in rows])
            for row in rows:
                tables.write_days(row, lines.get(row.sheet_id, []), labels)
            yield rows, lines
            done += 1
            percent = FIGURES_DONE + (TIMESHEETS_DONE - FIGURES_DONE) * done // people_total
            if percent > shown:
                shown = percent
                progress(
                    percent,
                    _("Timesheets: %(done)s of %(total)s people")
                    % {"done": done, "total": people_total},
                )

    for place in tables.cities:
        period = _period(summary) | {"city": place.city_id}
        city_rows = list(selectors.person_months(**period)) if place.approved else []
        if with_rows_only and not city_rows:
            continue  # a city's report without approved months says so after its head
        city = _figures_context(summary) | {
            "city": city_figures.get(place.city_id),
            "name": place.name,
            "priced": [priced(row) for row in city_rows],
            "uses_daily": any(row.is_daily for row in city_rows),
            "uses_hourly": any(not row.is_daily for row in city_rows),
            "converted": any(row.costs_currency for row in city_rows),
        }
        yield place, city, people(city_rows)


# CSV and XLSX -----------------------------------------------------------------------------------


def _month(value: date) -> str:
    return f"{value:%Y-%m}"


def _local(value) -> str:
    """ISO 8601 with the offset, in the report's zone: 2026-03-01T00:30:00+09:00."""
    return clock.iso_with_offset(value)


class _Tables:
    """The same figures as the PDF, as sections of one CSV file and sheets of one workbook.

    Amounts that are totals are rounded to the currency's minor unit, as the PDF shows them
    (XLSX cells are numbers formatted with the currency's code); the person-month rows also
    carry the rate and cost at full precision. Headers name the currency. Days used are the
    figure of ``costs.days_used``, as in the PDF and on the dashboards.
    """

    def __init__(
        self,
        report: StaffCostReport,
        summary: StaffCostSummary,
        generated_at,
        *,
        by_activity: list[tuple[str, str, Decimal]],
        open_months: list[TimesheetMonth],
        cities: list[ReportCity],
    ) -> None:
        self.report, self.summary, self.generated_at = report, summary, generated_at
        self.by_activity, self.open_months, self.cities = by_activity, open_months, cities
        self.csv = CsvDocument()
        self.xlsx = XlsxDocument()
        self._days_sheet = None

    def _both(self, title: str, headers: list[str], rows: list[list], widths=()) -> None:
        self.csv.section(title, headers)
        self.csv.rows(rows)
        self.xlsx.sheet(title, headers, widths=widths).rows(rows)

    def _money(self, amount: Decimal | None) -> Money | None:
        """A total as shown: rounded half-up to the currency's minor unit."""
        if amount is None:
            return None
        currency = self.summary.currency
        return Money(cents(amount, currency), currency)

    def write_figures(self) -> None:
        report, summary, split = self.report, self.summary, self.summary.split
        currency = summary.currency
        money = self._money
        about = [
            [_("Programme"), report.programme.name],
            [_("Funder"), report.programme.funder],
            [_("Grant reference"), report.programme.grant_reference],
            [_("Cities"), _scope(report)],
            [_("From month"), _month(report.first_month)],
            [_("To month"), _month(report.last_month)],
            [_("Generated at"), _local(self.generated_at)],
            [_("Time zone"), clock.zone_name()],
            [_("Requested by"), str(report.requested_by)],
            [_("Currency"), currency],
            [_("Hours per day-equivalent"), summary.figures.hours_per_day],
            [
                _("Note"),
                _("Only approved months count: signed by the person and by a supervisor."),
            ],
        ]
        self._both(_("Staff-cost report"), [], about, widths=(24, 60))

        headers = [
            _("City"),
            _("Person"),
            _("Month"),
            _("Hours"),
            _("Day-equivalents"),
            _("Cost model"),
            _("Annual personnel costs"),
            _("Currency of the annual costs"),
            _("Exchange rate"),
            _("Working-time share"),
            _("Rate (%(currency)s, full precision)") % {"currency": currency},
            _("Cost (%(currency)s, full precision)") % {"currency": currency},
            _("Cost (%(currency)s)") % {"currency": currency},
        ]
        title = _("Person-months")
        widths = (16, 24, 9, 8, 10, 9, 14, 10, 14, 10, 24, 24, 14)
        self.csv.section(title, headers)
        sheet = self.xlsx.sheet(title, headers, widths=widths)
        for row in selectors.person_months(**_period(summary)):
            values = [
                row.city,
                row.person,
                _month(row.month),
                row.hours,
                row.day_equivalents,
                row.cost_model,
                row.annual_costs,
                row.costs_currency or currency,
                row.exchange_rate,
                row.working_time_share,
                row.rate,
                row.cost,
                money(row.cost),
            ]
            self.csv.row(values)
            sheet.row(values)
        total = [
            _("Total"),
            "",
            "",
            summary.total_hours,
            summary.total_day_equivalents,
            "",
            None,
            "",
            None,
            None,
            None,
            split.direct,
            money(split.direct),
        ]
        self.csv.row(total)
        sheet.row(total)

        self._both(
            _("Totals by activity"),
            [_("Activity"), _("Hours"), _("Days used")],
            [
                [label, hours, days_used(hours, summary.figures)]
                for _value, label, hours in self.by_activity
            ],
            widths=(32, 10, 14),
        )
        self._both(
            _("Totals by month"),
            [_("Month"), _("Hours"), _("Cost (%(currency)s)") % {"currency": currency}],
            [[_month(month), hours, money(cost)] for month, hours, cost in summary.by_month],
            widths=(10, 10, 14),
        )
        self._both(
            _("Totals by city"),
            [
                _("City"),
                _("Hours"),
                _("Days used"),
                _("Allowance (days)"),
                _("Days left"),
                _("Cost (%(currency)s)") % {"currency": currency},
            ],
            [
                [c.city, c.hours, c.days, c.allowance_days, c.days_left, money(c.cost)]
                for c in summary.by_city
            ],
            widths=(20, 10, 10, 14, 10, 14),
        )
        self._both(
            _("Co-financing"),
            [_("Item"), _("Rate"), _("Amount (%(currency)s)") % {"currency": currency}],
            [
                [_("Direct staff costs"), None, money(split.direct)],
                [_("Indirect costs (flat rate)"), split.indirect_rate, money(split.indirect)],
                [_("Total eligible costs"), None, money(split.total)],
                [share_label(summary.programme), split.reimbursement_rate, money(split.eu_share)],
                [
                    _("Own contribution"),
                    split.own_contribution_rate,
                    money(split.own_contribution),
                ],
            ],
            widths=(30, 8, 16),
        )
        # Streamed: every open month of the programme, one row at a time into both files.
        title = _("Months not counted")
        headers = [_("Person"), _("City"), _("Month"), _("Status")]
        self.csv.section(title, headers)
        sheet = self.xlsx.sheet(title, headers, widths=(24, 16, 9, 24))
        for m in selectors.months_not_counted(**_period(summary)).iterator(
            chunk_size=selectors.ROWS_PER_FETCH
        ):
            values = [str(m.person), m.city.name, _month(m.month), str(m.get_status_display())]
            self.csv.row(values)
            sheet.row(values)
        headers = [
            _("City"),
            _("Person"),
            _("Month"),
            _("Day"),
            _("Activity"),
            _("Hours"),
            _("Description"),
        ]
        self.csv.section(_("Day by day"), headers)
        self._days_sheet = self.xlsx.sheet(
            _("Day by day"), headers, widths=(16, 24, 9, 11, 26, 8, 60)
        )

    def write_days(self, row: PersonMonth, lines: list[dict], labels: dict[str, str]) -> None:
        for line in lines:
            description = line["description"]
            if line["event__title"]:
                description = " · ".join(filter(None, [description, line["event__title"]]))
            values = [
                row.city,
                row.person,
                _month(row.month),
                line["day"],
                labels.get(line["activity"], line["activity"]),
                line["hours"],
                description,
            ]
            self.csv.row(values)
            self._days_sheet.row(values)
