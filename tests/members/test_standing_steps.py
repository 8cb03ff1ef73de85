"""Standing (docs/rules.md §5) one step at a time, and a late run catching up: tables of plain
values for every transition.
"""

from __future__ import annotations

import pytest

from members.standing import (
    CycleOutcome,
    next_standing,
    transitions_due,
)
from tests.members.standing_helpers import (
    DROPPED,
    FAILED_2025,
    GOOD,
    MET_2025,
    PROBATION,
    SUSPENDED,
    cycle_ending,
    d,
    member,
    steps,
)

# --- One step at a time: every transition of docs/rules.md §5 -------------------------------------

ONE_STEP = [
    # good → probation, the day after the cycle's last day
    ("a cycle is still running on its last day", GOOD, None, [FAILED_2025], "2025-12-31", None),
    (
        "good goes on probation the day after a cycle ends unmet",
        GOOD,
        None,
        [FAILED_2025],
        "2026-01-01",
        (PROBATION, "2026-01-01"),
    ),
    ("good stays good when the cycle is met", GOOD, None, [MET_2025], "2026-01-01", None),
    (
        "good that began before the cycle's end is judged at the end",
        GOOD,
        "2025-12-31",
        [FAILED_2025],
        "2026-01-01",
        (PROBATION, "2026-01-01"),
    ),
    (
        "a failed cycle already made up is not judged twice",
        GOOD,
        "2026-03-10",
        [cycle_ending(2025, made_up_on="2026-03-10")],
        "2026-06-01",
        None,
    ),
    (
        "a job that missed days backdates probation to the day after the cycle",
        GOOD,
        None,
        [FAILED_2025],
        "2026-02-15",
        (PROBATION, "2026-01-01"),
    ),
    # probation → good when made up, → suspended at the end of the year
    (
        "probation continues before the deficit is made up",
        PROBATION,
        "2026-01-01",
        [cycle_ending(2025, made_up_on="2026-03-10")],
        "2026-03-09",
        None,
    ),
    (
        "probation ends the day the deficit is made up",
        PROBATION,
        "2026-01-01",
        [cycle_ending(2025, made_up_on="2026-03-10")],
        "2026-03-10",
        (GOOD, "2026-03-10"),
    ),
    (
        "probation ends on the last day of the year when made up that day",
        PROBATION,
        "2026-01-01",
        [cycle_ending(2025, made_up_on="2026-12-31")],
        "2026-12-31",
        (GOOD, "2026-12-31"),
    ),
    (
        "probation lasts through its last day",
        PROBATION,
        "2026-01-01",
        [FAILED_2025],
        "2026-12-31",
        None,
    ),
    (
        "probation turns into suspension the day after the probation year",
        PROBATION,
        "2026-01-01",
        [FAILED_2025],
        "2027-01-01",
        (SUSPENDED, "2027-01-01"),
    ),
    (
        "making up the deficit the day after the probation year is too late to avoid suspension",
        PROBATION,
        "2026-01-01",
        [cycle_ending(2025, made_up_on="2027-01-01")],
        "2027-01-01",
        (SUSPENDED, "2027-01-01"),
    ),
    # suspended → good when made up, → dropped a year later
    (
        "suspension ends the day the deficit is made up",
        SUSPENDED,
        "2027-01-01",
        [cycle_ending(2025, made_up_on="2027-08-01")],
        "2027-08-01",
        (GOOD, "2027-08-01"),
    ),
    (
        "suspension lasts through its last day",
        SUSPENDED,
        "2027-01-01",
        [FAILED_2025],
        "2027-12-31",
        None,
    ),
    (
        "a suspended member is dropped the day after the year of suspension",
        SUSPENDED,
        "2027-01-01",
        [FAILED_2025],
        "2028-01-01",
        (DROPPED, "2028-01-01"),
    ),
    (
        "making up the deficit the day after the suspension year is too late",
        SUSPENDED,
        "2027-01-01",
        [cycle_ending(2025, made_up_on="2028-01-01")],
        "2028-01-01",
        (DROPPED, "2028-01-01"),
    ),
    # dropped is final for the job
    (
        "a dropped member stays dropped even after making up the deficit",
        DROPPED,
        "2028-01-01",
        [cycle_ending(2025, made_up_on="2028-02-01")],
        "2030-01-01",
        None,
    ),
    (
        "a dropped member stays dropped when later cycles fail",
        DROPPED,
        "2028-01-01",
        [FAILED_2025, cycle_ending(2028)],
        "2030-01-01",
        None,
    ),
    # 29 February: a cycle ending 2028-02-28 puts its member on probation on 2028-02-29
    (
        "a year of probation begun on 29 February runs to 28 February",
        PROBATION,
        "2028-02-29",
        [CycleOutcome(d("2025-02-28"), d("2028-02-28"), met=False)],
        "2029-02-28",
        None,
    ),
    (
        "a year of probation begun on 29 February ends on 1 March",
        PROBATION,
        "2028-02-29",
        [CycleOutcome(d("2025-02-28"), d("2028-02-28"), met=False)],
        "2029-03-01",
        (SUSPENDED, "2029-03-01"),
    ),
]


@pytest.mark.parametrize(
    ("current", "since", "cycles", "as_of", "expected"),
    [row[1:] for row in ONE_STEP],
    ids=[row[0] for row in ONE_STEP],
)
def test_each_step_of_rules_5_happens_on_its_day(current, since, cycles, as_of, expected):
    transition = next_standing(member(current, since, *cycles, as_of=as_of))
    if expected is None:
        assert transition is None
    else:
        assert (transition.to, transition.effective) == (expected[0], d(expected[1]))


@pytest.mark.parametrize(
    ("current", "since", "cycles"),
    [
        (GOOD, None, [FAILED_2025]),
        (PROBATION, "2026-01-01", [FAILED_2025]),
        (SUSPENDED, "2027-01-01", [FAILED_2025]),
        (PROBATION, "2026-01-01", [cycle_ending(2025, made_up_on="2026-03-01")]),
    ],
)
def test_members_not_held_to_the_requirement_are_never_changed(current, since, cycles):
    """docs/rules.md §5: other membership types "are shown their progress but never flagged"; a
    standing they already have is left to staff."""
    state = member(current, since, *cycles, as_of="2030-06-01", held=False)
    assert transitions_due(state) == ()


# --- Catching up: all the steps due, each on its own day -------------------------------------

CATCH_UP = [
    (
        "never made up: probation, suspension, dropped",
        [FAILED_2025],
        "2028-06-01",
        [(PROBATION, "2026-01-01"), (SUSPENDED, "2027-01-01"), (DROPPED, "2028-01-01")],
    ),
    (
        "made up while suspended",
        [cycle_ending(2025, made_up_on="2027-05-01")],
        "2028-06-01",
        [(PROBATION, "2026-01-01"), (SUSPENDED, "2027-01-01"), (GOOD, "2027-05-01")],
    ),
    (
        "made up on the first day of the suspension",
        [cycle_ending(2025, made_up_on="2027-01-01")],
        "2027-01-01",
        [(PROBATION, "2026-01-01"), (SUSPENDED, "2027-01-01"), (GOOD, "2027-01-01")],
    ),
    (
        "made up on probation, then the next cycle fails and is never made up",
        [cycle_ending(2025, made_up_on="2026-04-01"), cycle_ending(2028)],
        "2031-06-01",
        [
            (PROBATION, "2026-01-01"),
            (GOOD, "2026-04-01"),
            (PROBATION, "2029-01-01"),
            (SUSPENDED, "2030-01-01"),
            (DROPPED, "2031-01-01"),
        ],
    ),
    (
        "made up on the day probation begins",
        [cycle_ending(2025, made_up_on="2026-01-01"), cycle_ending(2028, met=True)],
        "2030-01-01",
        [(PROBATION, "2026-01-01"), (GOOD, "2026-01-01")],
    ),
    ("every cycle met", [MET_2025, cycle_ending(2028, met=True)], "2030-01-01", []),
]


@pytest.mark.parametrize(
    ("cycles", "as_of", "expected"),
    [row[1:] for row in CATCH_UP],
    ids=[row[0] for row in CATCH_UP],
)
def test_a_late_run_records_every_step_with_the_day_it_was_due(cycles, as_of, expected):
    due = transitions_due(member(GOOD, None, *cycles, as_of=as_of))
    assert steps(due) == [(to, d(day)) for to, day in expected]


def test_running_the_job_twice_on_the_same_day_changes_nothing_the_second_time():
    state = member(GOOD, None, cycle_ending(2025, made_up_on="2027-05-01"), as_of="2028-06-01")
    for transition in transitions_due(state):
        state = state.after(transition)
    assert (state.current, state.since) == (GOOD, d("2027-05-01"))
    assert next_standing(state) is None
    assert transitions_due(state) == ()
