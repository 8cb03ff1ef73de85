"""On track or at risk (credits/rules/pace.py): the day kept with the summary gives, on every
day of the cycle, the same answer as the definition itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from credits import rules
from credits.rules.pace import Pace, on_pace, status

WINDOW = rules.Window(dt.date(2025, 1, 1), dt.date(2027, 12, 31))
quarters = st.integers(min_value=0, max_value=800).map(lambda n: Decimal(n) / 4)
requirements = st.lists(
    st.tuples(quarters, st.sampled_from([Decimal(150), Decimal(60), Decimal(50), Decimal(20)])),
    min_size=1,
    max_size=4,
)
days = st.integers(min_value=-30, max_value=1125).map(lambda n: WINDOW.start + dt.timedelta(n))


@settings(max_examples=300)
@given(requirements=requirements, day=days)
def test_at_risk_exactly_when_a_requirement_is_behind_pace(requirements, day):
    met = all(counted >= required for counted, required in requirements)
    behind = rules.behind_from(WINDOW, requirements)
    answer = status(met=met, cycle_end=WINDOW.end, behind=behind, as_of=day)
    if met:
        assert answer == Pace.COMPLIANT
    elif day > WINDOW.end:
        assert answer == Pace.SHORT
    else:
        keeping_pace = all(on_pace(WINDOW, c, r, day) for c, r in requirements)
        assert answer == (Pace.ON_TRACK if keeping_pace else Pace.AT_RISK)


def test_a_third_of_the_way_needs_a_third_of_each_requirement():
    third = WINDOW.start + dt.timedelta(days=365)  # day 366 of 1095
    assert on_pace(WINDOW, Decimal("50.25"), Decimal(150), third)
    assert not on_pace(WINDOW, Decimal("50"), Decimal(150), third)
    assert rules.behind_from(WINDOW, [(Decimal(0), Decimal(20))]) == WINDOW.start
    assert rules.behind_from(WINDOW, [(Decimal(20), Decimal(20))]) is None
