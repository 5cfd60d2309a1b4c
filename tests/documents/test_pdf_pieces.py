"""documents.pdf render_pdf_in_pieces: a document laid out in pieces, one piece in memory at a
time, is the same tagged PDF as one laid out whole (documents/pdf_assemble.py)."""

import io
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from documents.pdf import StoredPart, part_pages, render_pdf_in_pieces
from documents.pdf_assemble import Assembler
from documents.pdf_processes import LayoutProcesses
from tests.documents.test_pdf_parts import part
from tests.pdf_structure import check_structure

TEMPLATES = Path(__file__).parent / "templates"
TITLE = 'Report · "Quoted" \\ <programme>'


@pytest.fixture
def test_templates(settings):
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [*engine["DIRS"], str(TEMPLATES)]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


def stored(tmp_path, *parts: tuple[str, int]) -> list[StoredPart]:
    found = []
    for name, rows in parts:
        content = part(name, rows)
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(content)
        found.append(StoredPart(path, part_pages(content), section=f"{name} city"))
    return found


@pytest.fixture(scope="module")
def layout():
    """Child processes that lay out the pieces, shared by the module's tests (each starts in
    about a second, importing WeasyPrint)."""
    with LayoutProcesses() as processes:
        yield processes


def assembled(parts: list[StoredPart], layout: LayoutProcesses, **kwargs) -> bytes:
    out = io.BytesIO()
    render_pdf_in_pieces(
        "tests/pieces.html",
        {"title": TITLE},
        out,
        parts=parts,
        running_title=TITLE,
        layout=layout,
        **kwargs,
    )
    return out.getvalue()


def test_pieces_make_one_tagged_pdf_with_headers_and_numbers_over_every_page(
    test_templates, tmp_path, layout
):
    parts = stored(tmp_path, ("Olga", 60), ("Carl", 3))
    assert parts[0].pages > 1
    done = []
    content = assembled(parts, layout, progress=lambda *step: done.append(step))
    assert done == [(1, 2), (2, 2)]

    counted = check_structure(content)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    total = len(pages)
    assert counted["pages"] == total == 1 + parts[0].pages + parts[1].pages + 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {total}" in text, number
        assert TITLE in text, "the running title over every page, quotes and all"
    assert pages[0].startswith(TITLE)
    assert pages[1].startswith("Olga\nDay Hours\nOlga day 0")
    assert "Olga city" in pages[1]  # the part's section in the running header
    assert "Olga city" in pages[parts[0].pages]
    assert pages[1 + parts[0].pages].startswith("Carl")
    assert "Carl city" in pages[1 + parts[0].pages]
    assert pages[-1].startswith("Totals")

    with pikepdf.open(io.BytesIO(content)) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert str(pdf.Root.Lang) == "en"
        numbers = {page.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            [top] = outline.root
            assert top.title == TITLE
            assert [item.title for item in top.children] == ["Ghent", "Olga", "Carl", "Totals"]
            assert numbers[top.children[1].destination[0].objgen] == 1
            assert numbers[top.children[2].destination[0].objgen] == 1 + parts[0].pages


def test_the_same_document_laid_out_whole_reads_the_same(test_templates, tmp_path, layout):
    """The pieces' text is the text of the document laid out whole with its slots
    (render_pdf(parts=...)), page for page, running header and numbers included."""
    from documents.pdf import render_pdf, slots_html

    parts = stored(tmp_path, ("Olga", 40), ("Carl", 3))
    whole = render_pdf(
        "tests/pieces.html",
        {
            "title": TITLE,
            "parts": [slots_html(each.pages, section=each.section) for each in parts],
        },
        parts=[each.path.read_bytes() for each in parts],
    )
    pieces = assembled(parts, layout)

    def texts(content: bytes) -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]

    assert texts(pieces) == texts(whole)


def test_a_piece_whose_headers_do_not_match_its_pages_is_refused(tmp_path):
    one, three = part("Carl", 3), part("Olga", 60)
    assert part_pages(one) != part_pages(three)
    with pytest.raises(ValueError, match="header pages for"):
        Assembler(io.BytesIO()).add(io.BytesIO(three), headers=io.BytesIO(one))


def test_an_untagged_piece_is_refused():
    from weasyprint import HTML

    untagged = HTML(string="<p>Not tagged</p>").write_pdf()
    with pytest.raises(ValueError, match="not tagged"):
        Assembler(io.BytesIO()).add(io.BytesIO(untagged))


def test_a_piece_copied_leaves_nothing_behind_for_the_garbage_collector(monkeypatch):
    """The copier of a piece (every object number it gave) is freed as soon as the piece is
    copied, not at the garbage collector's next full pass: a reference cycle there kept 4 MB a
    city in a process that does little else than assemble (bench/RESULTS.md, fifth round)."""
    import gc
    import weakref

    from documents import pdf_assemble

    copiers = []
    created = pdf_assemble._Copier.__init__

    def recording(self, *args):
        created(self, *args)
        copiers.append(weakref.ref(self))

    monkeypatch.setattr(pdf_assemble._Copier, "__init__", recording)
    assembler = Assembler(io.BytesIO())
    gc.disable()
    try:
        assembler.add(io.BytesIO(part("Olga", 60)))
        assembler.add(io.BytesIO(part("Carl", 3)))
        assert len(copiers) == 2
        assert [copier() for copier in copiers] == [None, None]
    finally:
        gc.enable()
