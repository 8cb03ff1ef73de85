"""Dates of cycles, shared by ``members`` (standing) and ``credits`` (the rules).

Pure Python: no Django, no clock, and no import of ``credits`` (``members`` sits below it).
The rules of ``docs/rules.md`` §2.
"""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (or earlier). **Decision:** 29 February falls on 1 March
    in a year without it, so a cycle starting 2020-02-29 ends 2023-02-28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def default_cycle_start(joined_on: date) -> date:
    """**Decision:** a member's first cycle starts on 1 January of the year after joining."""
    return date(joined_on.year + 1, 1, 1)
