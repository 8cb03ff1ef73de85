"""Helpers for checking a single entry (``docs/rules.md`` §3)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from credits.rules.amounts import quantize_credits
from members.cycles import add_years

RESIDENCY_CREDITS_PER_FULL_YEAR = Decimal(50)


def residency_credit_limit(start: date, end: date) -> Decimal:
    """The ASPS CME requirements: "50 Category 1 credits may be claimed for each full year of
    ... internship, residency or fellowship training". A full year runs from a date to the day
    before its anniversary, so 2019-07-01..2020-06-30 is one full year and 11 months are none."""
    if end < start:
        raise ValueError(f"The residency ends ({end}) before it starts ({start}).")
    full_years = end.year - start.year
    while full_years > 0 and add_years(start, full_years) - timedelta(days=1) > end:
        full_years -= 1
    return quantize_credits(RESIDENCY_CREDITS_PER_FULL_YEAR * full_years)


def normalize_title(title: str) -> str:
    """docs/rules.md §3: duplicates match on the title "case/space-insensitive".

    Case, spaces and punctuation are all ignored: "SpringMeeting2025", "Spring Meeting 2025"
    and "spring meeting, 2025" are one title. Letters and digits are compared after Unicode
    compatibility folding (a non-breaking space or a full-width digit is no different).
    """
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(character for character in folded if character.isalnum())
