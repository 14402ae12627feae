"""One ``reportgen generate``: the Word file and the PDF written in a process of their own.

A one-off command spends most of its time importing: openpyxl to read the workbook, Jinja2 to write the
narrative, python-docx (with reportlab for its text widths) and reportlab for the PDF.  On Linux with two
cores or more, a writing process is forked at the command's start, before this one imports anything heavy;
it imports the writers' libraries and loads the fonts while this process reads the workbook and builds the
document, then, given the document, writes each format and reads it back
(:func:`reportgen.readback.read_back.write_checked`) while this process writes the figures files.  This
process never imports python-docx, reportlab or PDFium.  One process for both formats, not one each: a second
would import reportlab and load the fonts again on the same spare core, and the command took longer (median
of 12 interleaved runs: 0.50 s with one, 0.54 s with two, 0.56 s with the Word file written here;
bench/RESULTS.md, eighth pass).

Elsewhere (Windows and macOS start processes by spawning, which imports everything again; one core) there
is no such process, and everything is written in this process.  A batch, whose workers keep every core
busy already, writes both formats in each worker.  Errors come back through the futures: reportgen's with
their words, any other with the other process's traceback as its cause (``--debug`` shows it).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from reportgen.readback.read_back import load_pdfium
from reportgen.writers import get_writer

PARENT_CHECK_SECONDS = 0.5


@contextmanager
def writing_process(formats: tuple[str, ...]) -> Iterator[dict[str, Executor]]:
    """The process that writes ``formats``, forked now (each format → that process's executor); none where
    forking is not how processes start, or with one core."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        yield {}
        return
    pool = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"), initializer=_start_writer, initargs=(os.getpid(),)
    )
    try:
        pool.submit(warm_writing, formats)  # forks now; a failure here shows again, with its words, at a file
        yield dict.fromkeys(formats, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_writer(parent_pid: int) -> None:
    """The writing process ends quietly with the command: a signal (Ctrl+C, a service stopping) ends it
    without the command's own handling, which would print a traceback from here; and once the command is
    gone (killed), it leaves instead of waiting for work forever, as an idle pool worker would."""
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="reportgen-parent-watch", daemon=True).start()


def warm_writing(formats: tuple[str, ...]) -> None:
    """What writing and reading back ``formats`` need before there is a document: the writers' libraries, and
    the registered fonts (the body's family, for the PDF and for the Word writer's text widths; the charts'
    faces for the PDF: reading a TrueType file costs about 25 ms, which the first chart would otherwise pay
    while the command waits); PDFium for reading a PDF back."""
    from reportgen.typeface.bundled import sans_path
    from reportgen.typeface.report_font import pdf_font_family, registered_face

    for fmt in formats:
        get_writer(fmt)
    pdf_font_family()
    if "pdf" in formats:
        for bold in (False, True):
            registered_face(sans_path(bold))
        load_pdfium()


__all__ = ["PARENT_CHECK_SECONDS", "warm_writing", "writing_process"]
