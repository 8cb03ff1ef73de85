"""Several requirement sets: ABPS Continuous Certification beside ASPS and ASAPS.

Pure rules, no database: tables of cases from ABPS Continuous Certification (the 1 December
deadlines of years 3 and 6, Special Circumstances in years 3, 6 and 9, 20 patient-safety
credits every three years), plus properties with Hypothesis.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from credits.rules import (
    ABPS,
    ASAPS,
    ASPS,
    BoardWindowFacts,
    MilestoneStatus,
    Totals,
    TracerProcedureRecord,
    evaluate,
    evaluate_certification,
)

CERTIFIED = 2021  # year 1 = 2021; year 3 = 2023, year 6 = 2026, year 9 = 2029
CODE = rules.CertificationRequirementCode


def milestone(year: int, certification_year: int = CERTIFIED) -> rules.Milestone:
    as_of = date(certification_year, 1, 1)
    return next(
        m for m in rules.certification_milestones(certification_year, as_of) if m.year == year
    )


def aligned(procedure: str, done: date, activity_done: date, key: object = 1):
    return TracerProcedureRecord(
        procedure=procedure,
        completed_on=done,
        activity="Approved course",
        activity_aligned_with=procedure,
        activity_completed_on=activity_done,
        activity_key=key,
    )


def test_every_body_is_data_with_its_source():
    assert rules.ALL_REQUIREMENT_SETS == {"asps": ASPS, "asaps": ASAPS, "abps": ABPS}
    assert ABPS.cycle_years == 10
    assert ABPS.patient_safety_required == 20
    assert ABPS.tracer_procedure_years == (3, 6)
    assert ABPS.special_circumstances_years == (3, 6, 9)
    assert ABPS.deadline == (12, 1)
    assert "ABPS Continuous Certification" in ABPS.source


@pytest.mark.parametrize(
    ("year", "deadline", "window_start", "asks_tracer_procedures"),
    [
        # "the three years prior to the December 1st deadline" of years 3 and 6.
        (3, date(2023, 12, 1), date(2020, 12, 2), True),
        (6, date(2026, 12, 1), date(2023, 12, 2), True),
        # Patient safety "every three years throughout the certification cycle" (Decision: 9).
        (9, date(2029, 12, 1), date(2026, 12, 2), False),
    ],
)
def test_the_deadlines_of_a_cycle(year, deadline, window_start, asks_tracer_procedures):
    found = milestone(year)

    assert found.deadline == deadline
    assert found.window == rules.Window(window_start, deadline)
    assert found.asks_tracer_procedures is asks_tracer_procedures


@pytest.mark.parametrize(
    ("as_of", "next_deadline", "year"),
    [
        (date(2019, 6, 1), date(2023, 12, 1), 3),  # before certification: the first cycle
        (date(2023, 12, 1), date(2023, 12, 1), 3),  # the deadline day itself still counts
        (date(2023, 12, 2), date(2026, 12, 1), 6),
        (date(2029, 12, 1), date(2029, 12, 1), 9),
        (date(2029, 12, 2), date(2033, 12, 1), 3),  # then year 3 of the next cycle (2031-40)
        (date(2030, 6, 1), date(2033, 12, 1), 3),
        (date(2031, 1, 1), date(2033, 12, 1), 3),
    ],
)
def test_the_next_deadline(as_of, next_deadline, year):
    found = rules.next_milestone(CERTIFIED, as_of)

    assert (found.deadline, found.year) == (next_deadline, year)


def test_the_deadline_before_a_year_3_is_year_9_of_the_previous_cycle():
    year_3 = rules.next_milestone(CERTIFIED, date(2031, 1, 1))

    assert rules.previous_milestone(year_3).deadline == date(2029, 12, 1)
    assert rules.previous_milestone(rules.previous_milestone(year_3)).deadline == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("patient_safety", "pending", "met", "missing"),
    [
        ("20", "0", True, []),
        ("35", "0", True, []),
        ("19.75", "0", False, ["0.25 more patient-safety credits by Dec 1, 2029"]),
        ("0", "0", False, ["20 more patient-safety credits by Dec 1, 2029"]),
        ("20", "4", True, []),  # pending claims count provisionally (docs/rules.md §4)
    ],
)
def test_twenty_patient_safety_credits_every_three_years(patient_safety, pending, met, missing):
    result = rules.evaluate_milestone(
        milestone(9),
        BoardWindowFacts(patient_safety=Decimal(patient_safety), patient_safety_pending=pending),
        (),
        as_of=date(2029, 1, 1),
    )

    assert result.requirement(CODE.PATIENT_SAFETY).met is met
    assert result.compliant is met  # year 9 asks nothing else
    assert list(result.missing) == missing
    assert [r.code for r in result.requirements] == [CODE.PATIENT_SAFETY]


@pytest.mark.parametrize(
    ("records", "counted", "required", "met"),
    [
        # Nothing recorded: a tracer procedure is due.
        ([], 0, 1, False),
        # Procedure and aligned activity both in the three years before the deadline.
        ([aligned("Breast reduction", date(2022, 3, 1), date(2023, 11, 30))], 1, 1, True),
        # The activity may come before the procedure ("before activities are required").
        ([aligned("Breast reduction", date(2023, 6, 1), date(2021, 1, 15))], 1, 1, True),
        # The deadline day is in the window, the day after is not.
        ([aligned("Breast reduction", date(2022, 3, 1), date(2023, 12, 1))], 1, 1, True),
        ([aligned("Breast reduction", date(2022, 3, 1), date(2023, 12, 2))], 0, 1, False),
        # More than three years before the deadline is too early.
        ([aligned("Breast reduction", date(2022, 3, 1), date(2020, 12, 1))], 0, 1, False),
        # No activity linked.
        ([TracerProcedureRecord("Rhinoplasty", date(2022, 3, 1))], 0, 1, False),
        # Each tracer procedure needs its own activity.
        (
            [
                aligned("Breast reduction", date(2022, 3, 1), date(2022, 9, 1), key=1),
                TracerProcedureRecord("Rhinoplasty", date(2023, 1, 1)),
            ],
            1,
            2,
            False,
        ),
        # One completion of an activity cannot serve two procedures (never twice).
        (
            [
                aligned("Breast reduction", date(2022, 3, 1), date(2022, 9, 1), key=7),
                aligned("Breast reduction", date(2023, 3, 1), date(2022, 9, 1), key=7),
            ],
            1,
            2,
            False,
        ),
        # A procedure of another window does not count toward year 3.
        ([aligned("Breast reduction", date(2024, 3, 1), date(2024, 5, 1))], 0, 1, False),
    ],
)
def test_an_aligned_activity_with_each_tracer_procedure_by_year_3(records, counted, required, met):
    result = rules.evaluate_milestone(
        milestone(3), BoardWindowFacts(patient_safety=20), records, as_of=date(2023, 1, 1)
    )

    tracer = result.requirement(CODE.TRACER_PROCEDURES)
    assert (tracer.counted, tracer.required, tracer.met) == (counted, required, met)
    assert result.compliant is met
    assert bool(result.missing) is not met


def test_an_activity_aligned_with_another_procedure_does_not_count():
    record = TracerProcedureRecord(
        "Rhinoplasty",
        date(2025, 1, 10),
        activity="Reduction course",
        activity_aligned_with="Breast reduction",
        activity_completed_on=date(2025, 2, 1),
    )

    result = rules.evaluate_milestone(
        milestone(6), BoardWindowFacts(patient_safety=20), [record], as_of=date(2026, 1, 1)
    )

    assert not result.compliant
    assert "aligned with Breast reduction, not with Rhinoplasty" in result.missing[0]


@pytest.mark.parametrize(
    ("year", "approved_activities", "met"),
    [(3, 1, True), (3, 0, False), (6, 2, True), (6, 0, False), (9, 1, True), (9, 0, False)],
)
def test_special_circumstances_need_one_approved_patient_safety_activity_in_years_3_6_9(
    year, approved_activities, met
):
    result = rules.evaluate_milestone(
        milestone(year),
        BoardWindowFacts(approved_patient_safety_activities=approved_activities),
        (),
        as_of=date(2021, 1, 1),
        special_circumstances=True,
    )

    # Decision: the policy replaces the 20 credits and the tracer procedures.
    assert [r.code for r in result.requirements] == [CODE.SPECIAL_CIRCUMSTANCES]
    assert result.compliant is met


@pytest.mark.parametrize(
    ("as_of", "facts", "status"),
    [
        (date(2023, 12, 2), BoardWindowFacts(), MilestoneStatus.MISSED),
        (date(2023, 12, 1), BoardWindowFacts(), MilestoneStatus.IN_PROGRESS),
        (date(2020, 12, 1), BoardWindowFacts(), MilestoneStatus.UPCOMING),
        (date(2023, 12, 2), BoardWindowFacts(approved_patient_safety_activities=1), "met"),
    ],
)
def test_a_deadline_is_met_missed_in_progress_or_not_yet_open(as_of, facts, status):
    result = rules.evaluate_milestone(
        milestone(3), facts, (), as_of=as_of, special_circumstances=True
    )

    assert result.status == status


def test_the_cycle_shows_every_deadline_and_the_next_one():
    year_3 = milestone(3).window
    compliance = evaluate_certification(
        certification_year=CERTIFIED,
        as_of=date(2025, 5, 1),
        facts={year_3: BoardWindowFacts(patient_safety=25)},
        tracer_procedures=[aligned("Breast reduction", date(2022, 3, 1), date(2022, 4, 1))],
    )

    assert (compliance.cycle_first_year, compliance.cycle_last_year) == (2021, 2030)
    assert compliance.year_of_cycle == 5
    assert [m.status for m in compliance.milestones] == [
        MilestoneStatus.MET,
        MilestoneStatus.IN_PROGRESS,
        MilestoneStatus.UPCOMING,
    ]
    assert compliance.next.milestone.year == 6
    assert not compliance.missed
    assert not compliance.on_track  # nothing yet for year 6


def test_after_the_year_9_deadline_the_next_cycles_year_3_is_shown():
    compliance = evaluate_certification(
        certification_year=CERTIFIED, as_of=date(2030, 3, 1), facts={}
    )

    assert [m.milestone.deadline for m in compliance.milestones] == [
        date(2023, 12, 1),
        date(2026, 12, 1),
        date(2029, 12, 1),
        date(2033, 12, 1),
    ]
    assert compliance.next.milestone.cycle_first_year == 2031
    assert len(compliance.missed) == 3


def test_a_member_can_satisfy_asps_and_not_the_abps():
    """The same entries: 150 credits with 20 in patient safety in the ASPS cycle, but the
    board's year-6 window has only 12 of them and no tracer procedure."""
    asps_totals = Totals(
        category_1=Decimal(120),
        category_2=Decimal(30),
        plastic_surgery=Decimal(60),
        patient_safety_by_kind={"general": Decimal(20)},
        patient_safety_category_1=Decimal(12),
        patient_safety_category_2=Decimal(8),
    )
    board = rules.evaluate_milestone(
        milestone(6), BoardWindowFacts(patient_safety=12), (), as_of=date(2026, 6, 1)
    )

    assert evaluate(asps_totals, ASPS).compliant
    assert evaluate(asps_totals, ASAPS).compliant  # the same numbers (ASAPS "About CME")
    assert not board.compliant
    assert board.missing[0] == "8 more patient-safety credits by Dec 1, 2026"


def test_a_member_can_satisfy_the_abps_and_not_asps():
    asps_totals = Totals(category_1=Decimal(40), patient_safety_by_kind={"general": Decimal(25)})
    board = rules.evaluate_milestone(
        milestone(9), BoardWindowFacts(patient_safety=25), (), as_of=date(2029, 6, 1)
    )

    assert board.compliant
    assert not evaluate(asps_totals, ASPS).compliant


def test_the_societies_sets_are_unchanged():
    assert rules.REQUIREMENT_SETS == {"asps": ASPS, "asaps": ASAPS}


facts_values = st.builds(
    BoardWindowFacts,
    patient_safety=st.decimals(min_value=0, max_value=200, places=2),
    patient_safety_pending=st.decimals(min_value=0, max_value=200, places=2),
    approved_patient_safety_activities=st.integers(min_value=0, max_value=5),
)


@given(facts_values, st.sampled_from([3, 6, 9]), st.booleans())
def test_counted_never_exceeds_earned_and_met_means_nothing_missing(facts, year, special):
    result = rules.evaluate_milestone(
        milestone(year), facts, (), as_of=date(2021, 1, 1), special_circumstances=special
    )

    for requirement in result.requirements:
        assert requirement.counted <= requirement.earned
        assert requirement.met == (requirement.remaining == 0)
    assert result.compliant == (not result.missing)


@given(
    st.lists(
        st.tuples(
            st.dates(date(2019, 1, 1), date(2024, 12, 31)),
            st.dates(date(2019, 1, 1), date(2024, 12, 31)),
        ),
        max_size=4,
    )
)
def test_linking_an_activity_never_lowers_what_counts(dates):
    def counted(records):
        return rules.evaluate_milestone(
            milestone(3), BoardWindowFacts(), records, as_of=date(2023, 1, 1)
        ).requirement(CODE.TRACER_PROCEDURES)

    bare = [TracerProcedureRecord("Breast reduction", done) for done, _ in dates]
    linked = [
        aligned("Breast reduction", done, activity, key=index)
        for index, (done, activity) in enumerate(dates)
    ]

    assert counted(linked).counted >= counted(bare).counted
