"""Tabular exports: the same rows as CSV or XLSX, streamed to the browser.

Cells that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return at the start)
are prefixed with an apostrophe, so text typed by users never runs as a formula.
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

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
