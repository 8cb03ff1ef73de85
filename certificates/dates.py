"""Dates as certificates write them, found in running text with their place in it.

Each mention is a day or a range of days: "March 3–6, 2025", "03/03/2025 - 03/06/2025",
"6–8 March 2025", "January 30 – February 1, 2025", "Saturday, March 8, 2025", "2025-03-08".
Dashes are already plain hyphens (``parse.normalise``). Numeric dates are read month first
(US certificates); a first number above 12 is read as the day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

_MONTH = r"\b(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
_TO = r"\s*(?:-|to|through|until)\s*"


def _p(template: str, name: str) -> str:
    return template.format(name)


# The longest forms first: a range is tried before the single day it contains.
PATTERNS = [
    # January 30 - February 1, 2025 / December 30, 2024 - January 2, 2025
    re.compile(
        _p(_MONTH, "m1")
        + r"\s+"
        + _p(_DAY, "d1")
        + r"(?:,?\s*"
        + _p(_YEAR, "y1")
        + r")?"
        + _TO
        + _p(_MONTH, "m2")
        + r"\s+"
        + _p(_DAY, "d2")
        + r",?\s*"
        + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # March 3-6, 2025
    re.compile(
        _p(_MONTH, "m1")
        + r"\s+"
        + _p(_DAY, "d1")
        + _TO
        + _p(_DAY, "d2")
        + r",?\s*"
        + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # 30 January - 1 February 2025
    re.compile(
        r"\b"
        + _p(_DAY, "d1")
        + r"\s+"
        + _p(_MONTH, "m1")
        + r"(?:\s+"
        + _p(_YEAR, "y1")
        + r")?"
        + _TO
        + _p(_DAY, "d2")
        + r"\s+"
        + _p(_MONTH, "m2")
        + r",?\s+"
        + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # 6-8 March 2025
    re.compile(
        r"\b"
        + _p(_DAY, "d1")
        + _TO
        + _p(_DAY, "d2")
        + r"\s+"
        + _p(_MONTH, "m2")
        + r",?\s+"
        + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # 03/03/2025 - 03/06/2025, 2025-03-03 to 2025-03-06
    re.compile(
        r"\b(?P<n1>\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)"
        + _TO
        + r"(?P<n2>\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b",
        re.IGNORECASE,
    ),
    # (Saturday,) March 8, 2025
    re.compile(
        _p(_MONTH, "m2") + r"\s+" + _p(_DAY, "d2") + r",?\s*" + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # 8 March 2025
    re.compile(
        r"\b" + _p(_DAY, "d2") + r"\s+" + _p(_MONTH, "m2") + r",?\s+" + _p(_YEAR, "y2"),
        re.IGNORECASE,
    ),
    # 03/08/2025, 2025-03-08
    re.compile(
        r"\b(?P<n2>\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True)
class DateMention:
    """A day or a range of days, where it stands in the text (``start``..``end`` offsets)."""

    first: dt.date
    last: dt.date
    start: int
    end: int


def numeric_date(text: str) -> dt.date | None:
    """03/08/2025 (month first), 25/03/2025 (day first when it cannot be a month), 2025-03-08."""
    try:
        if "-" in text:
            return dt.date.fromisoformat(text)
        first, second, year = (int(part) for part in re.split(r"[/.]", text))
        month, day = (second, first) if first > 12 else (first, second)
        return dt.date(year, month, day)
    except ValueError:
        return None


def _mention(match: re.Match[str]) -> tuple[dt.date, dt.date] | None:
    groups = match.groupdict()
    try:
        if groups.get("n2"):
            last = numeric_date(groups["n2"])
            first = numeric_date(groups["n1"]) if groups.get("n1") else last
            if first is None or last is None:
                return None
            return first, last
        last_month = MONTHS[(groups.get("m2") or groups["m1"]).lower()]
        last = dt.date(int(groups["y2"]), last_month, int(groups["d2"]))
        if groups.get("d1") is None:
            return last, last
        month = MONTHS[groups["m1"].lower()] if groups.get("m1") else last_month
        year = int(groups["y1"]) if groups.get("y1") else last.year
        first = dt.date(year, month, int(groups["d1"]))
        if first > last and not groups.get("y1"):  # December 30 - January 2, 2025
            first = first.replace(year=year - 1)
        return first, last
    except ValueError:  # February 30
        return None


def find_dates(text: str) -> list[DateMention]:
    """Every date or range in ``text``, in reading order, none overlapping another."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            days = _mention(match)
            taken.append((start, end))  # a period too long or impossible is no activity's
            if days is None or days[0] > days[1] or (days[1] - days[0]).days > 31:
                continue
            found.append(DateMention(days[0], days[1], start, end))
    return sorted(found, key=lambda mention: mention.start)
