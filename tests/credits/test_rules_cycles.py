"""Cycles and windows (docs/rules.md §1), the entry-validation helpers, and Hypothesis
properties of the totals and of ``evaluate()``.

No database and no Django: ``credits.rules`` is pure Python.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from credits.rules import (
    ASAPS,
    ASPS,
    Category,
    PatientSafetyKind,
    RequirementCode,
    Totals,
    Window,
    evaluate,
)
from tests.credits.rules_helpers import CAPPED_KINDS, GENERAL, D

# --- Cycles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cycle_start", "day", "start", "end"),
    [
        (date(2020, 1, 1), date(2020, 1, 1), date(2020, 1, 1), date(2022, 12, 31)),
        (date(2020, 1, 1), date(2022, 12, 31), date(2020, 1, 1), date(2022, 12, 31)),
        (date(2020, 1, 1), date(2023, 1, 1), date(2023, 1, 1), date(2025, 12, 31)),
        (date(2020, 1, 1), date(2026, 6, 15), date(2026, 1, 1), date(2028, 12, 31)),
        (date(2012, 1, 1), date(2021, 4, 6), date(2021, 1, 1), date(2023, 12, 31)),
        (date(2019, 7, 1), date(2022, 6, 30), date(2019, 7, 1), date(2022, 6, 30)),
        (date(2019, 7, 1), date(2022, 7, 1), date(2022, 7, 1), date(2025, 6, 30)),
        # Before the cycle start: the first cycle.
        (date(2020, 1, 1), date(2019, 12, 31), date(2020, 1, 1), date(2022, 12, 31)),
        (date(2020, 1, 1), date(2011, 3, 9), date(2020, 1, 1), date(2022, 12, 31)),
        # 29 February: the anniversary falls on 1 March in years without it.
        (date(2020, 2, 29), date(2023, 2, 28), date(2020, 2, 29), date(2023, 2, 28)),
        (date(2020, 2, 29), date(2023, 3, 1), date(2023, 3, 1), date(2026, 2, 28)),
        (date(2020, 2, 29), date(2032, 2, 28), date(2029, 3, 1), date(2032, 2, 28)),
        (date(2020, 2, 29), date(2032, 2, 29), date(2032, 2, 29), date(2035, 2, 28)),
    ],
)
def test_cycles_are_consecutive_three_year_windows_from_the_cycle_start(
    cycle_start, day, start, end
):
    window = rules.cycle_containing(cycle_start, day)

    assert window == Window(start, end)
    assert rules.current_cycle(cycle_start, day) == Window(start, end)


@pytest.mark.parametrize(
    ("cycle_start", "as_of", "start", "end"),
    [
        (date(2020, 1, 1), date(2023, 1, 1), date(2020, 1, 1), date(2022, 12, 31)),
        (date(2020, 1, 1), date(2025, 12, 31), date(2020, 1, 1), date(2022, 12, 31)),
        (date(2020, 1, 1), date(2026, 1, 1), date(2023, 1, 1), date(2025, 12, 31)),
        # In the first cycle the previous one lies before the start, extrapolated back.
        (date(2020, 1, 1), date(2021, 5, 5), date(2017, 1, 1), date(2019, 12, 31)),
        (date(2020, 2, 29), date(2024, 1, 1), date(2020, 2, 29), date(2023, 2, 28)),
        (date(2020, 2, 29), date(2033, 1, 1), date(2029, 3, 1), date(2032, 2, 28)),
        (date(2020, 3, 1), date(2024, 1, 1), date(2020, 3, 1), date(2023, 2, 28)),
    ],
)
def test_previous_cycle_is_the_three_years_just_before_the_current_one(
    cycle_start, as_of, start, end
):
    assert rules.previous_cycle(cycle_start, as_of) == Window(start, end)


def test_previous_of_a_hand_made_window_is_the_three_years_before_it():
    assert Window(date(2023, 1, 1), date(2025, 12, 31)).previous() == Window(
        date(2020, 1, 1), date(2022, 12, 31)
    )


def test_a_cycle_is_labelled_by_the_year_it_ends():
    assert rules.cycle_containing(date(2020, 1, 1), date(2021, 4, 6)).label == (
        "Cycle ending in 2022"
    )


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (date(2019, 12, 31), False),
        (date(2020, 1, 1), True),
        (date(2021, 6, 1), True),
        (date(2022, 12, 31), True),
        (date(2023, 1, 1), False),
    ],
)
def test_a_window_contains_both_its_first_and_last_day(day, inside):
    assert Window(date(2020, 1, 1), date(2022, 12, 31)).contains(day) is inside


@pytest.mark.parametrize(
    ("as_of", "days_left"),
    [
        (date(2019, 6, 1), 1096),  # before the window: all of it
        (date(2020, 1, 1), 1096),
        (date(2022, 12, 1), 31),
        (date(2022, 12, 31), 1),
        (date(2023, 1, 1), 0),
        (date(2030, 1, 1), 0),
    ],
)
def test_days_left_count_today_and_never_go_negative(as_of, days_left):
    assert Window(date(2020, 1, 1), date(2022, 12, 31)).days_left(as_of) == days_left


def test_a_window_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        Window(date(2022, 1, 2), date(2022, 1, 1))


# --- Entry validation helpers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "limit"),
    [
        (date(2019, 7, 1), date(2019, 7, 1), "0"),
        (date(2019, 7, 1), date(2020, 5, 31), "0"),  # 11 months
        (date(2019, 7, 1), date(2020, 6, 29), "0"),
        (date(2019, 7, 1), date(2020, 6, 30), "50"),
        (date(2019, 7, 1), date(2021, 6, 29), "50"),
        (date(2019, 7, 1), date(2021, 6, 30), "100"),
        (date(2019, 7, 1), date(2022, 6, 30), "150"),
        (date(2020, 2, 29), date(2021, 2, 28), "50"),
    ],
)
def test_residency_earns_50_category_1_credits_per_full_year(start, end, limit):
    result = rules.residency_credit_limit(start, end)

    assert result == D(limit)
    assert str(result) == f"{limit}.00"


def test_a_residency_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="before it starts"):
        rules.residency_credit_limit(date(2020, 7, 1), date(2020, 6, 30))


@pytest.mark.parametrize(
    ("title", "normalized"),
    [
        ("Spring Meeting 2021", "springmeeting2021"),
        ("  SPRING   meeting\t2021 ", "springmeeting2021"),
        ("Spring\u00a0Meeting\n2021", "springmeeting2021"),
        ("SpringMeeting2021", "springmeeting2021"),
        ("Spring Meeting, 2021.", "springmeeting2021"),
        ("Spring-Meeting (2021)", "springmeeting2021"),
        ("Straße", "strasse"),
    ],
)
def test_titles_are_compared_without_case_spacing_or_punctuation(title, normalized):
    assert rules.normalize_title(title) == normalized


# --- Properties ------------------------------------------------------------------------------

credit_amounts = st.integers(min_value=0, max_value=2000).map(lambda quarters: D(quarters) / 4)
totals_values = st.builds(
    Totals,
    category_1=credit_amounts,
    category_2=credit_amounts,
    plastic_surgery=credit_amounts,
    patient_safety_by_kind=st.fixed_dictionaries(dict.fromkeys(PatientSafetyKind, credit_amounts)),
    patient_safety_pending=credit_amounts,
    patient_safety_category_1=credit_amounts,
    patient_safety_category_2=credit_amounts,
)


@st.composite
def entries(draw: st.DrawFn) -> Totals:
    """The Totals of one valid entry: PS and plastic-surgery credits are each ≤ its credits."""
    category = draw(st.sampled_from(Category))
    credits = draw(credit_amounts.filter(bool))
    patient_safety = draw(credit_amounts.filter(lambda amount: amount <= credits))
    kind = draw(st.sampled_from(PatientSafetyKind))
    pending = draw(st.booleans())
    in_category_1 = category is Category.CATEGORY_1
    return Totals(
        category_1=credits if in_category_1 else D(0),
        category_2=D(0) if in_category_1 else credits,
        plastic_surgery=draw(credit_amounts.filter(lambda amount: amount <= credits)),
        patient_safety_by_kind={kind: patient_safety},
        patient_safety_pending=patient_safety if pending else D(0),
        patient_safety_category_1=patient_safety if in_category_1 else D(0),
        patient_safety_category_2=D(0) if in_category_1 else patient_safety,
    )


@given(totals_values, st.sampled_from([ASPS, ASAPS]))
def test_counted_never_exceeds_earned(value, requirement_set):
    for result in evaluate(value, requirement_set).requirements:
        assert result.counted <= result.earned
        assert result.remaining == max(result.required - result.counted, 0)
        assert result.met is (result.counted >= result.required)
        assert 0 <= result.percent <= 100


@given(totals_values, entries())
def test_adding_an_entry_never_lowers_a_counted_total(before, entry):
    old = evaluate(before)
    new = evaluate(before + entry)

    for old_result, new_result in zip(old.requirements, new.requirements, strict=True):
        assert new_result.counted >= old_result.counted
        assert new_result.met or not old_result.met
    assert new.compliant or not old.compliant


@given(totals_values)
def test_capped_kinds_never_count_more_than_their_cap(value):
    counted = evaluate(value).requirement(RequirementCode.PATIENT_SAFETY).counted

    assert counted - value.patient_safety_by_kind[GENERAL] <= 5 * len(CAPPED_KINDS)
    for kind in CAPPED_KINDS:
        alone = Totals(patient_safety_by_kind={kind: value.patient_safety_by_kind[kind]})
        assert evaluate(alone).requirement(RequirementCode.PATIENT_SAFETY).counted <= 5


@given(totals_values)
def test_totals_round_trip_through_an_aggregate_row(value):
    assert Totals.from_row(value.as_row()) == value
    assert value + Totals.ZERO == value


@given(
    st.one_of(
        st.integers(min_value=-(10**6), max_value=10**6),
        st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-(10**6), max_value=10**6),
    )
)
def test_quantize_credits_is_idempotent(value):
    once = rules.quantize_credits(value)

    assert rules.quantize_credits(once) == once
    assert str(rules.quantize_credits(once)) == str(once)
    assert once.as_tuple().exponent == -2
