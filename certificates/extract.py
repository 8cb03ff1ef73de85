"""The text of a certificate: a PDF's own text through PDFium, or OCR by Tesseract of a photo,
a scan or a PDF without text. Nothing from the file is executed: PDFium's form and JavaScript
environment is never started, and neither reader touches the network."""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass

import filetype
import pypdfium2 as pdfium
import pytesseract

from certificates import images
from certificates.model import METHOD_OCR, METHOD_PDF_TEXT, Unreadable

# Tesseract reads a page on one thread: more threads only fight over the cores the web server
# and the workers share, and are slower for it on a busy machine.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

MAX_BYTES = 10 * 1024 * 1024
MAX_PAGES = 3
# Seconds Tesseract may spend on one reading of a page, and on the whole file (the API
# answers within 30 s, docs/api.md).
OCR_TIMEOUT = 20
OCR_TOTAL = 25
# A page scanned at 300 dpi is rendered at most this long on its long side.
RENDER_LONG_SIDE = 3300
RENDER_SCALE = 300 / 72
# Fewer characters than this on a PDF's pages: a scan without a text layer.
MIN_TEXT = 40
PDFIUM = threading.Lock()
KINDS = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}


@dataclass(frozen=True)
class Text:
    """A certificate's text, how it was read, and how clear the OCR was (1.0 for PDF text)."""

    text: str
    method: str
    clarity: float = 1.0


def sniff(data: bytes) -> str:
    """ "pdf" or "image" from the magic bytes (never the name); anything else is refused."""
    if not data:
        raise Unreadable("The file is empty.")
    if len(data) > MAX_BYTES:
        raise Unreadable("The file is larger than 10 MB. Please upload a smaller file.")
    kind = filetype.guess(data)
    if kind is None or kind.mime not in KINDS:
        raise Unreadable("Please upload a PDF, PNG or JPEG file.")
    return KINDS[kind.mime]


TOO_SLOW = "Reading this file took too long. Please type the entry in."


def ocr(image, deadline: float) -> tuple[str, float]:
    """Text of a prepared page, line by line, and the mean confidence of its words (0..1);
    :class:`Unreadable` when the time left before ``deadline`` (``time.monotonic()``) runs out."""
    timeout = min(OCR_TIMEOUT, deadline - time.monotonic())
    if timeout < 1:
        raise Unreadable(TOO_SLOW)
    try:
        data = pytesseract.image_to_data(
            image,
            config="--psm 3 -c tessedit_do_invert=0",
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except RuntimeError as error:  # pytesseract's timeout
        raise Unreadable(TOO_SLOW) from error
    except pytesseract.TesseractError as error:
        raise Unreadable("This image could not be read.") from error
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for index, word in enumerate(data["text"]):
        if not word.strip():
            continue
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        lines.setdefault(key, []).append(word)
        confidences.append(max(0.0, float(data["conf"][index])))
    text = "\n".join(" ".join(words) for words in lines.values())
    clarity = sum(confidences) / len(confidences) / 100 if confidences else 0.0
    return text, clarity


# Below this mean word confidence the page may be upside down: it is read turned round too.
UPSIDE_DOWN_CLARITY = 0.6


def ocr_image(image, deadline: float) -> Text:
    """OCR of a page made level; an unclear reading is tried again turned 180 degrees and the
    clearer of the two kept."""
    page = images.prepare(image)
    text, clarity = ocr(page, deadline)
    if clarity < UPSIDE_DOWN_CLARITY:
        turned_text, turned_clarity = ocr(page.rotate(180), deadline)
        if turned_clarity > clarity:
            text, clarity = turned_text, turned_clarity
    return Text(text, METHOD_OCR, clarity)


def _render(page) -> object:
    width, height = page.get_size()
    scale = min(RENDER_SCALE, RENDER_LONG_SIDE / max(width, height, 1))
    return page.render(scale=scale, grayscale=True).to_pil().convert("L")


def _pdf_text_or_pages(data: bytes) -> str | list:
    """The text of the first pages, or (when they have none) those pages as pictures."""
    try:
        document = pdfium.PdfDocument(data)  # forms and JavaScript stay off: no init_forms()
    except pdfium.PdfiumError as error:
        raise Unreadable("This PDF could not be opened. It may be damaged or protected.") from error
    try:
        pages = [document[number] for number in range(min(len(document), MAX_PAGES))]
        if not pages:
            raise Unreadable("This PDF has no pages.")
        texts = []
        for page in pages:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
        text = "\n".join(texts).replace("\r\n", "\n").replace("\r", "\n")
        if len(re.sub(r"\s+", "", text)) >= MIN_TEXT:
            return text
        return [images.fit(_render(page)) for page in pages]
    except pdfium.PdfiumError as error:
        raise Unreadable("This PDF could not be read. It may be damaged.") from error
    finally:
        document.close()


def read_pdf(data: bytes) -> Text:
    with PDFIUM:  # PDFium is not thread-safe; OCR (the slow part) runs outside the lock
        found = _pdf_text_or_pages(data)
    if isinstance(found, str):
        return Text(found, METHOD_PDF_TEXT)
    deadline = time.monotonic() + OCR_TOTAL
    read = [ocr_image(page, deadline) for page in found]
    clarity = min(part.clarity for part in read)
    return Text("\n".join(part.text for part in read), METHOD_OCR, clarity)


def read_text(data: bytes) -> Text:
    """The text of the certificate in ``data``; :class:`Unreadable` when it cannot be had."""
    if sniff(data) == "pdf":
        return read_pdf(data)
    return ocr_image(images.open_image(data), time.monotonic() + OCR_TOTAL)
