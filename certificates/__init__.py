"""Reading a CME certificate: the text of a PDF, or OCR of a photo or scan, turned into the
fields of a credit entry, each with a confidence. Pure Python plus the readers (pypdfium2,
Tesseract): no Django, no database, no network (docs/certificate-reading.md).

The one entry point is :func:`read_certificate`; the web page, the API and the Celery task all
call it through ``credits.certificate_reading``. The parts: ``extract`` (file type, limits, PDF
text, OCR), ``images`` (pixel limit, orientation, lighting, skew), ``parse`` (the fields from
the text), ``dates`` and ``amounts``.
"""

from __future__ import annotations

from certificates.model import FIELDS, METHOD_OCR, METHOD_PDF_TEXT, Reading, Unreadable

# OCR is less sure than a PDF's own text: its confidences are scaled down by how clearly
# Tesseract saw the words, and never above this.
OCR_CEILING = 0.85


def read_certificate(data: bytes) -> Reading:
    """Read the certificate in ``data`` (PDF, PNG or JPEG bytes).

    Raises :class:`Unreadable` for an unsupported, damaged or oversized file.
    """
    from certificates.extract import read_text
    from certificates.parse import parse_text

    text = read_text(data)
    parsed = parse_text(text.text)
    fields = dict.fromkeys(FIELDS)
    fields.update(parsed.fields)
    confidence = dict(parsed.confidence)
    if text.method == METHOD_OCR:
        factor = OCR_CEILING * min(1.0, max(0.3, text.clarity))
        confidence = {name: round(value * factor, 2) for name, value in confidence.items()}
    return Reading(fields=fields, confidence=confidence, method=text.method)


__all__ = [
    "FIELDS",
    "METHOD_OCR",
    "METHOD_PDF_TEXT",
    "OCR_CEILING",
    "Reading",
    "Unreadable",
    "read_certificate",
]
