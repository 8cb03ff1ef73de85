"""Photos made ready for OCR: the phone's orientation tag, quarter turns, skew, pixel limit."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from certificates import Unreadable, images

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """The framed attendance certificate of the corpus, as a 100 dpi greyscale picture."""
    document = pdfium.PdfDocument((CORPUS / "classic_1.pdf").read_bytes())
    picture = document[0].render(scale=100 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    return picture


def jpeg(picture: Image.Image, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    picture.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_photo_is_turned_as_the_phone_says(page):
    stored_sideways = page.rotate(90, expand=True)  # how the phone stored it

    opened = images.open_image(jpeg(stored_sideways, orientation=6))

    assert opened.size == page.size
    assert opened.mode == "L"


@pytest.mark.parametrize("tilt", [-4.0, -1.5, 2.5, 5.0])
def test_the_skew_of_a_photo_is_found(page, tilt):
    tilted = page.rotate(tilt, expand=True, fillcolor=255)

    assert images.skew_angle(tilted) == pytest.approx(-tilt, abs=0.4)


def test_a_page_on_its_side_is_noticed(page):
    assert images.sideways(page.rotate(90, expand=True, fillcolor=255))
    assert not images.sideways(page)
    assert not images.sideways(page.rotate(180))


def test_a_large_picture_is_made_the_size_ocr_reads_well(page):
    large = page.resize((page.width * 4, page.height * 4))

    assert max(images.fit(large).size) == images.OCR_LONG_SIDE
    assert images.fit(page).size == page.size  # never enlarged


def test_pictures_over_the_pixel_limit_are_refused_before_decoding():
    over = Image.new("1", (8000, 5001))  # 40,008,000 pixels

    with pytest.raises(Unreadable, match="too large"):
        images.open_image(jpeg(over.convert("L")))


def test_ocr_stops_when_the_time_for_the_file_is_spent(page):
    from certificates import extract

    with pytest.raises(Unreadable, match="took too long"):
        extract.ocr(page, deadline=time.monotonic() + 0.5)
