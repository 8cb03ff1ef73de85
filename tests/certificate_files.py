"""Certificates made on the spot for the Submit CME and API tests: a text PDF rendered by
WeasyPrint, and a phone-style photo of it (rasterised, slightly turned, JPEG)."""

from __future__ import annotations

import io
from html import escape

import pypdfium2
from PIL import Image, ImageFilter
from weasyprint import HTML

TITLE = "Advances in Breast Reconstruction"
PROVIDER = "Northfield University School of Medicine"


def certificate_html(
    *,
    title: str = TITLE,
    provider: str = PROVIDER,
    dates: str = "March 3–6, 2025",
    maximum: str = "21.25",
    claimed: str = "12.50",
    patient_safety: str = "4.00",
) -> str:
    return f"""<html><body style="font-family: DejaVu Sans; font-size: 15pt; margin: 2cm">
    <h1 style="text-align:center">Certificate of Attendance</h1>
    <p style="text-align:center">This certifies that</p>
    <p style="text-align:center; font-size: 20pt">Jane Q. Surgeon, MD</p>
    <p style="text-align:center">attended</p>
    <p style="text-align:center; font-size: 18pt"><strong>{escape(title)}</strong></p>
    <p style="text-align:center">{escape(dates)} · Chicago, Illinois</p>
    <p>{escape(provider)} is accredited by the Accreditation Council for Continuing Medical
    Education (ACCME) to provide continuing medical education for physicians.</p>
    <p>{escape(provider)} designates this live activity for a maximum of {maximum}
    AMA PRA Category 1 Credits™. Physicians should claim only the credit commensurate with
    the extent of their participation in the activity.</p>
    <p>The physician named above has claimed {claimed} AMA PRA Category 1 Credits™,
    of which {patient_safety} are patient safety.</p>
    </body></html>"""


def certificate_pdf(**kwargs: str) -> bytes:
    return HTML(string=certificate_html(**kwargs)).write_pdf()


def certificate_photo(**kwargs: str) -> bytes:
    """The certificate as a phone would photograph it: 200 dpi, turned 2°, softened, JPEG."""
    pdf = pypdfium2.PdfDocument(certificate_pdf(**kwargs))
    image = pdf[0].render(scale=200 / 72).to_pil().convert("L")
    image = image.rotate(2, expand=True, fillcolor=235).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    Image.Image.save(image, out, format="JPEG", quality=80)
    return out.getvalue()
