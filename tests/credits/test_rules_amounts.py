"""The compliance rules' building blocks (docs/rules.md §1-3): the choices, amounts of credit,
totals and the requirement sets, as tables of plain values.

No database and no Django: ``credits.rules`` is pure Python. Every expected value is exact,
so a change to a rule fails here first.
"""

from __future__ import annotations

import pytest

from credits import rules
from credits.rules import (
    ASAPS,
    ASPS,
    ActivityType,
    Category,
    PatientSafetyKind,
    RequirementCode,
    Totals,
)
from tests.credits.rules_helpers import D, totals

# --- Enumerations ----------------------------------------------------------------------------


def test_choices_give_values_with_human_labels():
    assert rules.choices(Category) == [
        (1, "AMA PRA Category 1 Credit™"),
        (2, "AMA PRA Category 2 Credit™"),
    ]
    assert rules.choices(RequirementCode) == [
        ("total", "Total (Cat. 1 + Cat. 2)"),
        ("category_1", "AMA PRA Category 1"),
        ("plastic_surgery", "Plastic surgery"),
        ("patient_safety", "Patient safety"),
    ]
    assert [value for value, _ in rules.choices(PatientSafetyKind)] == [
        "general",
        "quality_assurance",
        "device_training",
        "research",
        "accreditation_workshop",
    ]
    assert len(rules.choices(ActivityType)) == 13


def test_enum_members_are_their_values_and_carry_labels():
    assert Category.CATEGORY_2 == 2
    assert ActivityType.RSS == "rss"
    assert ActivityType.RSS.label == "Regularly scheduled series (grand rounds, M&M)"
    assert PatientSafetyKind.QUALITY_ASSURANCE.label == "Quality assurance (e.g. TOPS)"
    assert str(PatientSafetyKind.DEVICE_TRAINING) == "device_training"


def test_choice_members_fit_the_django_functional_choices_api():
    assert rules.choice_members(Category) == [
        ("CATEGORY_1", (1, "AMA PRA Category 1 Credit™")),
        ("CATEGORY_2", (2, "AMA PRA Category 2 Credit™")),
    ]


# --- Numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, D("7.00")),
        ("7.5", D("7.50")),
        (D("1.25"), D("1.25")),
        (0.1, D("0.10")),
        ("1.005", D("1.01")),  # ROUND_HALF_UP, not banker's rounding
        ("2.675", D("2.68")),
        ("-0.001", D("0.00")),
    ],
)
def test_quantize_credits_gives_two_places_rounding_half_up(value, expected):
    result = rules.quantize_credits(value)

    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("value", ["abc", "", None, "NaN", float("nan"), "Infinity", "1e30"])
def test_quantize_credits_refuses_what_is_not_a_number_of_credits(value):
    with pytest.raises(ValueError, match="Not a number of credits"):
        rules.quantize_credits(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", True),
        ("0.25", True),
        ("1.5", True),
        ("7.75", True),
        ("126.5", True),
        ("1.3", False),
        ("0.1", False),
        ("2.125", False),
        ("NaN", False),
        ("3000000000000000000000000000", True),  # beyond the precision: no error
    ],
)
def test_credits_come_in_quarter_steps(value, expected):
    assert rules.is_quarter_step(D(value)) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("104.00"), "104"),
        (D("2.50"), "2.5"),
        (D("7.25"), "7.25"),
        (D("0.00"), "0"),
        (D("100"), "100"),
        (D("0.10"), "0.1"),
        (1500, "1500"),
    ],
)
def test_credits_are_formatted_without_trailing_zeros(value, expected):
    assert rules.format_credits(value) == expected


# --- Totals ----------------------------------------------------------------------------------

ROW = {
    "category_1": D("61.25"),
    "category_2": None,
    "plastic_surgery": 50,
    "ps_general": "10.5",
    "ps_quality_assurance": D("6"),
    "ps_device_training": None,
    "ps_research": D("1"),
    "ps_accreditation_workshop": D("0"),
    "ps_pending": D("2.5"),
    "ps_category_1": D("17.5"),
    "ps_category_2": None,
    "member_id": 7,
}


def test_totals_from_an_aggregate_row_read_none_as_zero():
    result = Totals.from_row(ROW)

    assert result == totals(
        category_1="61.25",
        plastic_surgery=50,
        pending="2.5",
        ps_category_1="17.5",
        general="10.5",
        quality_assurance=6,
        research=1,
    )
    assert result.category_2 == D("0.00")
    assert result.patient_safety == D("17.50")


def test_totals_from_a_row_without_a_key_is_a_bug_in_the_query():
    row = {key: value for key, value in ROW.items() if key != "ps_research"}

    with pytest.raises(KeyError, match="ps_research"):
        Totals.from_row(row)


def test_totals_add_window_by_window():
    failed_cycle = totals(category_1=40, category_2=95, pending=1, general=3, research=4)
    make_up = totals(category_1="20.5", category_2=10, ps_category_2=2, research=2)

    assert failed_cycle + make_up == totals(
        category_1="60.5", category_2=105, pending=1, ps_category_2=2, general=3, research=6
    )


def test_zero_totals_are_all_zero():
    assert totals() == Totals.ZERO
    assert Totals.ZERO.patient_safety == D("0.00")
    assert set(Totals.ZERO.patient_safety_by_kind) == set(PatientSafetyKind)


@pytest.mark.parametrize(
    "arguments",
    [{"category_1": D("-1")}, {"patient_safety_by_kind": {"general": D("-0.25")}}],
)
def test_totals_refuse_negative_credits(arguments):
    with pytest.raises(ValueError, match="cannot be negative"):
        Totals(**arguments)


def test_totals_refuse_an_unknown_patient_safety_kind():
    with pytest.raises(ValueError, match="sleep_hygiene"):
        Totals(patient_safety_by_kind={"sleep_hygiene": D(1)})


# --- Requirement sets ------------------------------------------------------------------------


def test_asps_and_asaps_ask_for_the_same_numbers():
    for requirement_set in (ASPS, ASAPS):
        assert requirement_set.cycle_years == 3
        assert requirement_set.total_required == 150
        assert requirement_set.category_1_required == 60
        assert requirement_set.plastic_surgery_required == 50
        assert requirement_set.patient_safety_required == 20
        assert requirement_set.category_2_cap == 90
        assert requirement_set.recommended_patient_safety_mix == {
            Category.CATEGORY_1: 12,
            Category.CATEGORY_2: 8,
        }
    assert rules.REQUIREMENT_SETS == {"asps": ASPS, "asaps": ASAPS}
    assert (ASPS.name, ASAPS.name) == ("ASPS membership", "ASAPS membership")
    assert "The ASPS CME requirements" in ASPS.source
    assert "ASAPS About CME" in ASAPS.source


def test_patient_safety_caps_are_five_per_cycle_except_general():
    assert rules.PATIENT_SAFETY_CAPS == {
        PatientSafetyKind.GENERAL: None,
        PatientSafetyKind.QUALITY_ASSURANCE: 5,
        PatientSafetyKind.DEVICE_TRAINING: 5,
        PatientSafetyKind.RESEARCH: 5,
        PatientSafetyKind.ACCREDITATION_WORKSHOP: 5,
    }
    assert rules.CATEGORY_2_CAP_TOWARD_TOTAL == 90
