"""The reader on real files: the corpus against its ground truth, and the files it refuses."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from weasyprint import HTML

from bench.measure_certificates import load_truth, right
from certificates import (
    FIELDS,
    METHOD_OCR,
    METHOD_PDF_TEXT,
    OCR_CEILING,
    Unreadable,
    read_certificate,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
TRUTH = {document["file"]: document for document in load_truth(CORPUS)}
TEXT_PDFS = sorted(name for name, document in TRUTH.items() if document["kind"] == "pdf_text")
# A few of the OCR documents (each takes seconds): a phone photo, a page scanned upside down,
# a scanner's PDF without text, a flatbed scan. The bench reads all of them.
OCR_DOCUMENTS = [
    "classic_1_photo.jpg",
    "classic_1_rot180.png",
    "joint_2_scanned.pdf",
    "self_claim_1_scan.png",
]


def check(name: str, method: str) -> None:
    reading = read_certificate((CORPUS / name).read_bytes())
    truth = TRUTH[name]["fields"]

    wrong = {
        field: (reading.fields[field], truth[field])
        for field in FIELDS
        if not right(field, reading.fields[field], truth[field])
    }
    assert wrong == {}
    assert reading.method == method
    assert set(reading.confidence) == set(reading.found)
    # OCR is never as sure as a PDF's own text.
    ceiling = OCR_CEILING if method == METHOD_OCR else 1.0
    assert all(0 < value <= ceiling for value in reading.confidence.values())
    if method == METHOD_PDF_TEXT and reading.fields["credits"] is not None:
        assert reading.confidence["credits"] > OCR_CEILING


def test_the_corpus_has_the_documents_and_layouts_it_promises():
    layouts = {document["layout"] for document in TRUTH.values()}
    kinds = {document["kind"] for document in TRUTH.values()}

    assert len(TRUTH) >= 40 and len(layouts) >= 8
    assert {"pdf_text", "photo", "scan", "image_pdf", "rot90", "rot180"} <= kinds
    assert all((CORPUS / name).exists() for name in TRUTH)


@pytest.mark.parametrize("name", TEXT_PDFS)
def test_every_text_pdf_of_the_corpus_is_read_right(name):
    check(name, METHOD_PDF_TEXT)


@pytest.mark.parametrize("name", OCR_DOCUMENTS)
def test_photos_and_scans_are_read_right(name):
    check(name, METHOD_OCR)


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = b"IHDR" + struct.pack(">II", width, height) + bytes(data[24:29])
    data[12:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(header))
    return bytes(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"Dear Dr. Roe, thank you for attending.", "PDF, PNG or JPEG"),
        (b"GIF89a" + b"\x00" * 100, "PDF, PNG or JPEG"),
        (b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024), "10 MB"),
        (png_claiming(30000, 30000), "too large"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not be opened"),
    ],
    ids=["empty", "text", "gif", "over 10 MB", "pixel bomb", "damaged png"],
)
def test_files_that_cannot_be_read_are_refused_in_plain_words(data, message):
    with pytest.raises(Unreadable, match=message):
        read_certificate(data)


def test_a_truncated_pdf_is_refused():
    data = (CORPUS / "classic_1.pdf").read_bytes()

    with pytest.raises(Unreadable, match="PDF"):
        read_certificate(data[:400])


def test_only_the_first_pages_are_read():
    """Credits stated on page 4 of a long PDF are not read: at most 3 pages are."""
    pages = "".join(f"<p style='break-after: page'>Certificate page {n}</p>" for n in range(3))
    statement = (
        "The Plastic Surgery Foundation is accredited by the ACCME to provide continuing medical "
        "education for physicians. It designates this live activity for a maximum of 2.00 "
        "AMA PRA Category 1 Credits™."
    )
    short = HTML(string=f"<p>{statement}</p>").write_pdf()
    long = HTML(string=f"{pages}<p>{statement}</p>").write_pdf()

    assert read_certificate(short).fields["credits"] is not None
    assert read_certificate(long).fields["credits"] is None


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(CORPUS / "classic_1.pdf").pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)

    with pytest.raises(Unreadable, match="damaged or protected"):
        read_certificate(out.getvalue())
