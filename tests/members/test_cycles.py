"""The one copy of the cycle dates that members (standing) and the credits rules share.

Pure Python, no database: ``members.cycles`` imports neither Django nor ``credits``.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from members import cycles
from members.cycles import add_years, default_cycle_start


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2020, 1, 1), 3, date(2023, 1, 1)),
        (date(2023, 1, 1), -3, date(2020, 1, 1)),
        (date(2021, 6, 30), 0, date(2021, 6, 30)),
        (date(2020, 2, 29), 1, date(2021, 3, 1)),  # no 29 February: 1 March
        (date(2020, 2, 29), 3, date(2023, 3, 1)),
        (date(2020, 2, 29), 4, date(2024, 2, 29)),
        (date(2020, 2, 29), -1, date(2019, 3, 1)),
        (date(2019, 2, 28), 1, date(2020, 2, 28)),
    ],
)
def test_add_years_keeps_the_day_and_moves_29_february_to_1_march(day, years, expected):
    assert add_years(day, years) == expected


@given(day=st.dates(date(1901, 1, 1), date(2900, 12, 31)), years=st.integers(-50, 50))
def test_add_years_keeps_month_and_day_unless_29_february_is_missing(day, years):
    moved = add_years(day, years)

    assert moved.year == day.year + years
    if (moved.month, moved.day) != (day.month, day.day):
        assert (day.month, day.day, moved.month, moved.day) == (2, 29, 3, 1)


@pytest.mark.parametrize(
    ("joined_on", "cycle_start"),
    [
        (date(2011, 3, 9), date(2012, 1, 1)),
        (date(2019, 1, 1), date(2020, 1, 1)),
        (date(2019, 12, 31), date(2020, 1, 1)),
    ],
)
def test_default_cycle_start_is_1_january_after_joining(joined_on, cycle_start):
    assert default_cycle_start(joined_on) == cycle_start


def test_the_credits_rules_use_the_same_add_years():
    assert rules.add_years is cycles.add_years
