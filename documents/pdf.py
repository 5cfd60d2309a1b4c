"""The one helper that renders a template to PDF with WeasyPrint.

Templates extend ``documents/base_pdf.html`` (page rules, fonts, running header and page
numbers). The document's title, author and language come from the HTML head and end up in the
PDF metadata; the PDF is tagged (PDF/UA-1) so that screen readers can follow it.

``html_to_pdf`` does it in one go. A long job that reports its progress calls
``html_to_document`` (layout and pagination) and then ``document_to_pdf`` (writing the file),
and can say how many pages it laid out in between.

A long document can be put together from parts laid out once and kept (a report's approved
timesheets): ``render_part`` makes a part, a tagged PDF of its own without running header or
page numbers; the document leaves one empty page for each page of each part (``slots_html``,
which ``base_pdf.html`` turns into pages of their own) and ``render_pdf(parts=...)`` lays it
out, then puts each part's pages in the place of its slots (``merge_parts``, pdf_merge.py).
The result is one tagged PDF with one structure tree, in reading order, whose running header
and page numbers run over every page, the parts' pages included.
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .pdf_assemble import Assembler
from .pdf_merge import merge_parts

if TYPE_CHECKING:
    from .pdf_processes import LayoutProcesses

# Tagged PDF/UA-1: the structure, reading order and language a screen reader needs.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

# The class of the empty blocks that stand for the pages of a part (base_pdf.html).
SLOT_CLASS = "pdf-slot"


def render_html(template_name: str, context: dict, *, language: str = "en") -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "pdf_language": language})


def warm_up() -> None:
    """Pay now what a process's first PDF would otherwise pay for: importing WeasyPrint and
    pikepdf, fontconfig's set-up and the base template's faces, the compiled PDF templates.
    Each Celery worker process calls it as it starts (config/celery_app.py), before it takes a
    task, so that a person's first report does not wait for it (about 1 s; bench/RESULTS.md)."""
    from django.template.loader import get_template

    for name in pdf_templates():
        get_template(name)
    render_part(render_html("documents/pdf_warm_up.html", {}))


def pdf_templates() -> list[str]:
    """The names of the templates that make PDFs: those in a ``pdf`` folder or named after it
    (``actionplans/overview/pdf.html``), in every template directory."""
    from django.template import engines

    found: set[str] = set()
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory)
            for path in root.rglob("*.html"):
                relative = path.relative_to(root)
                if "pdf" in relative.parts[:-1] or "pdf" in relative.stem:
                    found.add(relative.as_posix())
    return sorted(found)


def html_to_document(html: str, *, url_fetcher=None, base_url: str | None = None):
    """Lay out and paginate the HTML: a WeasyPrint Document, whose ``pages`` can be counted.
    Relative addresses (the fonts) are under ``base_url``, the project's folder unless given
    (a layout process, pdf_processes.py, is given it and needs no settings)."""
    # Imported here: WeasyPrint loads Pango when imported, which only PDF work needs.
    from weasyprint import HTML

    base_url = base_url or str(settings.BASE_DIR)
    return HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render(**PDF_OPTIONS)


def document_to_pdf(document) -> bytes:
    return document.write_pdf(**PDF_OPTIONS)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return document_to_pdf(html_to_document(html, base_url=base_url))


def render_pdf(
    template_name: str,
    context: dict,
    *,
    language: str = "en",
    parts: Sequence[bytes] | None = None,
) -> bytes:
    """The template as a PDF; with ``parts``, the template leaves their slots (in order) and
    the parts' pages are put in them (``merge_parts``)."""
    html = render_html(template_name, context, language=language)
    if parts is None:
        return html_to_pdf(html)
    document = html_to_document(html)
    return merge_parts(document_to_pdf(document), slot_pages(document), parts)


# Documents made of parts ----------------------------------------------------------------------


@dataclass(frozen=True)
class StoredPart:
    """A part laid out apart and kept in a file (documents that grow with the programme keep
    one part in memory at a time): its path, its page count, the section its pages belong to."""

    path: Path
    pages: int
    section: str = ""


def render_pdf_in_pieces(
    template_name: str,
    context: dict,
    destination: BinaryIO,
    *,
    parts: Sequence[StoredPart],
    running_title: str,
    layout: "LayoutProcesses",
    language: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write to ``destination`` what ``render_pdf(parts=...)`` makes, holding one piece in memory
    at a time rather than the whole document: the template's head (its ``head`` block), each
    part with the running header and page number of its pages, then its tail (``tail``).

    Each piece is laid out on its own, its first page numbered where it falls and every page
    out of the document's total (base_pdf.html: ``pdf_first_page``, ``pdf_pages``); the head
    and the tail are laid out once more to count their pages first (margin boxes never move
    content). A part's running header and page number come from a document of its slots alone,
    whose top left names ``running_title`` (the head's first heading names it there). The
    pieces are laid out by ``layout``'s processes (pdf_processes.py), side by side, into files
    of a temporary folder, and written into one tagged PDF by ``pdf_assemble.Assembler`` in
    order. ``progress(done, total)`` is called after each part."""

    def html(piece: str, first: int, total: int, **extra) -> str:
        return render_html(
            template_name,
            context
            | {"pdf_piece": piece, "pdf_first_page": first, "pdf_pages": total}
            | ({"pdf_running_title": running_title} if piece != "head" else {})
            | extra,
            language=language,
        )

    with TemporaryDirectory() as folder:
        directory = Path(folder)
        counted = [
            layout.submit(html(piece, 1, 0), directory / f"{piece}-counted.pdf", part=False)
            for piece in ("head", "tail")
        ]
        head_pages, tail_pages = (future.result() for future in counted)
        total = head_pages + sum(part.pages for part in parts) + tail_pages
        head = layout.submit(html("head", 1, total), directory / "head.pdf")
        headers = []
        page = head_pages + 1
        for index, part in enumerate(parts):
            slots = slots_html(part.pages, section=part.section)
            path = directory / f"headers-{index}.pdf"
            headers.append(
                (path, layout.submit(html("slots", page, total, parts=[slots]), path, part=False))
            )
            page += part.pages
        tail = layout.submit(html("tail", page, total), directory / "tail.pdf")

        assembler = Assembler(destination)
        head.result()
        assembler.add(directory / "head.pdf")
        for done, (part, (path, future)) in enumerate(zip(parts, headers, strict=True), start=1):
            future.result()
            assembler.add(part.path, headers=path)
            path.unlink()
            if progress is not None:
                progress(done, len(parts))
        tail.result()
        assembler.add(directory / "tail.pdf")
        assembler.finish()


def render_part(html: str, *, base_url: str | None = None) -> bytes:
    """A part: the HTML (a template that leaves the margin boxes empty) as a tagged PDF whose
    every marked content belongs to its structure tree, and whose names are its own: element
    IDs (table headers) start with a checksum of the HTML, font subsets are named after their
    glyphs. WeasyPrint numbers IDs and names subsets the same way in every file, and a document
    made of parts laid out apart must not hold one name twice."""
    prefix = "p" + hashlib.sha256(html.encode()).hexdigest()[:12] + "-"
    return merge_parts(html_to_pdf(html, base_url=base_url), [], [], part_prefix=prefix)


def part_pages(part: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(part)) as pdf:
        return len(pdf.pages)


def slots_html(pages: int, *, section: str = "") -> str:
    """The HTML that leaves a part's pages empty in the document: one slot block each. With a
    ``section``, the running header names it over the part's pages (as a heading of the
    document names its section), for a part that begins a section of its own."""
    return render_to_string("documents/pdf_slots.html", {"slots": range(pages), "section": section})


def slot_pages(document) -> list[int]:
    """The indexes of the laid-out document's pages that hold a slot."""
    found = []
    for index, page in enumerate(document.pages):
        if any(_is_slot(box) for box in _boxes(page._page_box)):
            found.append(index)
    return found


def _boxes(box) -> Iterable[Any]:
    yield box
    for child in getattr(box, "children", ()):
        if getattr(child, "element_tag", None) in ("table", "tr", "td", "p", "h1", "h2", "h3"):
            continue  # never a slot, and the bulk of a page
        yield from _boxes(child)


def _is_slot(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and SLOT_CLASS in (element.get("class") or "").split()
