"""The workbook every XLSX export is built with: saved to a temporary file for storing, so a
report of every city does not hold its workbook in memory; numbers stay numbers."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from documents.exports import CsvDocument, XlsxDocument
from documents.money import Money


def test_the_workbook_is_given_as_a_rewound_file_and_released_on_close():
    document = XlsxDocument()
    sheet = document.sheet("Figures", ["Item", "Amount"], widths=(20, 12))
    sheet.row(["=1+1", Money(Decimal("1315.125"), "EUR")])
    sheet.row(["Hours", Decimal("43.5")])
    handle = document.file()
    assert handle.tell() == 0
    book = load_workbook(io.BytesIO(handle.read()))
    rows = list(book["Figures"].iter_rows(values_only=True))
    assert rows[0] == ("Item", "Amount")
    assert rows[1][0] == "'=1+1", "a formula is neutralised"
    assert rows[2] == ("Hours", 43.5)
    document.close()
    assert handle.closed


def test_a_large_workbook_goes_to_disk_not_memory(monkeypatch):
    monkeypatch.setattr(CsvDocument, "SPOOL_BYTES", 1024)
    document = XlsxDocument()
    sheet = document.sheet("Rows", ["Text"])
    for number in range(2000):
        sheet.row([f"line {number} " * 4])
    handle = document.file()
    assert handle._rolled, "past the spool size the file is on disk"
    assert load_workbook(handle)["Rows"].max_row == 2001
    document.close()


def test_closing_an_unfinished_workbook_releases_it():
    document = XlsxDocument()
    document.sheet("Rows", ["Text"]).row(["half-way"])
    document.close()  # a build that failed before file(): nothing left behind, no error
