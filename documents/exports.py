"""Tabular exports: the same rows as CSV or XLSX, streamed to the browser.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return at the start)
are prefixed with an apostrophe, so text typed by users never runs as a formula.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import BinaryIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from .money import Money, xlsx_number_format

FORMATS = {"csv", "xlsx"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(neutralise(value) if isinstance(value, str) else value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    headers: Sequence[str], rows: Iterable[Sequence], filename: str
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that Excel opens UTF-8 (Gdańsk, Nicosia in Greek) correctly
        yield writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(value):
    if isinstance(value, Decimal | int | float | date | datetime | bool) or value is None:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return neutralise(str(value))


def xlsx_response(
    headers: Sequence[str], rows: Iterable[Sequence], filename: str, *, title: str
) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(fmt: str, *, headers, rows, filename: str, title: str):
    if fmt == "xlsx":
        return xlsx_response(headers, rows, filename, title=title)
    return csv_response(headers, rows, filename)


# Files to store rather than send: built in memory, section by section --------------------------


class CsvDocument:
    """A CSV file built row by row for storing (UTF-8 with a BOM, formulas neutralised).

    Several tables fit in one file as sections: a title row, a header row, the rows, and a blank
    line before the next section.
    """

    # Rows are streamed to a temporary file: it stays in memory up to this size, then goes to
    # disk, so a report of a million day lines does not hold its CSV in memory.
    SPOOL_BYTES = 8 * 1024 * 1024

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES, mode="w+b")
        self._text = io.TextIOWrapper(self._file, encoding="utf-8", newline="")
        self._text.write("\ufeff")
        self._writer = csv.writer(self._text)
        self._sections = 0

    def section(self, title: str | None, headers: Sequence[str] = ()) -> None:
        if self._sections:
            self._writer.writerow([])
        self._sections += 1
        if title:
            self._writer.writerow([_csv_cell(str(title))])
        if headers:
            self._writer.writerow([_csv_cell(str(h)) for h in headers])

    def row(self, values: Sequence) -> None:
        self._writer.writerow([_csv_cell(value) for value in values])

    def rows(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.row(values)

    def file(self) -> BinaryIO:
        """The finished file, rewound, for storing without reading it into memory."""
        self._text.flush()
        self._file.seek(0)
        return self._file

    def getvalue(self) -> bytes:
        return self.file().read()

    def close(self) -> None:
        self._text.close()


SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


class XlsxDocument:
    """An XLSX workbook built row by row for storing. Numbers and dates stay numbers and dates;
    text that would start a formula is neutralised. Rows may go to any sheet in any order."""

    def __init__(self) -> None:
        self._workbook = Workbook(write_only=True)
        self._saved = False
        self._file: BinaryIO | None = None

    def sheet(self, title: str, headers: Sequence[str] = (), *, widths: Sequence[int] = ()):
        sheet = self._workbook.create_sheet(title=str(title).translate(SHEET_TITLE_FORBIDDEN)[:31])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if headers:
            sheet.append([neutralise(str(h)) for h in headers])
        return _XlsxSheet(sheet)

    def getvalue(self) -> bytes:
        """The finished file. A write-only workbook is saved once: call this or file() once."""
        buffer = BytesIO()
        self._saved = True
        self._workbook.save(buffer)
        return buffer.getvalue()

    def file(self) -> BinaryIO:
        """The finished file, rewound, in a temporary file (in memory up to the CSV's spool
        size, then on disk), for storing without holding a large workbook in memory. Saved
        once, like getvalue(); close() releases the file."""
        self._file = tempfile.SpooledTemporaryFile(max_size=CsvDocument.SPOOL_BYTES, mode="w+b")
        self._saved = True
        self._workbook.save(self._file)
        self._file.seek(0)
        return self._file

    def close(self) -> None:
        """Release the temporary files of a workbook that will not be finished (a build that
        failed half-way), or the file that file() gave."""
        if not self._saved:
            self.getvalue()
        if self._file is not None:
            self._file.close()


class _XlsxSheet:
    def __init__(self, sheet) -> None:
        self._sheet = sheet

    def _cell(self, value):
        if isinstance(value, Money):  # a number cell whose format names the currency
            cell = WriteOnlyCell(self._sheet, value=value.amount)
            cell.number_format = xlsx_number_format(value.currency)
            return cell
        return _xlsx_cell(value)

    def row(self, values: Sequence) -> None:
        self._sheet.append([self._cell(value) for value in values])

    def rows(self, rows: Iterable[Sequence]) -> None:
        for values in rows:
            self.row(values)
