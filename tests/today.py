"""The date the test suite takes as "today".

Every test runs with the clock travelled to this date (``tests/conftest.py``), so the pages,
the services and the factories all agree on it, whatever the real date. It defaults to a fixed
date; ``CMETRACK_TEST_TODAY=2031-06-15`` runs the suite on another day (CI runs it a second
time five years ahead).

Factories and tests written for the default "today" place their dates with ``shifted``: the
date moves by as many whole years as "today" did, so each keeps its place relative to "today"
and in the members' three-year cycles (whose start moves too). Another "today" therefore best
keeps the default's month and day (e.g. 2031-06-15); tests of a rule on given dates that do not
read the clock keep their dates as written.
"""

from __future__ import annotations

import datetime as dt
import os

DEFAULT_TODAY = dt.date(2026, 6, 15)

TODAY = dt.date.fromisoformat(os.environ.get("CMETRACK_TEST_TODAY") or DEFAULT_TODAY.isoformat())

# Whole years between the default "today" and the one in use.
YEARS = TODAY.year - DEFAULT_TODAY.year


def shifted(date: dt.date) -> dt.date:
    """A date written for the default "today", moved by as many years as "today" moved."""
    try:
        return date.replace(year=date.year + YEARS)
    except ValueError:  # 29 February in a year that has none
        return date.replace(year=date.year + YEARS, day=28)


def shifted_year(year: int) -> int:
    """A year written for the default "today", moved by as many years as "today" moved."""
    return year + YEARS


def shifted_iso(text: str) -> str:
    """``shifted`` for a date written as text (YYYY-MM-DD)."""
    return shifted(dt.date.fromisoformat(text)).isoformat()
