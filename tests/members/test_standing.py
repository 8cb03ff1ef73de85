"""Standing rules of rules.md §5 (seed 002) as tables of plain values, plus Hypothesis properties.

No database and no Django: ``members.standing`` is pure Python. The tables walk a member
whose cycle 2023-01-01..2025-12-31 ends unmet: probation in 2026, suspension in 2027, dropped
on 2028-01-01, unless the deficit is made up first. The properties check that a job running
every day, on some days only, or once far ahead records the same steps with the same dates.
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
    first_day_made_up,
    look_back_to,
    makeup_window,
    next_standing,
    probation_ends,
    suspension_ends,
    transitions_due,
)

GOOD = StandingCode.GOOD
PROBATION = StandingCode.PROBATION
SUSPENDED = StandingCode.SUSPENDED
DROPPED = StandingCode.DROPPED


def d(text: str) -> date:
    return date.fromisoformat(text)


def cycle_ending(
    year: int, *, met: bool = False, made_up_on: str | None = None, missing: tuple[str, ...] = ()
) -> CycleOutcome:
    """The calendar cycle ending 31 December ``year`` (started 1 January ``year - 2``)."""
    return CycleOutcome(
        start=date(year - 2, 1, 1),
        end=date(year, 12, 31),
        met=met,
        made_up_on=d(made_up_on) if made_up_on else None,
        missing=missing,
    )


def member(
    current: StandingCode | str = GOOD,
    since: str | None = None,
    *cycles: CycleOutcome,
    as_of: str,
    held: bool = True,
    overridden_on: str | None = None,
) -> StandingInput:
    return StandingInput(
        current=current,
        since=d(since) if since else None,
        held_to_requirement=held,
        cycles=cycles,
        as_of=d(as_of),
        overridden_on=d(overridden_on) if overridden_on else None,
    )


def steps(transitions: tuple[Transition, ...]) -> list[tuple[StandingCode, date]]:
    return [(transition.to, transition.effective) for transition in transitions]


FAILED_2025 = cycle_ending(2025)
MET_2025 = cycle_ending(2025, met=True)


# --- One step at a time: every transition of rules.md §5 -------------------------------------

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
    """rules.md §5: other membership types "are shown their progress but never flagged"; a
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


# --- Staff overrides -------------------------------------------------------------------------


def test_staff_restoring_good_standing_is_not_undone_for_the_cycle_they_waived():
    """Staff restore a suspended member on 2027-03-01 without the deficit made up; the failed
    cycle is not judged again, the next one is."""
    cycles = [FAILED_2025, cycle_ending(2028)]
    for as_of in ["2027-03-01", "2027-03-02", "2028-12-31"]:
        state = member(GOOD, "2027-03-01", *cycles, as_of=as_of, overridden_on="2027-03-01")
        assert transitions_due(state) == ()
    state = member(GOOD, "2027-03-01", *cycles, as_of="2029-01-01", overridden_on="2027-03-01")
    assert steps(transitions_due(state)) == [(PROBATION, d("2029-01-01"))]


def test_staff_probation_waits_a_year_when_the_deficit_was_already_made_up():
    """The make-up of 2026-05-01 was there for staff to see when they set probation on
    2026-06-01, so it does not end that probation the next day; it does at the year's end."""
    cycles = [cycle_ending(2025, made_up_on="2026-05-01")]
    for as_of in ["2026-06-01", "2026-06-02", "2027-05-31"]:
        state = member(PROBATION, "2026-06-01", *cycles, as_of=as_of, overridden_on="2026-06-01")
        assert next_standing(state) is None
    state = member(PROBATION, "2026-06-01", *cycles, as_of="2027-06-01", overridden_on="2026-06-01")
    transition = next_standing(state)
    assert (transition.to, transition.effective) == (GOOD, d("2027-06-01"))
    assert transition.reason.startswith("The probation year ended on May 31, 2027.")


@pytest.mark.parametrize(
    ("made_up_on", "expected"),
    [
        ("2027-09-01", [(GOOD, "2027-09-01")]),
        (None, [(SUSPENDED, "2028-06-01"), (DROPPED, "2029-06-01")]),
    ],
)
def test_staff_giving_a_suspended_member_another_probation_year_restarts_the_clock(
    made_up_on, expected
):
    cycles = [cycle_ending(2025, made_up_on=made_up_on)]
    state = member(PROBATION, "2027-06-01", *cycles, as_of="2030-01-01", overridden_on="2027-06-01")
    assert steps(transitions_due(state)) == [(to, d(day)) for to, day in expected]


def test_an_override_recorded_without_moving_since_still_starts_the_clock_that_day():
    state = member(
        PROBATION, "2026-01-01", FAILED_2025, as_of="2027-06-01", overridden_on="2026-12-31"
    )
    assert next_standing(state) is None
    later = member(
        PROBATION, "2026-01-01", FAILED_2025, as_of="2027-12-31", overridden_on="2026-12-31"
    )
    assert steps(transitions_due(later))[0] == (SUSPENDED, d("2027-12-31"))


def test_a_dropped_member_stays_dropped_until_staff_reinstate():
    state = member(DROPPED, "2026-06-01", MET_2025, as_of="2029-01-01", overridden_on="2026-06-01")
    assert transitions_due(state) == ()


# --- Reasons in plain words ------------------------------------------------------------------


def test_the_probation_reason_names_the_cycle_and_what_it_missed():
    failed = cycle_ending(
        2025,
        missing=("23.5 more patient-safety credits", "10 more AMA PRA Category 1 credits"),
    )
    transition = next_standing(member(GOOD, None, failed, as_of="2026-01-01"))
    assert transition.reason == (
        "The CME cycle ending Dec 31, 2025 ended without all four requirements met "
        "(23.5 more patient-safety credits and 10 more AMA PRA Category 1 credits needed). "
        "Credits dated from Jan 1, 2026 count toward making up that cycle as well as toward "
        "the current one; the probation year ends on Dec 31, 2026."
    )


@pytest.mark.parametrize(
    ("current", "since", "cycle", "as_of", "reason"),
    [
        (
            PROBATION,
            "2026-01-01",
            cycle_ending(2025, made_up_on="2026-03-10"),
            "2026-03-10",
            "The deficit of the CME cycle ending Dec 31, 2025 was made up on Mar 10, 2026.",
        ),
        (
            PROBATION,
            "2026-01-01",
            FAILED_2025,
            "2027-01-01",
            "The probation year ended on Dec 31, 2026 without the deficit of the CME cycle "
            "ending Dec 31, 2025 made up. Making it up ends the suspension; the year of "
            "suspension ends on Dec 31, 2027.",
        ),
        (
            SUSPENDED,
            "2027-01-01",
            FAILED_2025,
            "2028-01-01",
            "The year of suspension ended on Dec 31, 2027 without the deficit of the CME "
            "cycle ending Dec 31, 2025 made up.",
        ),
    ],
)
def test_each_reason_says_what_happened_and_when(current, since, cycle, as_of, reason):
    assert next_standing(member(current, since, cycle, as_of=as_of)).reason == reason


# --- Inputs and helpers ----------------------------------------------------------------------


def test_the_standing_accepts_the_model_values_as_plain_strings():
    state = member("probation", "2026-01-01", FAILED_2025, as_of="2027-01-01")
    assert state.current is PROBATION
    assert next_standing(state).to == "suspended"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: member(PROBATION, None, as_of="2026-01-01"), "needs the day it began"),
        (lambda: member(GOOD, "2026-02-01", as_of="2026-01-01"), "after as_of"),
        (
            lambda: member(GOOD, None, as_of="2026-01-01", overridden_on="2026-02-01"),
            "after as_of",
        ),
        (lambda: cycle_ending(2025, made_up_on="2025-12-31"), "dated after the cycle's end"),
        (lambda: CycleOutcome(d("2025-12-31"), d("2023-01-01"), met=True), "before it starts"),
    ],
)
def test_inconsistent_inputs_fail_loudly(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("since", "last_day"),
    [("2026-01-01", "2026-12-31"), ("2026-06-15", "2027-06-14"), ("2028-02-29", "2029-02-28")],
)
def test_probation_and_suspension_last_one_year(since, last_day):
    assert probation_ends(d(since)) == d(last_day)
    assert suspension_ends(d(since)) == d(last_day)


def test_the_makeup_window_runs_from_the_day_after_the_failed_cycle():
    assert makeup_window(d("2025-12-31"), d("2026-03-01")) == (d("2026-01-01"), d("2026-03-01"))
    assert makeup_window(d("2025-12-31"), d("2026-01-01")) == (d("2026-01-01"), d("2026-01-01"))
    assert makeup_window(d("2025-12-31"), d("2025-12-31")) is None


def test_a_cycle_outcome_can_be_made_from_a_credits_window():
    window = rules.cycle_containing(date(2020, 1, 1), date(2025, 6, 1))
    outcome = CycleOutcome.of(window, met=False, missing=["1 more credit (Category 1 or 2)"])
    assert (outcome.start, outcome.end) == (date(2023, 1, 1), date(2025, 12, 31))
    assert outcome.missing == ("1 more credit (Category 1 or 2)",)


@given(
    failed_end=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    length=st.integers(0, 1100),
    threshold=st.one_of(st.none(), st.integers(1, 1200)),
)
def test_the_first_day_made_up_is_found_with_few_questions(failed_end, length, threshold):
    as_of = failed_end + timedelta(days=length)
    made_up_on = None if threshold is None else failed_end + timedelta(days=threshold)
    asked: list[date] = []

    def made_up_by(day: date) -> bool:
        asked.append(day)
        return made_up_on is not None and day >= made_up_on

    found = first_day_made_up(failed_end, as_of, made_up_by)
    assert found == (made_up_on if made_up_on is not None and made_up_on <= as_of else None)
    assert len(asked) <= 12
    assert all(failed_end < day <= as_of for day in asked)


@given(
    failed_end=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    offsets=st.lists(st.integers(1, 1100), max_size=60, unique=True),
    needed=st.integers(1, 61),
    length=st.integers(0, 1100),
)
def test_the_days_with_credits_narrow_the_search_to_the_same_answer(
    failed_end, offsets, needed, length
):
    """Made up once ``needed`` days with credits have passed: searching those days alone
    finds the day that a search of every day finds, with fewer questions."""
    as_of = failed_end + timedelta(days=length)
    credit_days = sorted(failed_end + timedelta(days=offset) for offset in offsets)
    asked: list[date] = []

    def made_up_by(day: date) -> bool:
        asked.append(day)
        return sum(1 for credit_day in credit_days if credit_day <= day) >= needed

    everyday = first_day_made_up(failed_end, as_of, made_up_by)
    asked.clear()
    narrowed = first_day_made_up(failed_end, as_of, made_up_by, credit_days=credit_days)

    assert narrowed == everyday
    assert len(asked) <= 8  # log2(60) + 2
    assert all(failed_end < day <= as_of for day in asked)


@pytest.mark.parametrize(
    "credit_days",
    [
        [],  # none given
        [date(2025, 4, 1), date(2025, 3, 1), date(2025, 1, 10), date(2025, 3, 1)],  # unordered
        [date(2024, 6, 1), date(2030, 1, 1)],  # outside the make-up window only
        [date(2025, 1, 10)],  # missing the day that decides
    ],
)
def test_bad_credit_days_still_give_the_right_day(credit_days):
    made_up_on = date(2025, 3, 1)

    found = first_day_made_up(
        date(2024, 12, 31), date(2025, 6, 1), lambda day: day >= made_up_on, credit_days
    )

    assert found == made_up_on


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
