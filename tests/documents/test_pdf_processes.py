"""documents.pdf_processes: pieces of a PDF laid out by child processes of their own, replaced
after a number of pieces; a child that fails or dies fails its piece with the reason.

The children are real processes (``python -m documents.pdf_processes``); each starts in about a
second (it imports WeasyPrint), so the tests share children where they can."""

import io
import json
import sys

import pytest
from pypdf import PdfReader

from documents import pdf_processes
from documents.pdf import render_part
from documents.pdf_processes import LayoutError, LayoutProcesses, serve
from tests.documents.test_pdf_parts import PAGE
from tests.pdf_structure import check_structure


def html(title: str, rows: int) -> str:
    body = "".join(f"<tr><td>{title} day {n}</td><td>{n}</td></tr>" for n in range(rows))
    return (
        f'<html lang="en"><head><title>{title}</title><style>{PAGE % ""}</style></head><body>'
        f'<h3>{title}</h3><table><thead><tr><th scope="col">Day</th><th scope="col">Hours</th>'
        f"</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_children_lay_out_side_by_side_and_are_replaced_after_their_share(tmp_path):
    pieces = [(f"City {n}", 10 + 40 * n) for n in range(5)]
    with LayoutProcesses(2, pieces_per_process=2) as layout:
        futures = [
            layout.submit(html(title, rows), tmp_path / f"{n}.pdf")
            for n, (title, rows) in enumerate(pieces)
        ]
        pages = [future.result() for future in futures]
        # Two children take the first pieces; each is replaced after its second.
        assert 3 <= layout.started <= 4
        children = [child.process for child in layout.children]
    assert all(process.returncode is not None for process in children), "stopped on leaving"

    for n, (title, rows) in enumerate(pieces):
        content = (tmp_path / f"{n}.pdf").read_bytes()
        # The same part as laid out here, tagged over every page.
        assert texts(content) == texts(render_part(html(title, rows)))
        assert check_structure(content)["pages"] == pages[n]
    assert pages[0] == 1 < pages[-1]
    assert not list(tmp_path.glob("*.partial")), "no half file"


def test_a_whole_document_is_laid_out_as_it_is(tmp_path):
    with LayoutProcesses(1) as layout:
        pages = layout.submit(html("Ghent", 3), tmp_path / "whole.pdf", part=False).result()
    assert pages == 1
    assert texts((tmp_path / "whole.pdf").read_bytes())[0].startswith("Ghent\nDay Hours")


def test_a_child_that_died_while_idle_is_replaced(tmp_path):
    with LayoutProcesses(1) as layout:
        assert layout.submit(html("Ghent", 1), tmp_path / "a.pdf").result() == 1
        [child] = layout.children
        child.process.kill()
        child.process.wait()
        assert layout.submit(html("Ghent", 1), tmp_path / "b.pdf").result() == 1
        assert layout.started == 2


def test_a_child_that_dies_on_a_piece_fails_it_and_says_why(tmp_path, monkeypatch):
    # A child that reads its request and stops, as one killed for its memory would.
    monkeypatch.setattr(
        pdf_processes._Child,
        "command",
        (sys.executable, "-c", "import sys; sys.stdin.readline(); sys.exit(3)"),
    )
    with LayoutProcesses(1) as layout:
        future = layout.submit(html("Ghent", 1), tmp_path / "a.pdf")
        with pytest.raises(LayoutError, match=r"stopped before it finished \(exit status 3\)"):
            future.result()
        # The document cannot be made: the next piece is refused rather than sent to a new child.
        with pytest.raises(LayoutError, match=r"exit status 3"):
            layout.submit(html("Ghent", 1), tmp_path / "b.pdf")
        assert layout.started == 1
    assert not (tmp_path / "a.pdf").exists()


def test_closing_drops_the_waiting_pieces_and_refuses_new_ones(tmp_path):
    layout = LayoutProcesses(1)
    futures = [layout.submit(html(f"City {n}", 200), tmp_path / f"{n}.pdf") for n in range(3)]
    layout.close()
    assert any(future.cancelled() for future in futures[1:])
    assert not layout.children or all(c.process.returncode is not None for c in layout.children)
    with pytest.raises(LayoutError, match="stopped"):
        layout.submit(html("Ghent", 1), tmp_path / "late.pdf")


def test_the_child_answers_each_request_and_keeps_no_half_file(tmp_path, monkeypatch):
    """The child's loop (pure: requests in, answers out): a failing layout is answered with its
    reason and leaves no file; the next request is still served."""

    def lay_out(text, *, part, base_url):
        if "broken" in text:
            raise ValueError("no room on the page")
        return b"%PDF " + text.encode()

    def request(name: str, text: str) -> bytes:
        data = text.encode()
        header = {"path": str(tmp_path / name), "part": True, "base_url": "/", "size": len(data)}
        return json.dumps(header).encode() + b"\n" + data

    requests = io.BytesIO(request("bad.pdf", "broken") + request("good.pdf", "fine"))
    answers = io.BytesIO()
    monkeypatch.setattr(pdf_processes, "_pages", len)
    serve(requests, answers, lay_out)
    first, second = [json.loads(line) for line in answers.getvalue().splitlines()]
    assert first == {"error": "ValueError: no room on the page"}
    assert second == {"pages": len(b"%PDF fine")}
    assert not (tmp_path / "bad.pdf").exists()
    assert (tmp_path / "good.pdf").read_bytes() == b"%PDF fine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.pdf"]
