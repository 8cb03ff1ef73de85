"""The designation rules (credits/rules/designations.py), pure: no database."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from credits import rules

MEETING = rules.Designation("ASAPS Annual Meeting", Decimal("50.75"), Decimal("12"))
SESSIONS = rules.Designation("Scientific Sessions", Decimal("21.25"), Decimal("12"))
COURSES = rules.Designation("Optional courses", Decimal("29.50"), None)
quarters = st.integers(min_value=1, max_value=40_000).map(lambda n: Decimal(n) / 4)


def test_the_designated_maximum_is_the_most_one_may_claim():
    assert rules.credits_problem([MEETING], Decimal("50.75")) is None
    problem = rules.credits_problem([MEETING], Decimal("60"))
    assert problem == (
        "ASAPS Annual Meeting is designated for a maximum of 50.75 AMA PRA Category 1 "
        "Credits™: claim at most 50.75."
    )


def test_a_part_is_held_to_its_own_designation_and_to_its_whole():
    assert "21.25" in rules.credits_problem([SESSIONS, MEETING], Decimal("21.5"))
    claimed_whole = rules.Designation("ASAPS Annual Meeting", Decimal("50.75"), claimed=Decimal(40))
    problem = rules.credits_problem([SESSIONS, claimed_whole], Decimal("20"))
    assert problem.endswith("already claim 40: claim at most 10.75 here.")


def test_an_activity_without_a_stated_maximum_limits_nothing():
    unknown = rules.Designation("A course", None)
    assert rules.credits_problem([unknown], Decimal("9999.75")) is None


def test_patient_safety_within_the_designation_is_vouched_for():
    assert rules.patient_safety_within_designation([MEETING], Decimal("4")) == MEETING
    assert rules.patient_safety_within_designation([MEETING], Decimal("12")) == MEETING
    assert rules.patient_safety_within_designation([MEETING], Decimal("13")) is None
    assert rules.patient_safety_within_designation([MEETING], Decimal("0")) is None


def test_a_claim_with_no_patient_safety_designation_goes_to_a_person():
    assert rules.patient_safety_within_designation([COURSES, MEETING], Decimal("1")) is None
    assert rules.patient_safety_within_designation([], Decimal("1")) is None


def test_earlier_claims_on_the_activity_use_up_its_designation():
    used = rules.Designation(
        "ASAPS Annual Meeting", Decimal("50.75"), Decimal("12"), Decimal(8), Decimal(10)
    )
    assert rules.patient_safety_within_designation([used], Decimal("2")) == used
    assert rules.patient_safety_within_designation([used], Decimal("2.25")) is None
    whole_used = rules.Designation("Whole", None, Decimal("12"), claimed_patient_safety=Decimal(11))
    assert rules.patient_safety_within_designation([SESSIONS, whole_used], Decimal("2")) is None


def test_the_reason_names_the_designation():
    reason = rules.approval_reason(MEETING, Decimal("4"))
    assert reason == "ASAPS Annual Meeting is designated for 12 patient-safety credits; 4 claimed."


@given(maximum=quarters, claimed=quarters, credits=quarters)
def test_a_claim_is_refused_exactly_when_it_passes_what_is_left(maximum, claimed, credits):
    designation = rules.Designation("X", maximum, claimed=claimed)
    refused = rules.credits_problem([designation], credits) is not None
    assert refused == (claimed + credits > maximum)
