"""The compliance rules of rules.md §1-3 as tables of plain values, plus Hypothesis properties.

No database and no Django: ``credits.rules`` is pure Python. Every expected value is exact,
so a change to a rule fails here first.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from credits.rules import (
    ASAPS,
    ASPS,
    ActivityType,
    Category,
    PatientSafetyKind,
    RequirementCode,
    Totals,
    Window,
    evaluate,
)

D = Decimal
GENERAL = PatientSafetyKind.GENERAL
CAPPED_KINDS = [kind for kind in PatientSafetyKind if kind is not GENERAL]


def totals(
    category_1: str | int = 0,
    category_2: str | int = 0,
    plastic_surgery: str | int = 0,
    pending: str | int = 0,
    ps_category_1: str | int = 0,
    ps_category_2: str | int = 0,
    **patient_safety: str | int,
) -> Totals:
    """Totals in the members' words: ``totals(60, 90, general=20, device_training=7)``."""
    return Totals(
        category_1=D(category_1),
        category_2=D(category_2),
        plastic_surgery=D(plastic_surgery),
        patient_safety_by_kind={PatientSafetyKind(k): D(v) for k, v in patient_safety.items()},
        patient_safety_pending=D(pending),
        patient_safety_category_1=D(ps_category_1),
        patient_safety_category_2=D(ps_category_2),
    )


def compliant_totals(**changes: str | int) -> Totals:
    """Everything exactly at its threshold, PS split 12/8 as recommended; then ``changes``."""
    values: dict[str, str | int] = {
        "category_1": 60,
        "category_2": 90,
        "plastic_surgery": 50,
        "general": 20,
        "ps_category_1": 12,
        "ps_category_2": 8,
    }
    values.update(changes)
    return totals(**values)  # type: ignore[arg-type]


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


# --- evaluate(): thresholds ------------------------------------------------------------------


def test_requirements_come_in_dashboard_order_with_labels():
    compliance = evaluate(compliant_totals())

    assert [(r.code, r.label) for r in compliance.requirements] == [
        (RequirementCode.TOTAL, "Total (Cat. 1 + Cat. 2)"),
        (RequirementCode.CATEGORY_1, "AMA PRA Category 1"),
        (RequirementCode.PLASTIC_SURGERY, "Plastic surgery"),
        (RequirementCode.PATIENT_SAFETY, "Patient safety"),
    ]
    assert compliance.requirement_set is ASPS


def test_exactly_at_every_threshold_is_compliant_with_nothing_to_explain():
    compliance = evaluate(compliant_totals())

    assert compliance.compliant is True
    assert [(r.required, r.counted, r.remaining, r.met) for r in compliance.requirements] == [
        (150, 150, 0, True),
        (60, 60, 0, True),
        (50, 50, 0, True),
        (20, 20, 0, True),
    ]
    assert compliance.notes == ()
    assert compliance.hints == ()
    assert compliance.missing() == []


@pytest.mark.parametrize(
    ("changes", "code", "earned", "counted", "remaining", "missing"),
    [
        (
            {"category_2": "89.75"},
            RequirementCode.TOTAL,
            "149.75",
            "149.75",
            "0.25",
            ["0.25 more credits (Category 1 or 2)"],
        ),
        (
            {"category_1": "59.75", "category_2": "90.25"},
            RequirementCode.CATEGORY_1,
            "59.75",
            "59.75",
            "0.25",
            # Category 2 counts at most 90, so a Category 1 shortfall is a total one too.
            ["0.25 more credits (Category 1 or 2)", "0.25 more AMA PRA Category 1 credits"],
        ),
        (
            {"plastic_surgery": 49},
            RequirementCode.PLASTIC_SURGERY,
            49,
            49,
            1,
            ["1 more plastic-surgery credit"],
        ),
        (
            {"general": "19.75"},
            RequirementCode.PATIENT_SAFETY,
            "19.75",
            "19.75",
            "0.25",
            ["0.25 more patient-safety credits"],
        ),
    ],
)
def test_a_quarter_credit_short_of_a_threshold_is_not_met(
    changes, code, earned, counted, remaining, missing
):
    compliance = evaluate(compliant_totals(**changes))
    result = compliance.requirement(code)

    assert (result.earned, result.counted, result.remaining) == (
        D(earned),
        D(counted),
        D(remaining),
    )
    assert result.met is False
    assert compliance.compliant is False
    assert compliance.missing() == missing
    assert len([r for r in compliance.requirements if not r.met]) == len(missing)


def test_counted_is_not_clipped_at_required():
    compliance = evaluate(compliant_totals(category_1=160, plastic_surgery=200, general=45))

    assert compliance.requirement("category_1").counted == 160
    assert compliance.requirement("total").counted == 250
    assert compliance.requirement("plastic_surgery").counted == 200
    assert compliance.requirement("patient_safety").counted == 45
    assert all(r.remaining == 0 and r.percent == 100 for r in compliance.requirements)


def test_missing_lists_every_unmet_requirement_in_plain_words():
    compliance = evaluate(totals(category_1=30, category_2="17.5", plastic_surgery=12, general=1))

    assert compliance.missing() == [
        "102.5 more credits (Category 1 or 2)",
        "30 more AMA PRA Category 1 credits",
        "38 more plastic-surgery credits",
        "19 more patient-safety credits",
    ]


def test_nothing_earned_means_everything_missing_and_zero_percent():
    compliance = evaluate(Totals.ZERO)

    assert compliance.compliant is False
    assert [r.percent for r in compliance.requirements] == [0, 0, 0, 0]
    assert [r.remaining for r in compliance.requirements] == [150, 60, 50, 20]


@pytest.mark.parametrize(
    ("category_1", "percent"),
    [(0, 0), ("29.75", 49), (30, 50), ("59.75", 99), (60, 100), (400, 100)],
)
def test_percent_rounds_down_so_that_100_means_met(category_1, percent):
    result = evaluate(totals(category_1=category_1)).requirement(RequirementCode.CATEGORY_1)

    assert result.percent == percent


def test_requirement_lookup_by_an_unknown_code_raises_key_error():
    with pytest.raises(KeyError):
        evaluate(Totals.ZERO).requirement("tracer_procedures")


def test_the_seed_004_dashboard_is_compliant():
    """Seed 004's dashboard: 387 Category 1, 433 plastic surgery, 126.5 PS, 432 in total."""
    compliance = evaluate(
        totals(category_1=387, category_2=45, plastic_surgery=433, general="126.5")
    )

    assert [r.counted for r in compliance.requirements] == [
        D("432"),
        D("387"),
        D("433"),
        D("126.5"),
    ]
    assert compliance.compliant is True


# --- evaluate(): Category 2 limit ------------------------------------------------------------


@pytest.mark.parametrize(
    ("category_2", "earned", "counted", "notes"),
    [
        ("89.75", "149.75", "149.75", ()),
        ("90", "150", "150", ()),
        ("90.25", "150.25", "150", ("Category 2: 90.25 earned, 90 count toward the total.",)),
        ("104", "164", "150", ("Category 2: 104 earned, 90 count toward the total.",)),
    ],
)
def test_category_2_counts_at_most_90_toward_the_total(category_2, earned, counted, notes):
    compliance = evaluate(compliant_totals(category_2=category_2))
    total = compliance.requirement(RequirementCode.TOTAL)

    assert (total.earned, total.counted) == (D(earned), D(counted))
    assert compliance.notes == notes


def test_category_2_alone_never_meets_the_total():
    compliance = evaluate(totals(category_2=300))

    assert compliance.requirement("total").counted == 90
    assert compliance.requirement("total").met is False
    assert compliance.requirement("category_1").counted == 0


# --- evaluate(): patient safety --------------------------------------------------------------

_LABELS_IN_NOTES = {
    PatientSafetyKind.QUALITY_ASSURANCE: "Quality assurance (e.g. TOPS)",
    PatientSafetyKind.DEVICE_TRAINING: "Device training",
    PatientSafetyKind.RESEARCH: "Research on a patient-safety topic",
    PatientSafetyKind.ACCREDITATION_WORKSHOP: "Accreditation organizations' workshops",
}


@pytest.mark.parametrize("kind", CAPPED_KINDS)
@pytest.mark.parametrize(
    ("earned", "counted", "capped"),
    [("4.75", "4.75", False), ("5", "5", False), ("5.25", "5", True), ("7", "5", True)],
)
def test_each_capped_patient_safety_kind_counts_at_most_5_per_cycle(kind, earned, counted, capped):
    compliance = evaluate(compliant_totals(general=15, **{kind.value: earned}))
    result = compliance.requirement(RequirementCode.PATIENT_SAFETY)

    assert result.earned == 15 + D(earned)
    assert result.counted == 15 + D(counted)
    expected_note = (
        f"{_LABELS_IN_NOTES[kind]}: {rules.format_credits(D(earned))} patient-safety credits "
        "earned, 5 count (limit 5 per cycle)."
    )
    assert compliance.notes == ((expected_note,) if capped else ())


def test_device_training_note_reads_as_in_the_rules():
    compliance = evaluate(compliant_totals(general=13, device_training=7))

    assert compliance.notes == (
        "Device training: 7 patient-safety credits earned, 5 count (limit 5 per cycle).",
    )
    assert compliance.requirement("patient_safety").counted == 18
    assert compliance.requirement("patient_safety").met is False


def test_general_patient_safety_credits_have_no_cap():
    compliance = evaluate(compliant_totals(general=35))

    assert compliance.requirement("patient_safety").counted == 35
    assert compliance.notes == ()


def test_every_capped_kind_is_explained_in_enum_order_after_category_2():
    compliance = evaluate(
        compliant_totals(
            category_2=95, general=2, accreditation_workshop=6, quality_assurance="5.5", research=5
        )
    )

    assert compliance.requirement("patient_safety").counted == 17
    assert compliance.notes == (
        "Category 2: 95 earned, 90 count toward the total.",
        "Quality assurance (e.g. TOPS): 5.5 patient-safety credits earned, 5 count "
        "(limit 5 per cycle).",
        "Accreditation organizations' workshops: 6 patient-safety credits earned, 5 count "
        "(limit 5 per cycle).",
    )


@pytest.mark.parametrize(
    ("pending", "note"),
    [
        ("2.5", "2.5 patient-safety credits are pending staff review and count provisionally."),
        ("1", "1 patient-safety credit is pending staff review and count provisionally."),
    ],
)
def test_pending_patient_safety_credits_count_provisionally_with_a_note(pending, note):
    compliance = evaluate(compliant_totals(pending=pending))
    result = compliance.requirement(RequirementCode.PATIENT_SAFETY)

    assert result.counted == 20
    assert result.met is True
    assert result.pending == D(pending)
    assert compliance.notes == (note,)


def test_only_patient_safety_has_a_pending_part():
    compliance = evaluate(compliant_totals(pending=3))

    assert [r.pending for r in compliance.requirements] == [0, 0, 0, 3]


def test_no_pending_credits_means_no_pending_note():
    assert evaluate(compliant_totals(pending=0)).notes == ()


# --- evaluate(): the 12 / 8 advice -----------------------------------------------------------

_ADVICE = (
    "ASPS recommends that of the 20 patient-safety credits, 12 be Category 1 and 8 be "
    "Category 2; yours: {}."
)


@pytest.mark.parametrize(
    ("ps_category_1", "ps_category_2", "hints"),
    [
        (12, 8, ()),
        (15, 10, ()),
        (20, 0, (_ADVICE.format("20 Category 1, 0 Category 2"),)),
        ("11.75", "8.25", (_ADVICE.format("11.75 Category 1, 8.25 Category 2"),)),
        (0, 0, (_ADVICE.format("0 Category 1, 0 Category 2"),)),
    ],
)
def test_patient_safety_mix_hint_shows_only_when_the_mix_differs(
    ps_category_1, ps_category_2, hints
):
    compliance = evaluate(
        compliant_totals(ps_category_1=ps_category_1, ps_category_2=ps_category_2)
    )

    assert compliance.hints == hints
    assert compliance.compliant is True  # advice, not a rule


def test_the_asaps_hint_names_asaps():
    compliance = evaluate(compliant_totals(ps_category_1=20, ps_category_2=0), ASAPS)

    assert compliance.hints[0].startswith("ASAPS recommends")


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
