"""Imports from spreadsheets: the one framework every kind of import uses.

A kind (cities, people, events, attendance, timesheets …) lives in the app that owns its data,
in that app's ``imports.py``, and is registered from its ``AppConfig.ready()``::

    from documents import imports

    class CityImport(imports.ImportKind):
        key = "cities"
        label = gettext_lazy("Cities")
        columns = [imports.Column("name", gettext_lazy("Name"), required=True, example="Ghent")]
        def target(self, user, ident): ...           # the programme, or Http404
        def allowed(self, user, target): ...         # (bool, reason), pure
        def examine(self, rows, *, user, target): ...  # list[RowResult], reads only
        def apply(self, rows, *, user, target, source): ...  # writes through the services

    imports.register(CityImport())

What the framework does for every kind (this module, with ``documents.views_imports``):

- Reading (``read``): CSV in UTF-8 (with or without a byte-order mark) or UTF-16 with its
  byte-order mark (what Excel's "Unicode text" saves), its delimiter found from the header line
  (comma, semicolon or tab); XLSX through openpyxl in read-only mode, the first sheet, every
  value as text. Other encodings are refused with a message saying how to save the file as
  UTF-8: guessing a legacy code page (cp1252, cp1250 …) would silently misspell names written
  in other scripts. Old binary .xls files and files that are not spreadsheets are refused by
  what they hold, whatever their name says.
- Headers: a column is recognised by its header in any of the portal's languages, or by its
  key, whatever the case; an unknown, repeated or missing required header is a message naming
  it. Fully empty rows are skipped; row numbers stay those the spreadsheet shows (header = 1).
- Formulas are never evaluated: a cell holding a formula (an XLSX formula, or any cell text
  starting with ``=``) is refused as an error on that cell, asking for the value itself. A
  leading apostrophe before ``= + - @`` (how Tandem's own exports neutralise such text) is
  dropped, so an export imports back as it was.
- Limits: the file's size (TANDEM_IMPORT_MAX_BYTES), its rows (TANDEM_IMPORT_MAX_ROWS: reading
  stops at the first row past the limit, so a 100,000-row file is refused cheaply), its
  columns, and for XLSX the unpacked size and packing ratio of the archive (a zip bomb is
  refused before any of it is unpacked).
- Templates (``template_file``): CSV and XLSX, headers in the person's language, one example
  row; the XLSX has a second sheet describing every column.
- Examining (``examine``): the kind's ``examine`` plus the framework's cell checks (formulas),
  with every result numbered as its spreadsheet row; ``counts`` sums the outcomes.
- Applying (``apply``): re-examines, and only when no row has an error calls the kind's
  ``apply`` inside one transaction: all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .exports import XLSX_TYPE, CsvDocument, XlsxDocument

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
OUTCOMES = (CREATE, UPDATE, UNCHANGED, ERROR)
FORMATS = ("csv", "xlsx")
CSV_TYPE = "text/csv; charset=utf-8"
# Text our exports prefix with an apostrophe so that a spreadsheet does not run it.
NEUTRALISED = ("'=", "'+", "'-", "'@")


# The contract ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a kind's spreadsheet."""

    key: str  # stable code name, e.g. "name"; also accepted as the header
    label: Promise  # lazily translated header, shown in templates and previews
    required: bool = False
    example: str = ""  # the template's example row
    help: Promise | str = ""  # meaning and accepted format, shown on the import page


@dataclass
class RowResult:
    """What importing one row would do, and why not where it cannot."""

    number: int  # the row's number as a spreadsheet shows it (header = 1)
    values: dict[str, str]  # column key -> cell text as read
    outcome: str = UNCHANGED  # "create" | "update" | "unchanged" | "error"
    errors: dict[str, list[str]] = field(default_factory=dict)  # column key ("" = the row)

    def add_error(self, key: str, message) -> None:
        self.errors.setdefault(key, []).append(str(message))
        self.outcome = ERROR

    def add_validation_error(
        self, error: ValidationError, *, fields: dict[str, str | tuple[str, ...]] | None = None
    ):
        """A service's or model's ValidationError on the cells it concerns: ``fields`` maps a
        model field to the column, or the columns, that hold it (a rule about a venue or an
        online link is on both cells; a field of the same name as a column needs no entry).
        A message goes on each of its columns the file has, and on the row as a whole when the
        file has none of them (or it is about no field)."""
        fields = fields or {}
        columns = set(self.values)
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                keys = fields.get(name, name)
                keys = [keys] if isinstance(keys, str) else list(keys)
                present = [key for key in keys if key and key in columns] or [""]
                for message in messages:
                    for key in present:
                        self.add_error(key, message)
        else:
            for message in error.messages:
                self.add_error("", message)

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "values": self.values,
            "outcome": self.outcome,
            "errors": self.errors,
        }

    @classmethod
    def from_dict(cls, data: dict) -> RowResult:
        return cls(data["number"], data["values"], data["outcome"], data["errors"])


class ImportKind:
    """One kind of import. Subclass in the owning app's ``imports.py`` and ``register`` an
    instance from its ``AppConfig.ready()``. ``examine`` returns one RowResult per row, in the
    rows' order (the framework numbers them as the file does); it reads only. ``apply`` is
    called inside one ``transaction.atomic()`` once ``examine`` found no error, and writes
    through the app's services; any ValidationError it raises rolls everything back."""

    key: str = ""
    label: Promise | str = ""
    columns: list[Column] = []
    # What the import page says about the kind, above its columns (optional).
    description: Promise | str = ""

    def target(self, user, ident: str):
        """The object imported into (a programme, an event, a city …) named by ``ident``;
        raises Http404 when there is none or it is out of the person's scope."""
        raise NotImplementedError

    def ident(self, target) -> str:
        """The inverse of ``target``: what names ``target`` in the import's addresses."""
        return str(getattr(target, "slug", None) or target.pk)

    def allowed(self, user, target) -> tuple[bool, str]:
        """Whether the person may import into ``target``, and why not (pure)."""
        raise NotImplementedError

    def examine(self, rows: list[dict[str, str]], *, user, target) -> list[RowResult]:
        raise NotImplementedError

    def apply(self, rows: list[dict[str, str]], *, user, target, source: str) -> None:
        raise NotImplementedError

    # Optional -------------------------------------------------------------------------------

    def export(self, *, user, target) -> list[dict[str, str]]:
        """What ``target`` holds now, as rows of this import (column key -> text): offered as
        a filled template, which imports back unchanged. None where the kind has no export."""
        return []

    def back_url(self, target) -> str:
        """The page the import page links back to (the programme's, the event's …)."""
        return getattr(target, "get_absolute_url", lambda: "")()

    def describe(self, target) -> str:
        """The target as the import page names it."""
        return str(target)

    # Helpers --------------------------------------------------------------------------------

    def result(self, index: int, row: dict[str, str]) -> RowResult:
        """A fresh result for the ``index``th row (numbered as if no row were blank; the
        framework renumbers)."""
        return RowResult(number=index + 2, values=dict(row))

    def required_missing(self, result: RowResult) -> None:
        """An error on each empty cell of a required column."""
        for column in self.columns:
            if column.required and not result.values.get(column.key, "").strip():
                result.add_error(column.key, gettext("This column needs a value."))


_KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    if not kind.key:
        raise ValueError("An import kind needs a key.")
    _KINDS[kind.key] = kind


def registered() -> dict[str, ImportKind]:
    return dict(_KINDS)


def get(key: str) -> ImportKind:
    """The kind registered as ``key``; KeyError when there is none."""
    return _KINDS[key]


# Values as text -> values ------------------------------------------------------------------------


def parse_decimal(text: str, *, message=None) -> Decimal:
    """A number typed either way: 12.5 or 12,5 (no thousands separators: 1,250 would be
    ambiguous). Raises ValidationError with ``message`` (or a general one)."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            message or gettext("Write a number, such as 12.5: “%(value)s” is not one."),
            params={"value": text},
        )
    return value


def parse_date(text: str) -> date:
    """A date in ISO form, 2024-03-31 (what the template and XLSX date cells give)."""
    cleaned = text.strip()
    try:
        if len(cleaned) == 10:
            return date.fromisoformat(cleaned)
    except ValueError:
        pass
    raise ValidationError(
        gettext("Write a date as year-month-day, such as 2024-03-31: “%(value)s” is not one.")
        % {"value": text}
    )


def parse_datetime(text: str) -> datetime:
    """A naive date and time, 2024-03-31 14:30 (or with a T, or a date alone: midnight)."""
    cleaned = text.strip().replace("T", " ")
    try:
        if len(cleaned) == 10:
            return datetime.combine(date.fromisoformat(cleaned), time())
        return datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError(
            gettext(
                "Write a date and time as year-month-day hours:minutes, such as "
                "2024-03-31 14:30: “%(value)s” is not one."
            )
            % {"value": text}
        ) from None


def as_text(value) -> str:
    """An XLSX cell's value as the text a person sees: dates in ISO form, whole numbers
    without a decimal point, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))
    return str(value)


# Reading ----------------------------------------------------------------------------------------


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (its message says why and what to do)."""


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


@dataclass
class Table:
    """The rows read from a file, keyed by column key, and the number each has in the file."""

    rows: list[dict[str, str]]
    numbers: list[int]
    headers: list[str]  # as written in the file


def read(content: bytes | BinaryIO, *, filename: str, kind: ImportKind) -> Table:
    """The rows of an uploaded file, or an ImportFileError saying what is wrong with it."""
    if not isinstance(content, bytes):
        content.seek(0)
        content = content.read(settings.TANDEM_IMPORT_MAX_BYTES + 1)
    if not content:
        raise ImportFileError(_("The file is empty."), code="empty")
    if len(content) > settings.TANDEM_IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB. Split it into smaller files."),
            code="too_large",
            params={"limit": _megabytes(settings.TANDEM_IMPORT_MAX_BYTES)},
        )
    if content.startswith(b"PK\x03\x04"):
        records = _xlsx_records(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("This is an old Excel file (.xls). Save it as .xlsx or as CSV UTF-8 and try again."),
            code="xls",
        )
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("The file is named .xlsx but is not an Excel workbook. Save it as .xlsx or CSV."),
            code="not_xlsx",
        )
    else:
        records = _csv_records(content)
    return _table(records, kind)


def _csv_text(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass  # refused below with the general message
    if b"\x00" in content[:4096]:
        raise ImportFileError(
            _("This file is neither a CSV file nor an Excel workbook. Upload a .csv or .xlsx."),
            code="not_text",
        )
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "The file is not in UTF-8, so its accented letters and other scripts cannot be "
                "read reliably. In Excel choose Save as, “CSV UTF-8 (comma delimited)”; in "
                "LibreOffice tick “Edit filter settings” and choose Unicode (UTF-8)."
            ),
            code="encoding",
        ) from None


def _csv_records(content: bytes) -> Iterator[list[str]]:
    text = _csv_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    csv.field_size_limit(1024 * 1024)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read near line %(line)s: %(error)s"),
            code="csv",
            params={"line": reader.line_num, "error": str(error)},
        ) from None


def _xlsx_records(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook  # only where a workbook is read

    not_xlsx = ImportFileError(
        _("The file cannot be opened as an Excel workbook. Save it as .xlsx or CSV."),
        code="not_xlsx",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    if (
        unpacked > settings.TANDEM_IMPORT_MAX_UNPACKED_BYTES
        or unpacked > len(content) * settings.TANDEM_IMPORT_MAX_PACKING_RATIO
    ):
        raise ImportFileError(
            _(
                "The workbook unpacks to far more than it holds (%(size)s MB); it may be "
                "damaged. Save it again as .xlsx or CSV, or split it."
            ),
            code="zip_bomb",
            params={"size": _megabytes(unpacked)},
        )
    try:
        # Formulas stay formulas (data_only=False): never evaluated, and refused cell by cell.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds on a damaged or foreign archive
        raise not_xlsx from None
    try:
        limit = settings.TANDEM_IMPORT_MAX_COLUMNS
        for values in sheet.iter_rows(values_only=True, max_col=limit):
            yield [as_text(value) for value in values[:limit]]
    except ImportFileError:
        raise
    except Exception:
        raise not_xlsx from None
    finally:
        workbook.close()


def _canonical(text: str) -> str:
    return " ".join(text.split()).casefold()


def header_names(kind: ImportKind) -> dict[str, str]:
    """Every header a column is recognised by (its key, its label in each language, whatever
    the case and the spacing) -> the column's key."""
    names: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for column in kind.columns:
                names.setdefault(_canonical(str(column.label)), column.key)
    for column in kind.columns:
        names[_canonical(column.key)] = column.key
    return names


def _table(records: Iterable[list[str]], kind: ImportKind) -> Table:
    records = iter(records)
    number = 0
    header = None
    for record in records:
        number += 1
        if any(cell.strip() for cell in record):
            header = record
            break
    if header is None:
        raise ImportFileError(_("The file has no header row and no rows."), code="no_rows")
    if len(header) > settings.TANDEM_IMPORT_MAX_COLUMNS:
        header = header[: settings.TANDEM_IMPORT_MAX_COLUMNS]
    known = header_names(kind)
    keys: list[str | None] = []
    unknown = []
    for cell in header:
        name = cell.lstrip("\ufeff").strip()
        if not name:
            keys.append(None)
            continue
        key = known.get(_canonical(name))
        if key is None:
            unknown.append(name)
        keys.append(key)
    problems = []
    if unknown:
        problems.append(
            gettext("These columns are not part of this import: %(names)s.")
            % {"names": ", ".join(f"“{name}”" for name in unknown)}
        )
    repeated = [key for key, count in Counter(k for k in keys if k).items() if count > 1]
    labels = {column.key: str(column.label) for column in kind.columns}
    if repeated:
        problems.append(
            gettext("These columns appear more than once: %(names)s.")
            % {"names": ", ".join(f"“{labels[key]}”" for key in repeated)}
        )
    missing = [c for c in kind.columns if c.required and c.key not in keys]
    if missing:
        problems.append(
            gettext("These required columns are missing: %(names)s.")
            % {"names": ", ".join(f"“{c.label}”" for c in missing)}
        )
    if problems:
        problems.append(
            gettext("The columns of this import are: %(names)s.")
            % {"names": ", ".join(f"“{c.label}”" for c in kind.columns)}
        )
        raise ImportFileError(" ".join(problems), code="headers")
    rows, numbers = [], []
    limit = settings.TANDEM_IMPORT_MAX_ROWS
    for record in records:
        number += 1
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= limit:
            raise ImportFileError(
                _(
                    "The file has more than %(limit)s rows; import at most %(limit)s at a time "
                    "(split the file)."
                ),
                code="too_many_rows",
                params={"limit": limit},
            )
        row = {c.key: "" for c in kind.columns if c.key in keys}
        for key, cell in zip(keys, record, strict=False):
            if key is not None:
                row[key] = _cell(cell)
        rows.append(row)
        numbers.append(number)
    if not rows:
        raise ImportFileError(_("The file has headers but no rows below them."), code="no_rows")
    return Table(rows=rows, numbers=numbers, headers=[h.strip() for h in header])


def _cell(text: str) -> str:
    text = text.strip()
    if text.startswith(NEUTRALISED):
        return text[1:]
    return text


# Examining and applying ---------------------------------------------------------------------------


def examine(kind: ImportKind, table: Table, *, user, target) -> list[RowResult]:
    """What importing the table would do, row by row (reads only)."""
    results = kind.examine(table.rows, user=user, target=target)
    if len(results) != len(table.rows):
        raise RuntimeError(
            f"{kind.key}: examine returned {len(results)} results for {len(table.rows)} rows"
        )
    formula = gettext(
        "This cell holds a formula; formulas are not run on import. Type the value itself."
    )
    for result, number, row in zip(results, table.numbers, table.rows, strict=True):
        result.number = number
        for key, text in row.items():
            if text.startswith("="):
                result.errors.pop(key, None)  # the kind's reading of a formula says nothing
                result.add_error(key, formula)
    return results


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that is always rolled back: ``examine`` may run the services that
    ``apply`` runs, row after row, so that the preview holds exactly the rules the forms hold
    (and sees what earlier rows of the file would do), and nothing stays written. What the
    services queue after the commit (e-mails, notifications) is dropped with it."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts(results: Iterable[RowResult]) -> dict[str, int]:
    found = Counter(result.outcome for result in results)
    return {outcome: found.get(outcome, 0) for outcome in OUTCOMES}


def apply(kind: ImportKind, table: Table, *, user, target, source: str) -> list[RowResult]:
    """Examine the table again and, when no row has an error, apply it all in one transaction.
    Returns the results the decision was taken on (with errors, nothing was written)."""
    results = examine(kind, table, user=user, target=target)
    if any(result.outcome == ERROR for result in results):
        return results
    with transaction.atomic():
        kind.apply(table.rows, user=user, target=target, source=source)
    return results


# Templates ---------------------------------------------------------------------------------------


def template_file(kind: ImportKind, fmt: str, *, rows: list[dict[str, str]] | None = None):
    """The kind's template in ``fmt`` ("csv" or "xlsx"), headers in the active language:
    the example row, or ``rows`` (an export of what is there). Returns (bytes, file name,
    content type)."""
    headers = [str(column.label) for column in kind.columns]
    if rows is None:
        rows = [{column.key: column.example for column in kind.columns}]
    values = [[row.get(column.key, "") for column in kind.columns] for row in rows]
    name = f"tandem-{kind.key}"
    if fmt == "xlsx":
        document = XlsxDocument()
        document.sheet(str(kind.label), headers, widths=[24] * len(headers)).rows(values)
        about = document.sheet(
            gettext("Columns"),
            [gettext("Column"), gettext("Required"), gettext("Meaning and format")],
            widths=[24, 12, 80],
        )
        for column in kind.columns:
            about.row(
                [
                    str(column.label),
                    gettext("yes") if column.required else gettext("no"),
                    str(column.help),
                ]
            )
        return document.getvalue(), f"{name}.xlsx", XLSX_TYPE
    document = CsvDocument()
    document.section(None, headers)
    document.rows(values)
    try:
        return document.getvalue(), f"{name}.csv", CSV_TYPE
    finally:
        document.close()
