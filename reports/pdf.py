"""HTML → PDF bytes with WeasyPrint. No database access in here."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

PDF_STYLESHEET = "css/report-pdf.css"
# Allocations between two young-generation collections while WeasyPrint renders (CPython's
# default is 700). See ``fewer_collections``.
RENDER_GC_THRESHOLD = 100_000


@cache
def pdf_stylesheet() -> CSS:
    """Parsed once per process: the stylesheet has no @font-face, so it needs no font config."""
    return CSS(filename=finders.find(PDF_STYLESHEET))


_renders = 0  # renders under way in this process (threads share the collector's thresholds)
_renders_lock = threading.Lock()
_thresholds_before = gc.get_threshold()  # set again when the first of them starts


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector rarely while a document renders.

    WeasyPrint builds a tree of a few hundred thousand live objects (DOM, styles, boxes) and
    CPython, every 700 allocations, walks the young objects and, as they age, the whole tree
    again: a third of the time of a 1,000-entry report, growing faster than the table
    (``pdf_growth`` in ``make bench``). None of it is garbage before the render ends, so
    the young generation is collected every 100,000 allocations instead; memory stays bounded
    (the collector still runs).

    The thresholds belong to the process: with renders overlapping in threads, the first to
    start raises them, the last to finish puts back what was there before the first.
    """
    global _renders, _thresholds_before
    with _renders_lock:
        if _renders == 0:
            _thresholds_before = gc.get_threshold()
            gc.set_threshold(RENDER_GC_THRESHOLD, *_thresholds_before[1:])
        _renders += 1
    try:
        yield
    finally:
        with _renders_lock:
            _renders -= 1
            if _renders == 0:
                gc.set_threshold(*_thresholds_before)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Render a complete HTML document as a US Letter PDF with embedded (subset) fonts."""
    with fewer_collections():
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[pdf_stylesheet()])
