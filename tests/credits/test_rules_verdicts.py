"""A verdict in words (credits.rules.verdicts): the one home of "Met (pending review)",
"Not met" and the plain totals of a date range."""

from __future__ import annotations

from decimal import Decimal

from credits import rules
from credits.rules.verdicts import Status

MET = {"category_1": 150, "plastic_surgery": 60, "ps_general": 20}


def verdict_of(row: dict, **options) -> rules.Verdict:
    by_kind = {rules.PatientSafetyKind.GENERAL: Decimal(row.get("ps_general", 0))}
    totals = rules.Totals(
        category_1=Decimal(row.get("category_1", 0)),
        plastic_surgery=Decimal(row.get("plastic_surgery", 0)),
        patient_safety_by_kind=by_kind,
        patient_safety_pending=Decimal(row.get("ps_pending", 0)),
    )
    return rules.verdict(rules.evaluate(totals).requirements, **options)


def test_met_without_pending_claims_is_plainly_met():
    verdict = verdict_of(MET)

    assert verdict.status == Status.MET
    assert verdict.headline == "All four requirements met"
    assert [row.words for row in verdict.rows] == ["Met"] * 4


def test_met_only_thanks_to_pending_claims_is_met_pending_review():
    verdict = verdict_of({**MET, "ps_pending": 37, "ps_general": 40})

    assert verdict.status == Status.MET_PENDING
    assert verdict.headline == (
        "All four requirements met — 37 patient-safety credits still pending review"
    )
    assert verdict.detail == "Met only if the 37 pending patient-safety credits are approved."
    assert [row.words for row in verdict.rows] == ["Met", "Met", "Met", "Met (pending review)"]


def test_pending_claims_the_requirement_does_not_need_leave_it_met():
    verdict = verdict_of({**MET, "ps_general": 25, "ps_pending": 5})  # 20 approved are enough

    assert verdict.status == Status.MET
    assert verdict.rows[3].words == "Met"


def test_one_pending_credit_is_singular():
    verdict = verdict_of({**MET, "ps_pending": 1})

    assert verdict.headline.endswith("1 patient-safety credit still pending review")
    assert verdict.detail == "Met only if the 1 pending patient-safety credit is approved."


def test_an_open_cycle_short_of_credits_says_not_yet_and_what_is_missing():
    verdict = verdict_of({**MET, "ps_general": 19})

    assert verdict.status == Status.NOT_YET
    assert verdict.headline == "Still needed: 1 more patient-safety credit"
    assert verdict.rows[3].words == "Not yet"


def test_a_closed_cycle_short_of_credits_says_not_met():
    verdict = verdict_of({**MET, "ps_general": 19}, closed=True)

    assert verdict.status == Status.NOT_MET
    assert verdict.headline.startswith("Not met")
    assert "Not yet" not in verdict.headline
    assert verdict.rows[3].words == "Not met"
    assert verdict.rows[0].words == "Met"


def test_a_date_range_gets_plain_totals_and_no_verdict():
    verdict = verdict_of({"category_1": 57}, totals_only=True)

    assert verdict.status == Status.TOTALS
    assert verdict.is_totals and not verdict.met
    assert "more" not in verdict.headline + verdict.detail  # nothing "still needed"
    assert all(row.words == "" for row in verdict.rows)


def test_the_society_is_named_when_asked():
    assert verdict_of(MET, society="ASAPS").headline == "All four ASAPS requirements met"
