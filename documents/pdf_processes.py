"""Laying out PDF pieces in child processes of their own.

WeasyPrint's text stack (Pango, HarfBuzz, fontconfig) keeps native memory of every text it has
shaped: a process that lays out a programme's cities one after the other grows by about 0.8 MB
per city, and lays out each city more slowly than the one before (bench/RESULTS.md, issue 19,
fourth round). A document that grows with the programme (``render_pdf_in_pieces``) therefore has
its pieces laid out here: each child process lays out ``PIECES_PER_PROCESS`` pieces and is
replaced by a fresh one, so the memory stays that of a few pieces whatever the number of cities;
and ``processes`` children lay out side by side, so a machine's cores share the work.

The children are plain subprocesses (``python -m documents.pdf_processes``), not a
multiprocessing pool: a Celery prefork worker's processes are daemonic, and multiprocessing
refuses to start children from a daemonic process. Each child reads a request (a JSON line, then
the HTML), lays it out, writes the PDF to the path it was given, and answers with a JSON line
(the page count, or why it failed). It needs no database and no Django set-up: the parent does
the queries and the templates and sends HTML.

A child that fails or dies fails the piece with the reason, and the job that asked says it (the
job runner keeps no half file and offers a retry); ``close`` stops every child. If the parent
dies, its children read the end of their input and stop.
"""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

CODE_ROOT = Path(__file__).resolve().parent.parent
# Pieces a child lays out before a fresh one takes over: at about 0.8 MB of native memory per
# city, 32 cities add some 25 MB to a child, against the 1.5 s a fresh child takes to start.
PIECES_PER_PROCESS = 32
# Pieces waiting per child: each waits as HTML in the parent's memory (a few hundred KB).
WAITING_PER_PROCESS = 2


class LayoutError(Exception):
    """A piece could not be laid out; the message says why, for the person who asked."""


class LayoutProcesses:
    """``processes`` child processes that lay out HTML into PDF files, ``submit`` by
    ``submit``. Use it as a context manager: leaving it stops the children."""

    def __init__(
        self, processes: int | None = None, *, pieces_per_process: int = PIECES_PER_PROCESS
    ) -> None:
        self.processes = max(1, processes or settings.TANDEM_PDF_PROCESSES)
        self.pieces_per_process = max(1, pieces_per_process)
        self.base_url = str(settings.BASE_DIR)
        self.executor = ThreadPoolExecutor(self.processes, thread_name_prefix="pdf-layout")
        self.local = threading.local()
        self.lock = threading.Lock()
        self.children: set[_Child] = set()
        self.started = 0  # children started so far (a test sees the replacements)
        self.room = threading.BoundedSemaphore(self.processes * (1 + WAITING_PER_PROCESS))
        self.closed = False
        self.failure: LayoutError | None = None  # the first piece that failed

    def __enter__(self) -> "LayoutProcesses":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def submit(self, html: str, path: Path, *, part: bool = True) -> "Future[int]":
        """Lay out ``html`` into the file at ``path`` (a part, ``documents.pdf.render_part``,
        or with ``part=False`` a whole document, ``html_to_pdf``); the future gives its page
        count. Waits while enough pieces are waiting already: the HTML waits in memory."""
        if self.failure is not None:
            raise self.failure  # the document cannot be made: stop sending it
        if self.closed:
            raise LayoutError(_("The layout processes are stopped."))
        self.room.acquire()
        try:
            future = self.executor.submit(self._lay_out, html.encode(), Path(path), part)
        except BaseException:
            self.room.release()
            raise
        future.add_done_callback(lambda _future: self.room.release())
        return future

    def close(self) -> None:
        """Stop the children, dropping the pieces not started (an error stops a job)."""
        with self.lock:
            self.closed = True
            children = list(self.children)
        self.executor.shutdown(wait=False, cancel_futures=True)
        for child in children:
            child.stop()
        self.executor.shutdown(wait=True)

    def _lay_out(self, html: bytes, path: Path, part: bool) -> int:
        child = getattr(self.local, "child", None)
        if child is not None and (child.used >= self.pieces_per_process or not child.alive()):
            self._retire(child)
            child = None
        if child is None:
            with self.lock:  # close() stops every child it finds, so none starts after it
                if self.closed:
                    raise LayoutError(_("The layout processes are stopped."))
                child = self.local.child = _Child()
                self.children.add(child)
                self.started += 1
        try:
            return child.lay_out(html, path, part=part, base_url=self.base_url)
        except LayoutError as error:
            self.failure = self.failure or error
            raise

    def _retire(self, child: "_Child") -> None:
        child.stop()
        with self.lock:
            self.children.discard(child)
        self.local.child = None


class _Child:
    """One child process and its pipes; used by one thread at a time."""

    command = (sys.executable, "-m", "documents.pdf_processes")

    def __init__(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=CODE_ROOT,  # where this module's package is: the child runs the same code
        )
        self.used = 0

    def alive(self) -> bool:
        return self.process.poll() is None

    def lay_out(self, html: bytes, path: Path, *, part: bool, base_url: str) -> int:
        self.used += 1
        request = {"path": str(path), "part": part, "base_url": base_url, "size": len(html)}
        stdin, stdout = self.process.stdin, self.process.stdout
        if stdin is None or stdout is None:
            raise LayoutError(_("The layout process has no pipes."))
        try:
            stdin.write(json.dumps(request).encode() + b"\n")
            stdin.write(html)
            stdin.flush()
            line = stdout.readline()
        except (BrokenPipeError, ValueError):  # the child died, or was stopped by close()
            line = b""
        if not line:
            status = self._ended()
            raise LayoutError(
                _(
                    "The process laying out the PDF stopped before it finished "
                    "(exit status %(status)s)."
                )
                % {"status": status}
            )
        answer = json.loads(line)
        if "error" in answer:
            raise LayoutError(_("A part of the PDF could not be laid out: %(error)s") % answer)
        return int(answer["pages"])

    def _ended(self) -> Any:
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def stop(self) -> None:
        """Close its input (it then ends by itself); kill it if it does not within 5 s. Its
        output is closed last: a thread may be reading it, and closing waits for that read,
        which ends only when the child answers or ends."""
        with suppress(OSError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with suppress(OSError):
            if self.process.stdout is not None:
                self.process.stdout.close()


# The child ------------------------------------------------------------------------------------


def serve(requests: BinaryIO, answers: BinaryIO, lay_out: Callable[..., bytes]) -> None:
    """Answer each request until the input ends. ``lay_out(html, part=, base_url=)`` gives the
    PDF; it is written beside its path and renamed into place, so a piece is whole or absent."""
    while header := requests.readline():
        request = json.loads(header)
        html = requests.read(request["size"]).decode()
        path = Path(request["path"])
        try:
            content = lay_out(html, part=request["part"], base_url=request["base_url"])
            partial = path.with_name(path.name + ".partial")
            partial.write_bytes(content)
            partial.replace(path)
            answer: dict[str, Any] = {"pages": _pages(content)}
        except Exception as error:  # the parent fails the piece with the reason
            answer = {"error": f"{type(error).__name__}: {error}"}
        answers.write(json.dumps(answer).encode() + b"\n")
        answers.flush()


def _pages(content: bytes) -> int:
    from .pdf import part_pages

    return part_pages(content)


def _lay_out(html: str, *, part: bool, base_url: str) -> bytes:
    from .pdf import html_to_pdf, render_part

    if part:
        return render_part(html, base_url=base_url)
    return html_to_pdf(html, base_url=base_url)


def main() -> None:
    # The answers keep the standard output to themselves: whatever a library prints goes to
    # the standard error, which the parent's log receives.
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.stdin.buffer, answers, _lay_out)


if __name__ == "__main__":
    main()
