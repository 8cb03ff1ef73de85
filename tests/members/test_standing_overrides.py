"""Standing (docs/rules.md §5): staff overrides, the reasons in plain words, the inputs and the
helpers (the make-up window, the first day made up).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from members.standing import (
    CycleOutcome,
    first_day_made_up,
    makeup_window,
    next_standing,
    probation_ends,
    suspension_ends,
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
