"""``evaluate()``: the ASPS requirements judged from a cycle's totals (docs/rules.md §1-3): the
thresholds, the Category 2 limit, the patient-safety caps and pending claims, the 12 / 8 advice.

No database and no Django: ``credits.rules`` is pure Python. Every expected value is exact.
"""

from __future__ import annotations

import pytest

from credits import rules
from credits.rules import (
    ASAPS,
    ASPS,
    PatientSafetyKind,
    RequirementCode,
    Totals,
    evaluate,
)
from tests.credits.rules_helpers import CAPPED_KINDS, D, compliant_totals, totals

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


def test_the_member_portal_example_is_compliant():
    """The ASPS member portal's example CME report: 387 Category 1, 433 plastic surgery,
    126.5 PS, 432 in total."""
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
