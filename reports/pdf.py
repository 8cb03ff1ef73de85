"""HTML → PDF bytes with WeasyPrint. No database access in here."""

from __future__ import annotations

import gc
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


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cycle collector rarely while a document renders.

    WeasyPrint builds a tree of a few hundred thousand live objects (DOM, styles, boxes) and
    CPython, every 700 allocations, walks the young objects and, as they age, the whole tree
    again: a third of the time of a 1,000-entry report, growing faster than the table
    (``pdf_growth`` in ``make bench``). None of it is garbage before the render ends, so
    the young generation is collected every 100,000 allocations instead; memory stays bounded
    (the collector still runs) and the thresholds are restored afterwards.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(RENDER_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Render a complete HTML document as a US Letter PDF with embedded (subset) fonts."""
    with fewer_collections():
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[pdf_stylesheet()])
