"""The projected standing (``members.standing.next_step_if_nothing_changes``) is the step the
standing rules themselves take on that day when nothing has been made up — and not a day
earlier."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from members import standing
from members.standing import CycleOutcome, StandingCode, StandingInput

DAYS = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(0, 3000, 7)] + [
    dt.date(2024, 2, 29),
    dt.date(2023, 2, 28),
    dt.date(2023, 3, 1),
]
ONE = dt.timedelta(days=1)


def due(current, since, cycles, as_of):
    return standing.next_standing(
        StandingInput(
            current=current, since=since, held_to_requirement=True, cycles=cycles, as_of=as_of
        )
    )


@pytest.mark.parametrize("start", random.Random(5).sample(DAYS, 60))
def test_good_standing_with_an_open_cycle_not_met_goes_on_probation_the_day_after(start):
    cycle = CycleOutcome(start, start + dt.timedelta(days=1094), met=False)
    since = start + dt.timedelta(days=100)

    to, on = standing.next_step_if_nothing_changes("good", since, cycle)

    assert (to, on) == (StandingCode.PROBATION, cycle.end + ONE)
    step = due("good", since, [cycle], on)
    assert (step.to, step.effective) == (to, on)
    assert due("good", since, [cycle], on - ONE) is None


@pytest.mark.parametrize("since", random.Random(6).sample(DAYS, 60))
@pytest.mark.parametrize("current", ["probation", "suspended"])
def test_probation_and_suspension_end_the_way_the_rules_end_them(since, current):
    failed = CycleOutcome(since - dt.timedelta(days=1200), since - dt.timedelta(days=400), False)

    to, on = standing.next_step_if_nothing_changes(current, since, None)

    step = due(current, since, [failed], on)
    assert (step.to, step.effective) == (to, on)
    assert to == (StandingCode.SUSPENDED if current == "probation" else StandingCode.DROPPED)
    assert due(current, since, [failed], on - ONE) is None


def test_nothing_is_ahead_of_a_member_dropped_or_in_good_standing_without_a_cycle_short():
    assert standing.next_step_if_nothing_changes("dropped", dt.date(2024, 1, 1), None) is None
    assert standing.next_step_if_nothing_changes("good", None, None) is None
