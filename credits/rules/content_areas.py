"""Credits by content area: what a member's counted activities covered (``docs/rules.md`` §3,
"Content areas").

The content areas are those of the ASPS Education Program's mission (:class:`ContentArea`);
an entry may record none, one or several. They are not a requirement: nothing here is judged,
only added up.

- An entry counts its credits (all of them, Category 1 and 2) in **each** area it records: a
  course on breast reconstruction with microsurgery counts in both "Breast" and
  "Microsurgery", so the areas add up to more than the total.
- An entry that records no area (or only codes that are not content areas) counts under
  **Not recorded**.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from credits.rules.amounts import ZERO_CREDITS, quantize_credits
from credits.rules.enums import ContentArea

NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = "Not recorded"
AREA_CODES = (*(area.value for area in ContentArea), NOT_RECORDED)


@dataclass(frozen=True)
class AreaCredits:
    """One content area (or Not recorded) and the credits of the entries that record it."""

    code: str
    label: str
    credits: Decimal


@dataclass(frozen=True)
class ContentAreaCredits:
    """Every content area in the order of :class:`ContentArea`, then Not recorded.

    ``recorded``: how many entries record at least one content area (none: nothing to show).
    """

    areas: tuple[AreaCredits, ...]
    recorded: int

    @property
    def any_recorded(self) -> bool:
        return self.recorded > 0


def areas_of(value: object) -> list[ContentArea]:
    """The content areas an entry's stored value names, each once, in the enum's order;
    anything that is not a list of known codes names none."""
    if not isinstance(value, list | tuple):
        return []
    codes = {code for code in value if isinstance(code, str)}
    return [area for area in ContentArea if area.value in codes]


def credits_by_content_area(rows: Iterable[tuple[object, object]]) -> ContentAreaCredits:
    """``rows``: ``(credits, content_areas)`` of each counted entry of one window."""
    by_code = dict.fromkeys(AREA_CODES, ZERO_CREDITS)
    recorded = 0
    for credits, stored in rows:
        amount = quantize_credits(credits or 0)
        areas = areas_of(stored)
        if areas:
            recorded += 1
        for code in [area.value for area in areas] or [NOT_RECORDED]:
            by_code[code] += amount
    labels = {area.value: area.label for area in ContentArea} | {NOT_RECORDED: NOT_RECORDED_LABEL}
    return ContentAreaCredits(
        areas=tuple(AreaCredits(code, labels[code], by_code[code]) for code in AREA_CODES),
        recorded=recorded,
    )
