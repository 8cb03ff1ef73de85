"""Credit amounts as certificates write them: "21.25", "7", "0.5", "12,50" (a comma read by OCR
or written in Europe), kept only when they are plausible credits for one activity."""

from __future__ import annotations

import re
from decimal import Decimal

# An amount of credits: 1 to 3 digits, optionally 1 or 2 decimals ("12.50", "7", ".5" is not).
# OCR may put a space after the decimal point ("8. 75").
AMOUNT = r"(?P<n>\d{1,3}(?:[.,] ?\d{1,2})?)(?![\d.,]\d)"

# No single activity gives more; a larger number is a total, a price or a misread.
MAXIMUM = Decimal("100")


def parse_amount(text: str) -> Decimal | None:
    """``text`` as a number of credits, or None when it is not a plausible one."""
    cleaned = re.sub(r"([.,]) ", r"\1", text.strip()).replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", cleaned):
        return None
    value = Decimal(cleaned)
    if not Decimal("0") < value <= MAXIMUM:
        return None
    return value
