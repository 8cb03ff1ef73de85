"""HTML → PDF bytes with WeasyPrint. No database access in here."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

PDF_STYLESHEET = "css/report-pdf.css"


@cache
def pdf_stylesheet() -> CSS:
    """Parsed once per process: the stylesheet has no @font-face, so it needs no font config."""
    return CSS(filename=finders.find(PDF_STYLESHEET))


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """Render a complete HTML document as a US Letter PDF with embedded (subset) fonts."""
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[pdf_stylesheet()])
