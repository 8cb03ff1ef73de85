"""Short of patient-safety credits: which bodies still want them and which topics still count
(credits.rules.shortfalls). Pure rules, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credits import rules
from credits.rules import ASAPS, ASPS, BoardWindowFacts, PatientSafetyKind, evaluate
from tests.credits.rules_helpers import CAPPED_KINDS, totals

QA = PatientSafetyKind.QUALITY_ASSURANCE
GENERAL = PatientSafetyKind.GENERAL
CYCLE_END = date(2027, 12, 31)


def asps_shortfall(**patient_safety: str | int) -> rules.Shortfall | None:
    amounts = totals(**patient_safety)
    return rules.society_shortfall(evaluate(amounts, ASPS), amounts, deadline=CYCLE_END)


def board(patient_safety: str | int, *, as_of: date, special_circumstances: bool = False):
    """A diplomate certified in 2021 (deadlines Dec 1, 2023, 2026 and 2029) with the same
    patient-safety credits in every window."""
    milestones = rules.certification_milestones(2021, as_of)
    facts = BoardWindowFacts(patient_safety=Decimal(patient_safety))
    return rules.evaluate_certification(
        certification_year=2021,
        as_of=as_of,
        facts={m.window: facts for m in milestones},
        special_circumstances=special_circumstances,
    )


def test_the_room_of_a_capped_topic_is_its_cap_less_what_counts_already():
    room = rules.patient_safety_room(totals(quality_assurance=3, research=9, general=40), ASPS)

    assert room[QA] == Decimal(2)
    assert room[PatientSafetyKind.RESEARCH] == 0  # past the cap: nothing more counts
    assert room[PatientSafetyKind.DEVICE_TRAINING] == 5
    assert room[GENERAL] is None  # no cap


def test_a_society_met_in_patient_safety_wants_nothing():
    assert asps_shortfall(general=20) is None
    assert asps_shortfall(general=15, quality_assurance=5) is None


def test_a_society_short_says_what_it_wants_and_by_when():
    shortfall = asps_shortfall(general=4, quality_assurance=5)

    assert shortfall.body == "ASPS"
    assert shortfall.still_needed == "11 more patient-safety credits by Dec 31, 2027"
    assert not shortfall.counts(QA)
    assert shortfall.counts(GENERAL)


def test_a_capped_topic_whose_cap_is_used_up_is_left_out():
    used_up = rules.topics_used_up([asps_shortfall(quality_assurance=5)])

    assert used_up == {QA}


def test_credits_beyond_the_cap_do_not_make_room_again():
    assert rules.topics_used_up([asps_shortfall(quality_assurance="7.5")]) == {QA}


def test_a_topic_with_room_left_is_offered_with_how_much_still_counts():
    found = [asps_shortfall(quality_assurance=3)]

    assert rules.topics_used_up(found) == frozenset()
    assert rules.topic_note(QA, found) == (
        "Up to 2 more quality-assurance credits count this cycle (the limit is 5)."
    )
    assert rules.topic_note(GENERAL, found) == ""


def test_one_credit_left_counts_in_the_singular():
    note = rules.topic_note(QA, [asps_shortfall(quality_assurance=4)])

    assert note.startswith("Up to 1 more quality-assurance credit counts")


def test_why_a_topic_is_left_out_in_words():
    found = [asps_shortfall(quality_assurance=5, research=5)]

    sentence = rules.left_out_sentence(rules.topics_used_up(found), found)

    assert sentence == (
        "Quality-assurance and research activities are not listed: you already have the "
        "5 quality-assurance and 5 research credits a cycle can count."
    )
    assert rules.left_out_sentence(frozenset(), found) == ""


def test_asaps_judges_the_same_totals_by_the_same_caps():
    amounts = totals(general=2, quality_assurance=5)
    found = [
        rules.society_shortfall(evaluate(amounts, requirement_set), amounts, deadline=CYCLE_END)
        for requirement_set in (ASPS, ASAPS)
    ]

    assert [s.body for s in found] == ["ASPS", "ASAPS"]
    assert rules.topics_used_up(found) == {QA}


def test_the_board_short_of_its_20_credits_wants_them_by_its_deadline():
    shortfall = rules.board_shortfall(board(5, as_of=date(2026, 6, 15)))

    assert shortfall.body == "ABPS"
    assert shortfall.still_needed == "15 more patient-safety credits by Dec 1, 2026"
    assert all(shortfall.counts(kind) for kind in PatientSafetyKind)  # no caps (§6)


def test_the_board_met_or_not_yet_open_wants_nothing():
    assert rules.board_shortfall(board(20, as_of=date(2026, 6, 15))) is None
    # After the year-9 deadline the next window (year 3 of the next cycle) opens a year later.
    assert rules.board_shortfall(board(0, as_of=date(2030, 1, 15))) is None


def test_special_circumstances_want_an_approved_activity():
    shortfall = rules.board_shortfall(board(0, as_of=date(2026, 6, 15), special_circumstances=True))

    assert shortfall.still_needed == "an approved patient-safety activity by Dec 1, 2026"


def test_a_topic_past_the_society_cap_still_counts_toward_the_board():
    found = [
        asps_shortfall(quality_assurance=5),
        rules.board_shortfall(board(5, as_of=date(2026, 6, 15))),
    ]

    assert rules.topics_used_up(found) == frozenset()
    assert rules.topic_note(QA, found) == (
        "Counts toward the ABPS only: you already have the 5 quality-assurance credits a cycle "
        "can count for ASPS."
    )


def test_nobody_short_leaves_every_topic_out():
    assert rules.topics_used_up([]) == frozenset(PatientSafetyKind)
    assert rules.left_out_sentence(frozenset(PatientSafetyKind), []) == ""


@pytest.mark.parametrize("kind", CAPPED_KINDS)
def test_each_capped_topic_is_left_out_at_its_cap_and_offered_below_it(kind):
    at_cap = asps_shortfall(**{kind.value: 5})
    below = asps_shortfall(**{kind.value: "4.75"})

    assert rules.topics_used_up([at_cap]) == {kind}
    assert rules.topics_used_up([below]) == frozenset()


amounts = st.decimals(min_value=0, max_value=30, places=2)


@given(general=amounts, quality_assurance=amounts)
def test_a_topic_is_offered_exactly_when_more_of_it_would_raise_the_counted_credits(
    general, quality_assurance
):
    """Offered ⇔ one more credit of the topic raises what ASPS counts (while short)."""
    shortfall = asps_shortfall(general=general, quality_assurance=quality_assurance)
    if shortfall is None:
        return
    before = evaluate(totals(general=general, quality_assurance=quality_assurance), ASPS)
    more = totals(general=general, quality_assurance=quality_assurance + 1)
    after = evaluate(more, ASPS)
    raises = (
        after.requirement("patient_safety").counted > before.requirement("patient_safety").counted
    )

    assert (QA not in rules.topics_used_up([shortfall])) == raises
