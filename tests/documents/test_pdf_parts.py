"""documents.pdf: a document put together from parts laid out apart is one tagged PDF."""

import io

import pytest
from pypdf import PdfReader

from documents.pdf import (
    document_to_pdf,
    html_to_document,
    merge_parts,
    render_part,
    slot_pages,
    slots_html,
)
from tests.pdf_structure import check_structure

PAGE = "@page { size: A4; margin: 22mm 16mm; %s }"
MARGINS = (
    "@top-right { content: string(section); } "
    '@bottom-right { content: "Page " counter(page) " / " counter(pages); }'
)
STYLE = "h2 { string-set: section content(); } .pdf-slot { break-before: page; break-after: page; }"


def part(title: str, rows: int) -> bytes:
    body = "".join(f"<tr><td>{title} day {n}</td><td>{n}</td></tr>" for n in range(rows))
    return render_part(
        f'<html lang="en"><head><title>{title}</title><style>{PAGE % ""}</style></head><body>'
        f'<h3>{title}</h3><table><thead><tr><th scope="col">Day</th><th scope="col">Hours</th>'
        f"</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def document(slots: str) -> str:
    return (
        f'<html lang="en"><head><title>Report</title><style>{PAGE % MARGINS} {STYLE}</style>'
        f"</head><body><h1>Report</h1><h2>Ghent</h2><p>Before the parts.</p>{slots}"
        f'<h2>Totals</h2><table><tr><th scope="row">Hours</th><td>12</td></tr></table>'
        "</body></html>"
    )


def test_parts_take_their_slots_in_one_structure_tree_with_numbered_pages():
    long, short = part("Olga", 60), part("Carl", 3)
    counts = [len(PdfReader(io.BytesIO(p)).pages) for p in (long, short)]
    assert counts[0] > 1
    laid_out = html_to_document(document(slots_html(counts[0]) + slots_html(counts[1])))
    slots = slot_pages(laid_out)
    assert len(slots) == sum(counts)
    merged = merge_parts(document_to_pdf(laid_out), slots, [long, short])

    counted = check_structure(merged)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(merged)).pages]
    assert counted["pages"] == len(pages) == sum(counts) + 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} / {len(pages)}" in text
    assert pages[1].startswith("Olga\nDay Hours\nOlga day 0")
    assert "Ghent" in pages[1]  # the running header of the slot, over the part's page
    assert pages[1 + counts[0]].startswith("Carl")
    assert pages[-1].startswith("Totals")


def test_a_slot_sharing_its_page_with_content_is_refused():
    short = part("Carl", 3)
    laid_out = html_to_document(document(slots_html(1)))
    pages = slot_pages(laid_out)
    content = document_to_pdf(laid_out)
    # The totals' page taken for a slot: its content would be lost.
    with pytest.raises(ValueError, match="shares its page"):
        merge_parts(content, [pages[0] + 1], [short])
    with pytest.raises(ValueError, match="slot pages for"):
        merge_parts(content, pages, [short, short])
