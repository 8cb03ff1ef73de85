"""Generate the certificate corpus: ``python tests/certificates/make_corpus.py``.

Writes tests/certificates/corpus/ (the documents and truth.json). Text PDFs come from HTML
(tests/certificates/layouts.py) through WeasyPrint; scans, phone photos, image-only PDFs and
turned pages are those PDFs rendered by PDFium and degraded with PIL, from fixed seeds, so a
run gives the same files. The documents are committed; rerun only to change the corpus.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from weasyprint import HTML

sys.path.insert(0, str(Path(__file__).resolve().parent))

from layouts import LAYOUTS, NEGATIVE

CORPUS = Path(__file__).resolve().parent / "corpus"

PROVIDERS = [
    "American Society of Plastic Surgeons",
    "Plastic Surgery Foundation",
    "Northwestern University Feinberg School of Medicine",
    "Aesthetic Surgery Education and Research Foundation",
]
TITLES = [
    "Aesthetic Breast Surgery Symposium 2025",
    "Advances in Microsurgical Reconstruction",
    "Rhinoplasty: Form and Function",
    "Safe Office-Based Anesthesia",
    "Hand Surgery Update",
    "Body Contouring After Massive Weight Loss",
    "Cleft and Craniofacial Care Today",
    "Managing Complications in Facial Rejuvenation",
    "Lymphedema Surgery Workshop",
    "Wound Healing and Scar Management",
]
PHYSICIANS = ["Jane Roe, MD", "Marcus Lee, MD", "Priya Raman, MD", "Daniel Ortiz, MD"]
CITIES = ["Dallas, Texas", "Chicago, Illinois", "Boston, Massachusetts", "Denver, Colorado"]
MONTHS = "January February March April May June July August September October November December"


def month(number: int) -> str:
    return MONTHS.split()[number - 1]


def date_text(style: str, start: dt.date, end: dt.date) -> str:
    """The activity's dates written in one of the ways certificates write them."""
    if style == "range_us":
        if start.month == end.month:
            return f"{month(start.month)} {start.day}–{end.day}, {end.year}"
        return f"{month(start.month)} {start.day} – {month(end.month)} {end.day}, {end.year}"
    if style == "range_eu":
        if start.month == end.month:
            return f"{start.day}–{end.day} {month(end.month)} {end.year}"
        return f"{start.day} {month(start.month)} – {end.day} {month(end.month)} {end.year}"
    if style == "slashes":
        return f"{start:%m/%d/%Y} - {end:%m/%d/%Y}"
    if style == "iso":
        return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"
    if style == "weekday":
        return f"{start:%A}, {month(start.month)} {start.day}, {start.year}"
    return f"{month(start.month)} {start.day}, {start.year}"  # "long"


# layout: (date style, days the activity lasts, renderings beyond the text PDF)
PLAN = {
    "classic": [
        ("range_us", 4, ["photo", "rot180"]),
        ("range_us", 3, ["scan"]),
        ("slashes", 2, []),
    ],
    "online": [("long", 1, ["photo"]), ("long", 1, ["image_pdf"]), ("long", 1, [])],
    "journal": [("iso", 1, ["scan"]), ("iso", 1, []), ("iso", 1, [])],
    "state_society": [
        ("range_eu", 3, ["photo", "rot90"]),
        ("range_eu", 2, []),
        ("range_us", 3, []),
    ],
    "joint": [("range_us", 3, ["photo"]), ("range_us", 2, ["image_pdf"]), ("slashes", 4, [])],
    "letter": [("weekday", 1, ["photo", "rot90"]), ("slashes", 3, []), ("weekday", 1, [])],
    "self_claim": [("slashes", 4, ["scan"]), ("long", 1, []), ("iso", 1, [])],
    "distractors": [("range_us", 3, ["photo"]), ("long", 1, []), ("range_eu", 2, [])],
    "non_physician": [("range_us", 3, ["image_pdf"]), ("long", 1, [])],
    "moc_only": [("long", 1, [])],
    "transcript": [("long", 1, [])],
    "invoice": [("long", 1, [])],
    "state_form": [("long", 1, [])],
}


def activity(rng: random.Random, number: int, style: str, days: int) -> dict:
    start = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(330))
    if style == "range_us" and number % 4 == 1:  # across two months
        start = dt.date(2025, 1, 30)
    end = start + dt.timedelta(days=days - 1)
    maximum = Decimal(rng.randrange(4, 100)) / 4
    claimed = min(maximum, Decimal(rng.randrange(4, 100)) / 4)
    safety = min(claimed, Decimal(rng.randrange(1, 9)) / 2)
    provider = PROVIDERS[number % len(PROVIDERS)]
    return {
        "title": TITLES[number % len(TITLES)],
        "provider": provider,
        "partner": "Midwest Surgical Education Partners",
        "state": rng.choice(["Texas", "Illinois", "Ohio"]),
        "physician": PHYSICIANS[number % len(PHYSICIANS)],
        "nurse": "Alex Morgan, RN",
        "city": CITIES[number % len(CITIES)],
        "hospital": "Lakeside Memorial Hospital",
        "start": start,
        "end": end,
        "dates_text": date_text(style, start, end),
        "release": f"{month(1)} 1, 2024",
        "expires": f"{month(12)} 31, 2026",
        "letter_date": f"{month(12)} 15, 2025",
        "printed": "2025-12-20",
        "maximum": f"{maximum:.2f}",
        "claimed": f"{claimed:.2f}",
        "safety": f"{safety:.2f}",
        "moc": rng.randrange(5, 30),
        "ethics": rng.randrange(1, 4),
        "nursing": f"{rng.randrange(2, 12)}.0",
        "pharmacy": f"{rng.randrange(2, 12)}.0",
        "rows": [(TITLES[i], f"2025-0{i + 1}-1{i}", f"{i + 2}.50") for i in range(3)],
        "total": "40.50",
    }


def render(pdf: bytes, dpi: int) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    document.close()
    return image


def scan(pdf: bytes, rng: random.Random) -> Image.Image:
    """A flatbed scan: 200 dpi, a slight tilt, speckles, black and white."""
    image = render(pdf, 200).rotate(rng.uniform(-1.2, 1.2), fillcolor=255, expand=True)
    pixels = np.asarray(image, dtype=np.int16)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 18, pixels.shape)
    return (
        Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
        .point(lambda value: 255 if value > 150 else 0)
        .convert("1")
    )


def photo(pdf: bytes, rng: random.Random) -> Image.Image:
    """A phone photo: on a desk, tilted a few degrees, a little keystoned, blurred, noisy,
    lit from one side, saved as JPEG."""
    page = render(pdf, 170).convert("RGB")
    desk = Image.new("RGB", (int(page.width * 1.12), int(page.height * 1.1)), (96, 84, 70))
    desk.paste(page, ((desk.width - page.width) // 2, (desk.height - page.height) // 2))
    angle = rng.choice([-1, 1]) * rng.uniform(2.0, 4.5)
    desk = desk.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(96, 84, 70))
    w, h = desk.size
    inset = int(w * rng.uniform(0.01, 0.03))
    desk = desk.transform(
        desk.size,
        Image.Transform.QUAD,
        (inset, 0, 0, h, w, h, w - inset, 0),
        resample=Image.Resampling.BICUBIC,
    )
    desk = desk.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.1)))
    pixels = np.asarray(desk, dtype=np.float32)
    light = np.linspace(rng.uniform(0.55, 0.7), 1.0, w, dtype=np.float32)
    if rng.random() < 0.5:
        light = light[::-1]
    pixels *= light[None, :, None]
    pixels += np.random.default_rng(rng.randrange(1 << 30)).normal(0, 7, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def image_pdf(pdf: bytes, rng: random.Random) -> bytes:
    """A scanner's PDF: the page as a picture, no text layer."""
    out = io.BytesIO()
    scan(pdf, rng).save(out, "PDF", resolution=200)
    return out.getvalue()


def save_image(image: Image.Image, path: Path) -> None:
    if image.mode == "1" or path.suffix == ".png":
        image.save(path, optimize=True)
    else:
        image.save(path, quality=72, optimize=True)


def as_json(fields: dict) -> dict:
    def value(item):
        if isinstance(item, dt.date):
            return item.isoformat()
        if isinstance(item, Decimal):
            return str(item)
        return item

    return {name: value(item) for name, item in fields.items()}


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    rng = random.Random(20260420)
    truth = []
    number = 0
    for layout, plans in PLAN.items():
        for index, (style, days, renderings) in enumerate(plans):
            a = activity(rng, number, style, days)
            number += 1
            html, fields = LAYOUTS[layout](a)
            fields = as_json(
                {k: (Decimal(v) if k.endswith("credits") and v else v) for k, v in fields.items()}
            )
            pdf = HTML(string=html).write_pdf()
            name = f"{layout}_{index + 1}"
            (CORPUS / f"{name}.pdf").write_bytes(pdf)
            negative = layout in NEGATIVE
            entry = {"layout": layout, "negative": negative, "fields": fields}
            truth.append({"file": f"{name}.pdf", "kind": "pdf_text", **entry})
            for rendering in renderings:
                if rendering == "photo":
                    path = CORPUS / f"{name}_photo.jpg"
                    save_image(photo(pdf, rng), path)
                elif rendering == "scan":
                    path = CORPUS / f"{name}_scan.png"
                    save_image(scan(pdf, rng), path)
                elif rendering == "image_pdf":
                    path = CORPUS / f"{name}_scanned.pdf"
                    path.write_bytes(image_pdf(pdf, rng))
                else:  # rot90, rot180: a page scanned sideways or upside down
                    turn = 90 if rendering == "rot90" else 180
                    path = CORPUS / f"{name}_{rendering}.png"
                    save_image(scan(pdf, rng).rotate(turn, expand=True), path)
                truth.append({"file": path.name, "kind": rendering, **entry})
    (CORPUS / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    size = sum(path.stat().st_size for path in CORPUS.iterdir())
    print(f"{len(truth)} documents, {size / 1e6:.1f} MB in {CORPUS}")


if __name__ == "__main__":
    main()
