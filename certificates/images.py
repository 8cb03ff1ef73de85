"""Photos and scans made ready for OCR: opened within a pixel limit, turned upright, lit
evenly and straightened (docs/certificate-reading.md)."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from certificates.model import Unreadable

# A 12-megapixel phone photo is 4000 x 3000; more is refused before it is decoded.
MAX_PIXELS = 40_000_000
# Tesseract reads certificate text well at about 2,000 pixels on the long side.
OCR_LONG_SIDE = 2000
# Photos are rarely held more than a few degrees off straight.
MAX_SKEW_DEGREES = 6.0


def open_image(data: bytes) -> Image.Image:
    """The image in ``data``, upright per its EXIF tag, in greyscale; refused above the pixel
    limit before any pixel is decoded."""
    too_large = "This image is too large to read. Please upload a smaller photo."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # the header only: no pixel decoded yet
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Unreadable(too_large)
            image.load()
    except Unreadable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Unreadable(too_large) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise Unreadable("This image could not be opened. It may be damaged.") from error
    image = ImageOps.exif_transpose(image) or image
    return fit(image.convert("L"))


def fit(image: Image.Image, long_side: int = OCR_LONG_SIDE) -> Image.Image:
    scale = long_side / max(image.size)
    if scale < 1:
        image = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
        )
    return image


def even_lighting(image: Image.Image) -> Image.Image:
    """The page divided by its blurred self: shadows and a lamp's gradient flattened out."""
    small = image.resize((max(1, image.width // 8), max(1, image.height // 8)))
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    background = background.resize(image.size, Image.Resampling.BILINEAR)
    page = np.asarray(image, dtype=np.float32)
    light = np.maximum(np.asarray(background, dtype=np.float32), 1.0)
    flattened = np.clip(page / light * 255.0, 0, 255).astype(np.uint8)
    return ImageOps.autocontrast(Image.fromarray(flattened), cutoff=1)


def sideways(image: Image.Image) -> bool:
    """Whether the lines of text run up and down: rows of ink are sharper turned 90 degrees."""
    ink = _ink(fit(image, 700))
    upright = max(_profile_score(ink, angle) for angle in (-4, -2, 0, 2, 4))
    turned = max(_profile_score(ink, 90 + angle) for angle in (-4, -2, 0, 2, 4))
    return turned > 1.5 * upright


def _ink(image: Image.Image) -> Image.Image:
    return image.point(lambda value: 255 if value < 128 else 0)


def _profile_score(ink: Image.Image, angle: float) -> float:
    turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0))
    rows = turned.sum(axis=1, dtype=np.float64)
    return float(np.var(rows))


def skew_angle(image: Image.Image) -> float:
    """The small angle that makes the lines of text horizontal: the rows of ink are sharpest
    (their sums vary most) when the text is level."""
    ink = _ink(fit(image, 900))
    coarse = max(
        (step / 2 for step in range(int(-MAX_SKEW_DEGREES * 2), int(MAX_SKEW_DEGREES * 2) + 1)),
        key=lambda angle: _profile_score(ink, angle),
    )
    fine = [coarse + step / 10 for step in range(-5, 6)]
    return max(fine, key=lambda angle: _profile_score(ink, angle))


def prepare(image: Image.Image) -> Image.Image:
    """Evenly lit, with its lines of text level (upright or upside down: OCR tells which)."""
    image = even_lighting(image)
    if sideways(image):
        image = image.rotate(90, expand=True, fillcolor=255)
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image
