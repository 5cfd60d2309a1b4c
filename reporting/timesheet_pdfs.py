"""Approved months laid out once: each its own tagged PDF, whose pages a city's staff-cost report
puts in place instead of laying the month out again (issue 19: a city's two years took 10 s of
layout, mostly these day lines).

An approved month never changes; it changes only if reopened, which clears the approval. So its
page is made when it is approved (``make_for_sheet``, queued after the commit), in the languages
its city's reports are asked in, and a report makes any it misses (``timesheet_pdfs``). A page is
found by the checksum of the HTML it is laid out from (``TimesheetPdf.digest``), which holds the
month, its lines, its approval, names, language, time zone and template; the layout version
(``PART_VERSION`` and WeasyPrint's) is part of it too. Each month starts on a page of its own, as
auditors read a monthly timesheet.
"""

import hashlib
from collections.abc import Mapping, Sequence
from datetime import tzinfo
from decimal import Decimal
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cities.models import City
from config import clock
from documents.models import StoredFile
from documents.pdf import part_pages, render_html, render_part

from . import selectors
from .models import Activity, MonthStatus, StaffCostReport, TimesheetMonth, TimesheetPdf
from .selectors import PersonMonth

PART_TEMPLATE = "reporting/pdf/timesheet.html"
PDF_TYPE = "application/pdf"
# Raise when a change of the layout that the HTML does not show (a font, a style outside the
# templates) must lay every month out again.
PART_VERSION = "1"


def city_zone(city: City | None) -> tzinfo:
    """The zone a report's times are written in: its city's, or the server's for all cities."""
    if city is not None and city.time_zone:
        return city.zone
    return clock.zone_or_default(None)


def plain(value: Decimal) -> str:
    """A number with the decimals it needs, localised: 1720 → "1,720", 0.5000 → "0.5"."""
    value = value.normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, places, use_l10n=True, force_grouping=True)


def priced(row: PersonMonth) -> dict:
    return {
        "row": row,
        "daily": row.is_daily,
        "share": plain(row.working_time_share),
        "divisor": plain(row.rate_divisor),
        "quantity": row.quantity,
    }


def activity_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Activity.choices}


def day_lines(lines: Sequence[Mapping[str, Any]], labels: dict[str, str]) -> list[dict]:
    """The entries of one month for printing; the day is shown on its first line only."""
    shown, previous = [], None
    for line in lines:
        description = line["description"]
        if line["event__title"]:
            event = _("Event: %(title)s") % {"title": line["event__title"]}
            description = f"{description} ({event})" if description else event
        shown.append(
            {
                "day": line["day"],
                "first_of_day": line["day"] != previous,
                "activity": labels.get(line["activity"], line["activity"]),
                "hours": line["hours"],
                "description": description,
            }
        )
        previous = line["day"]
    return shown


def month_html(
    row: PersonMonth, lines: Sequence[Mapping[str, Any]], *, currency: str, language: str
) -> str:
    """The HTML of one approved month's timesheet, in the active time zone."""
    with translation.override(language):
        month = {**priced(row), "lines": day_lines(lines, activity_labels())}
        return render_html(
            PART_TEMPLATE,
            {
                "currency": currency,
                "person": row.person,
                "city": row.city,
                "with_days": True,
                "month": month,
            },
            language=language,
        )


def _digest(html: str) -> str:
    layout = f"{PART_VERSION}/{version('weasyprint')}\n"
    return hashlib.sha256((layout + html).encode()).hexdigest()


def timesheet_pdfs(
    months: Sequence[tuple[PersonMonth, Sequence[Mapping[str, Any]]]],
    *,
    currency: str,
    language: str,
) -> list[tuple[bytes, int]]:
    """The laid-out pages of these approved months (row and day lines each), in order, as
    (PDF, pages): those stored are read, the others laid out and stored. One query finds them."""
    htmls = [month_html(row, lines, currency=currency, language=language) for row, lines in months]
    digests = [_digest(html) for html in htmls]
    found = {
        part.digest: part
        for part in TimesheetPdf.objects.filter(digest__in=digests).select_related("file")
    }
    result = []
    for (row, _lines), html, digest in zip(months, htmls, digests, strict=True):
        part = found.get(digest)
        if part is None:
            part = found[digest] = _lay_out(row, html, digest, language)
        with part.file.file.open("rb") as handle:
            result.append((handle.read(), part.pages))
    return result


def _lay_out(row: PersonMonth, html: str, digest: str, language: str) -> TimesheetPdf:
    content = render_part(html)
    stored = StoredFile.store(
        content,
        filename=f"timesheet-{row.sheet_id}-{row.month:%Y-%m}-{language}.pdf",
        content_type=PDF_TYPE,
    )
    try:
        with transaction.atomic():
            return TimesheetPdf.objects.create(
                sheet_id=row.sheet_id,
                approved_at=row.approved_at,
                language=language,
                digest=digest,
                pages=part_pages(content),
                file=stored,
            )
    except IntegrityError:
        # Made by another worker meanwhile (the same month in two reports): take that one.
        _discard(stored)
        return TimesheetPdf.objects.select_related("file").get(digest=digest)


def _discard(stored: StoredFile) -> None:
    stored.file.delete(save=False)
    stored.delete()


def make_for_sheet(sheet_id: int) -> int:
    """Lay out an approved month in the languages its city's reports are asked in (the site's
    language at least), in the city's zone; what is stored already is kept. Returns how many
    languages it has pages in; 0 for a month no longer approved."""
    sheet = (
        TimesheetMonth.objects.select_related("programme", "city")
        .filter(pk=sheet_id, status=MonthStatus.APPROVED)
        .first()
    )
    if sheet is None:
        return 0
    summary = selectors.staff_cost_summary(
        sheet.programme, city=sheet.city, first_month=sheet.month, last_month=sheet.month
    )
    months = selectors.person_months(
        sheet.programme, city=sheet.city, first_month=sheet.month, last_month=sheet.month
    )
    row = next((row for row in months if row.sheet_id == sheet.pk), None)
    if row is None:
        return 0
    lines = selectors.timesheet_days([sheet.pk]).get(sheet.pk, [])
    asked = StaffCostReport.objects.filter(programme=sheet.programme, city=sheet.city)
    languages = {settings.LANGUAGE_CODE, *asked.values_list("language", flat=True).distinct()}
    with timezone.override(city_zone(sheet.city)):
        for language in sorted(languages):
            timesheet_pdfs([(row, lines)], currency=summary.currency, language=language)
    return len(languages)


def forget(sheets) -> None:
    """Remove the layouts of these months (in the caller's transaction; their files once it is
    committed): a reopened month's show an approval that no longer holds, and an erased
    person's show their name."""
    parts = list(TimesheetPdf.objects.filter(sheet__in=sheets).select_related("file"))
    if not parts:
        return
    files = [part.file for part in parts]
    TimesheetPdf.objects.filter(pk__in=[part.pk for part in parts]).delete()
    StoredFile.objects.filter(pk__in=[stored.pk for stored in files]).delete()
    names = [stored.file.name for stored in files]
    storage = files[0].file.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
