"""Cycles: consecutive windows of days from a member's cycle start (``docs/rules.md`` §2).

``add_years`` lives in :mod:`members.cycles`, the one copy that ``members`` (standing) and
the rules share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from members.cycles import add_years

__all__ = [
    "CYCLE_YEARS",
    "Window",
    "add_years",
    "current_cycle",
    "cycle_containing",
    "previous_cycle",
]

CYCLE_YEARS = 3


def _cycle(cycle_start: date, index: int, years: int) -> Window:
    """The ``index``-th cycle from ``cycle_start`` (negative: before it)."""
    start = add_years(cycle_start, index * years)
    end = add_years(cycle_start, (index + 1) * years) - timedelta(days=1)
    return Window(start, end, cycle_start=cycle_start, years=years)


@dataclass(frozen=True)
class Window:
    """A span of days, both ends included. An entry counts in the window that contains its
    **end date** (docs/rules.md §1 Decision). Windows made by :func:`cycle_containing` remember
    their ``cycle_start`` so that :meth:`previous` is exact; equality looks at the days only."""

    start: date
    end: date
    cycle_start: date | None = field(default=None, compare=False, repr=False)
    years: int = field(default=CYCLE_YEARS, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"A window cannot end ({self.end}) before it starts ({self.start}).")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def days_left(self, as_of: date) -> int:
        """Days still to come in the window, ``as_of`` included (1 on the last day, 0 after)."""
        return max((self.end - max(as_of, self.start)).days + 1, 0)

    @property
    def label(self) -> str:
        """As in the ASPS member portal's CME report: "CME Report for Cycle Ending in 2022"."""
        return f"Cycle ending in {self.end.year}"

    def previous(self) -> Window:
        """The cycle just before this one (before the first cycle too, extrapolated back)."""
        anchor = self.cycle_start or self.start
        index = _index_of(anchor, self.start, self.years)
        return _cycle(anchor, index - 1, self.years)


def _index_of(cycle_start: date, day: date, years: int) -> int:
    index = (day.year - cycle_start.year) // years
    while add_years(cycle_start, index * years) > day:
        index -= 1
    while add_years(cycle_start, (index + 1) * years) <= day:
        index += 1
    return index


def cycle_containing(cycle_start: date, day: date, years: int = CYCLE_YEARS) -> Window:
    """docs/rules.md §2 (the ASPS member portal's CME report): "cycles are consecutive 3-year
    windows" from ``cycle_start``; 2020-01-01 gives 2020-01-01..2022-12-31, then
    2023-01-01..2025-12-31.

    A day before ``cycle_start`` gets the *first* cycle: a member has no cycle before their
    start, and their first cycle is the one they are working towards.
    """
    return _cycle(cycle_start, max(_index_of(cycle_start, day, years), 0), years)


def current_cycle(cycle_start: date, as_of: date) -> Window:
    return cycle_containing(cycle_start, as_of)


def previous_cycle(cycle_start: date, as_of: date) -> Window:
    return current_cycle(cycle_start, as_of).previous()
