"""The PDF of a toolkit edition or of one good practice, as the Celery job builds it.

``produce_rendering`` is what ``tasks.render_pdf`` runs (through ``documents.jobs.run``). The
content comes from the edition's frozen snapshot (or from the practice as it reads now), the
labels are in the rendering's language, and WeasyPrint lays the pages out in two steps (layout,
then writing) so the page can say how far it has got. The job runner stores the file whole first
and attaches it to the rendering in one transaction at the very end: a build that dies half-way
leaves the rendering as it was (a re-rendered edition keeps serving its previous file), and
running it again starts over.
"""

import mimetypes
import re
import unicodedata
from base64 import b64encode
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from documents import jobs
from documents.pdf import document_to_pdf, html_to_document, render_html

from .models import Rendering
from .snapshots import practice_snapshot

EDITION_TEMPLATE = "toolkits/pdf/edition.html"
PRACTICE_TEMPLATE = "toolkits/pdf/practice.html"
PDF_TYPE = "application/pdf"

Progress = jobs.Progress

# Where the steps sit on the progress bar: laying out is the long one.
CONTENT_READY = 5
HTML_READY = 15
LAID_OUT = 75
STORING = 92


def produce_rendering(rendering: Rendering, *, progress: Progress) -> jobs.Produced:
    """Make the rendering's PDF, for the job runner to store and attach."""
    with translation.override(rendering.language):
        progress(1, _("Collecting the content"))
        if rendering.edition_id:
            template, context, filename = _edition_content(rendering)
        else:
            template, context, filename = _practice_content(rendering)
        progress(CONTENT_READY, _("Building the pages"))
        html = render_html(template, context, language=rendering.language)
        progress(HTML_READY, _("Laying out the pages"))
        document = html_to_document(html, url_fetcher=_local_files_only())
        pages = len(document.pages)
        progress(
            LAID_OUT,
            ngettext(
                "Laid out %(count)d page; writing the PDF",
                "Laid out %(count)d pages; writing the PDF",
                pages,
            )
            % {"count": pages},
        )
        pdf = document_to_pdf(document)
        progress(STORING, _("Storing the PDF"))
        return jobs.Produced(
            files={"pdf": jobs.Output(pdf, filename, PDF_TYPE)}, note=_("The PDF is ready.")
        )


def edition_filename(rendering: Rendering) -> str:
    """E.g. buyers-and-suppliers-edition-2-de.pdf (slugs are ASCII: safe in every browser)."""
    edition = rendering.edition
    return f"{edition.toolkit.slug}-edition-{edition.number}-{rendering.language}.pdf"


def practice_filename(rendering: Rendering) -> str:
    return f"{rendering.practice.slug}-{rendering.language}.pdf"


# What goes into the templates -------------------------------------------------------------------


def _edition_content(rendering: Rendering) -> tuple[str, dict, str]:
    edition = rendering.edition
    snapshot = edition.snapshot
    practices = [
        _practice_view(data, anchor=f"practice-{position}")
        for position, data in enumerate(snapshot.get("practices", []), start=1)
    ]
    context = {
        "toolkit": snapshot,
        "edition": {"number": edition.number, "published_on": edition.published_on},
        "author": snapshot.get("network") or snapshot.get("programme") or "Tandem",
        "practices": practices,
        "index": _index(practices),
        "page_numbers": page_numbers_css(),
    }
    return EDITION_TEMPLATE, context, edition_filename(rendering)


def _practice_content(rendering: Rendering) -> tuple[str, dict, str]:
    practice = rendering.practice
    programme = practice.scheme.programme
    context = {
        "practice": _practice_view(practice_snapshot(practice), anchor="practice"),
        "programme": {"name": programme.name, "network": programme.network},
        "author": programme.network or programme.name,
        "page_numbers": page_numbers_css(),
    }
    return PRACTICE_TEMPLATE, context, practice_filename(rendering)


def _practice_view(data: dict, *, anchor: str) -> dict:
    """A practice's snapshot with what the template shows worked out: labels in the PDF's
    language, amounts formatted, dates as dates, images that are still stored."""
    budget = _decimal(data.get("budget"))
    eu_contribution = _decimal(data.get("eu_contribution"))
    currency = data.get("currency") or "EUR"
    return {
        **data,
        "anchor": anchor,
        "country_name": countries.name(data.get("country") or "") or data.get("country", ""),
        # Names as the frame had them when the snapshot was taken.
        "target_group_labels": [str(name) for name in data.get("target_groups", [])],
        "commitment_labels": [str(label) for label in data.get("commitments", [])],
        "framework_name": data.get("framework") or "",
        "budget_text": format_amount(budget, currency),
        "eu_contribution_text": format_amount(eu_contribution, currency),
        "eu_share": _share(eu_contribution, budget),
        "started_on": _date(data.get("started_on")),
        "ended_on": _date(data.get("ended_on")),
        "pictures": [
            {"src": src, "alt": image.get("alt", ""), "caption": image.get("caption", "")}
            for image in data.get("images", [])
            if (src := image_source(image.get("name", "")))
        ],
    }


def _index(practices: list[dict]) -> list[dict]:
    """Countries by their name in the PDF's language, each with its cities; each entry points
    at its practices, whose page numbers the template looks up."""
    by_country: dict[str, list[str]] = defaultdict(list)
    by_city: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names = {}
    for practice in practices:
        code = practice["country"]
        names[code] = practice["country_name"]
        by_country[code].append(practice["anchor"])
        by_city[code][practice["city"]].append(practice["anchor"])
    index = [
        {
            "name": names[code],
            "anchors": anchors,
            "cities": sorted(
                ({"name": city, "anchors": refs} for city, refs in by_city[code].items()),
                key=lambda entry: sort_key(entry["name"]),
            ),
        }
        for code, anchors in by_country.items()
    ]
    return sorted(index, key=lambda entry: sort_key(entry["name"]))


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical order that files Łódź with the Ls and Şanlıurfa with the Ss."""
    base = unicodedata.normalize("NFKD", name.translate(_BASE_LETTERS))
    return ("".join(c for c in base if not unicodedata.combining(c)).casefold(), name)


# Letters that Unicode does not decompose into a base letter and an accent.
_BASE_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "ı": "i", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE"}
)


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def format_amount(amount: Decimal | None, currency: str) -> str:
    """169,956.00 EUR in English, 169.956,00 EUR in German: rounded half-up to the cent."""
    if amount is None:
        return ""
    cents = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return (
        f"{number_format(cents, 2, use_l10n=True, force_grouping=True)}\N{NO-BREAK SPACE}{currency}"
    )


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def page_numbers_css() -> SafeString:
    """The CSS ``content`` of the footer's "Page X of Y", from a sentence translators can
    reorder. Only translated text goes in, escaped for a CSS string."""
    label = _("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", label):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 (escaped for CSS above, no typed text)


def css_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", " ")
        .replace("<", "\\3c ")
        .replace(">", "\\3e ")
    )
    return f'"{escaped}"'


# Images ---------------------------------------------------------------------------------------


def image_source(name: str) -> str | None:
    """A URL WeasyPrint reads the stored image from, or None when the file is gone (deleted
    after the edition was published): the PDF is made without it."""
    if not name:
        return None
    try:
        if not default_storage.exists(name):
            return None
        try:
            return Path(default_storage.path(name)).as_uri()
        except NotImplementedError:  # storage without local files: embed the bytes
            with default_storage.open(name, "rb") as image:
                body = image.read()
    except OSError:
        return None
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{b64encode(body).decode('ascii')}"


def _local_files_only():
    """WeasyPrint reads stored images and nothing from the network: text typed by people is
    escaped anyway, and a PDF job has no business fetching URLs."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"file", "data"})
