"""Standing (docs/rules.md §5) as Hypothesis properties: any schedule of runs reaches the same
history; and how far back a run must look.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credits import rules
from members.cycles import add_years
from members.standing import (
    CycleOutcome,
    StandingCode,
    StandingInput,
    Transition,
    look_back_to,
    next_standing,
    transitions_due,
)
from tests.members.standing_helpers import (
    DROPPED,
    GOOD,
    PROBATION,
    SUSPENDED,
    d,
)

# --- Properties: any schedule of runs reaches the same history -------------------------------


def days_in(years: range) -> st.SearchStrategy[int]:
    """A number of days spread over ``years`` (Hypothesis alone favours small numbers)."""
    return st.builds(
        lambda year, day: 365 * year + day, st.sampled_from(years), st.integers(0, 364)
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[StandingInput, date]:
    """A member's facts (four cycles from a drawn start, each met, made up on a drawn day or
    never), a starting standing (mostly good from the start), and the day of the last run."""
    cycle_start = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 730)))
    cycles = []
    for index in range(4):
        window = rules.cycle_containing(cycle_start, add_years(cycle_start, 3 * index))
        met = draw(st.sampled_from([True, False, False]))
        made_up_after = None if met else draw(st.one_of(st.none(), days_in(range(3))))
        made_up_on = None if made_up_after is None else window.end + timedelta(made_up_after + 1)
        cycles.append(CycleOutcome.of(window, met=met, made_up_on=made_up_on))
    current, since, overridden_on = GOOD, None, None
    if draw(st.booleans()):
        current = draw(st.sampled_from(list(StandingCode)))
        since = cycle_start + timedelta(days=draw(days_in(range(8))))
        overridden_on = since if draw(st.booleans()) else None
    first_run = since or cycle_start
    state = StandingInput(
        current=current,
        since=since,
        held_to_requirement=True,
        cycles=cycles,
        as_of=first_run,
        overridden_on=overridden_on,
    )
    return state, first_run + timedelta(days=draw(days_in(range(13))))


def run(state: StandingInput, days: list[date]) -> tuple[StandingInput, list[Transition]]:
    """The job on each of ``days``: apply every transition due, as the caller does."""
    history: list[Transition] = []
    for day in days:
        state = StandingInput(**{**vars(state), "as_of": day})
        due = transitions_due(state)
        for transition in due:
            state = state.after(transition)
        history.extend(due)
    return state, history


@settings(max_examples=100, deadline=None)
@given(scenario=scenarios())
def test_one_late_run_records_the_same_history_as_running_every_day(scenario):
    start, last_run = scenario
    every_day = [start.as_of + timedelta(n) for n in range((last_run - start.as_of).days + 1)]
    daily_state, daily_history = run(start, every_day)
    late_state, late_history = run(start, [last_run])
    assert late_history == daily_history
    assert (late_state.current, late_state.since) == (daily_state.current, daily_state.since)


@settings(deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_a_job_that_misses_days_records_the_same_history_as_one_late_run(scenario, data):
    start, last_run = scenario
    span = (last_run - start.as_of).days
    offsets = data.draw(st.lists(st.integers(0, span), max_size=12))
    days = [start.as_of + timedelta(n) for n in sorted(set(offsets))] + [last_run]
    assert run(start, days)[1] == run(start, [last_run])[1]


@given(scenario=scenarios())
def test_transitions_move_forward_never_before_the_standing_began_or_an_override(scenario):
    start, last_run = scenario
    state = StandingInput(**{**vars(start), "as_of": last_run})
    previous = state.since or date.min
    for transition in transitions_due(state):
        assert previous <= transition.effective <= last_run
        if state.overridden_on is not None:
            assert transition.effective > state.overridden_on
        previous = transition.effective
        state = state.after(transition)
    assert next_standing(state) is None


@given(scenario=scenarios())
def test_nothing_changes_on_the_day_of_a_staff_override(scenario):
    start, _ = scenario
    overridden = StandingInput(**{**vars(start), "overridden_on": start.since or start.as_of})
    assert transitions_due(overridden) == ()


@given(scenario=scenarios())
def test_members_not_held_to_the_requirement_never_change_whatever_happens(scenario):
    start, last_run = scenario
    state = StandingInput(**{**vars(start), "as_of": last_run, "held_to_requirement": False})
    assert transitions_due(state) == ()


# --- How far back a run must look ------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "since", "last_judged", "as_of", "expected"),
    [
        # On probation or suspended: back to the day it began, however far ahead the run is.
        (PROBATION, "2026-01-01", "2026-01-01", "2032-02-01", "2026-01-01"),
        (SUSPENDED, "2027-01-01", "2027-03-01", "2040-01-01", "2027-01-01"),
        # In good standing: the cycles since the last day judged.
        (GOOD, "2026-05-01", "2027-06-01", "2035-01-01", "2027-06-01"),
        (GOOD, None, "2027-06-01", "2035-01-01", "2027-06-01"),
        # Never judged, or dropped: the day of the run.
        (GOOD, None, None, "2035-01-01", "2035-01-01"),
        (DROPPED, "2028-01-01", "2028-01-01", "2035-01-01", "2035-01-01"),
    ],
)
def test_look_back_to_the_day_the_rules_need(current, since, last_judged, as_of, expected):
    day = look_back_to(current, since and d(since), last_judged and d(last_judged), d(as_of))
    assert day == d(expected)


def test_a_probation_without_the_cycle_it_is_about_would_end_at_once():
    """Why the caller must look back to :func:`look_back_to`: left out, the 2023-2025 cycle
    looks made up on the day the probation began."""
    cycles = [CycleOutcome(d("2026-01-01"), d("2028-12-31"), met=False)]
    state = StandingInput(PROBATION, d("2026-01-01"), True, cycles, d("2032-02-01"))
    assert next_standing(state).to is GOOD
    with_it = StandingInput(
        PROBATION,
        d("2026-01-01"),
        True,
        [CycleOutcome(d("2023-01-01"), d("2025-12-31"), met=False), *cycles],
        d("2032-02-01"),
    )
    step = next_standing(with_it)
    assert (step.to, step.effective) == (SUSPENDED, d("2027-01-01"))
