"""What the reader answers: a :class:`Reading`, or :class:`Unreadable` with a plain message."""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = (
    "title",
    "provider",
    "start_date",
    "end_date",
    "credits",
    "category",
    "patient_safety_credits",
)
METHOD_PDF_TEXT = "pdf_text"
METHOD_OCR = "ocr"


class Unreadable(ValueError):
    """The file is not a certificate we can read (wrong type, damaged, too large, too slow).

    The message is plain language for the member, shown next to the file field."""


@dataclass(frozen=True)
class Reading:
    """What a certificate states. A field the document does not state is None (never guessed).

    ``fields``: title (str), provider (str), start_date / end_date (datetime.date),
    credits / patient_safety_credits (Decimal), category (1 or 2, the AMA PRA category).
    ``confidence``: for each field found, 0.0–1.0. ``method``: "pdf_text" or "ocr".
    """

    fields: dict[str, object] = field(default_factory=lambda: dict.fromkeys(FIELDS))
    confidence: dict[str, float] = field(default_factory=dict)
    method: str = METHOD_PDF_TEXT

    @property
    def found(self) -> list[str]:
        return [name for name in FIELDS if self.fields.get(name) not in (None, "")]
