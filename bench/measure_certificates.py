"""The certificate reader measured over the corpus in tests/certificates/corpus (read as data,
by path, with its truth.json): how many answers are right, how many stated fields are found,
no credits on the documents that give none, and the time per PDF and per OCR document
(``bench/run.py certificates``; docs/certificate-reading.md). No database is needed."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import time
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path

from bench.metrics import Metric

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "certificates" / "corpus"
# Names and titles read by OCR may differ by a character and still be the same.
TEXT_SIMILARITY = 0.9


def _words(text: str) -> str:
    text = re.sub(r"[^a-z0-9 ]+", " ", text.casefold())
    return re.sub(r"\s+", " ", re.sub(r"^\s*the\s+", "", text)).strip()


def right(name: str, read: object, expected: object) -> bool:
    """Whether the value read for field ``name`` is the truth (as stored in truth.json)."""
    if read is None or expected is None:
        return read is None and expected is None
    if name in ("title", "provider"):
        return SequenceMatcher(None, _words(str(read)), _words(str(expected))).ratio() >= (
            TEXT_SIMILARITY
        )
    if name in ("start_date", "end_date"):
        return isinstance(read, dt.date) and read.isoformat() == expected
    if name in ("credits", "patient_safety_credits"):
        return Decimal(str(read)) == Decimal(str(expected))
    return read == expected


def load_truth(corpus: Path = CORPUS) -> list[dict]:
    return json.loads((corpus / "truth.json").read_text())


def score(documents: list[dict], readings: dict[str, dict]) -> dict[str, float | int]:
    """Precision (answers right / answers given), recall (right / stated), credits on negatives."""
    answered = correct = stated = found = negative_credits = 0
    for document in documents:
        fields = readings[document["file"]]
        for name, expected in document["fields"].items():
            read = fields.get(name)
            stated += expected is not None
            if read is not None:
                answered += 1
                good = right(name, read, expected)
                correct += good
                found += good and expected is not None
        if document["negative"] and fields.get("credits") is not None:
            negative_credits += 1
    return {
        "precision": correct / answered if answered else 1.0,
        "recall": found / stated if stated else 1.0,
        "negative_credits": negative_credits,
    }


def measure_certificates(
    corpus: Path = CORPUS, *, only: list[str] | None = None
) -> dict[str, Metric]:
    from certificates import METHOD_OCR, read_certificate

    documents = [d for d in load_truth(corpus) if only is None or d["file"] in only]
    readings: dict[str, dict] = {}
    seconds: dict[str, list[float]] = {"pdf_text": [], "ocr": []}
    for document in documents:
        data = (corpus / document["file"]).read_bytes()
        started = time.perf_counter()
        reading = read_certificate(data)
        elapsed = time.perf_counter() - started
        seconds[METHOD_OCR if reading.method == METHOD_OCR else "pdf_text"].append(elapsed)
        readings[document["file"]] = reading.fields
        wrong = [
            name
            for name, expected in document["fields"].items()
            if not right(name, reading.fields.get(name), expected)
        ]
        if wrong:
            print(
                f"{document['file']}: {', '.join(f'{n}={reading.fields.get(n)!r}' for n in wrong)}"
            )
    figures = score(documents, readings)

    metrics: dict[str, Metric] = {
        "certificate_precision": {
            "value": round(figures["precision"], 3),
            "unit": "ratio",
            "limit": 0.95,
            "at_least": True,
            "measured": f"{len(documents)} documents",
        },
        "certificate_recall": {
            "value": round(figures["recall"], 3),
            "unit": "ratio",
            "limit": 0.85,
            "at_least": True,
        },
        "certificate_negative_credits": {
            "value": figures["negative_credits"],
            "unit": "documents",
            "limit": 0,
        },
    }
    kinds = {"pdf_text": ("pdf", 0.5, "PDFs with text"), "ocr": ("ocr", 6, "photos and scans")}
    for method, (name, limit, what) in kinds.items():
        if seconds[method]:  # a run over part of the corpus may have none of a kind
            metrics[f"certificate_{name}_p50_s"] = {
                "value": round(statistics.median(seconds[method]), 3),
                "unit": "s",
                "limit": limit,
                "measured": f"{len(seconds[method])} {what}",
            }
    return metrics
