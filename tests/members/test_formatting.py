"""members.formatting: the one home of dates, credits and statuses (pure unit tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from members import formatting
from members.formatting import Badge

JUNE_15 = dt.date(2026, 6, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (JUNE_15, "Jun 15, 2026"),
        (dt.date(2025, 12, 31), "Dec 31, 2025"),
        (dt.date(2029, 12, 1), "Dec 1, 2029"),
        (dt.date(2024, 1, 1), "Jan 1, 2024"),
        (dt.date(2026, 9, 5), "Sep 5, 2026"),
        (None, ""),
    ],
)
def test_a_day_is_written_as_pages_pdfs_and_emails_write_it(value, expected):
    assert formatting.day(value) == expected


def test_a_day_does_not_depend_on_the_process_locale(monkeypatch):
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert formatting.day(dt.date(2026, 3, 1)) == "Mar 1, 2026"


def test_a_span_of_days_and_a_month():
    assert formatting.day_span(JUNE_15, JUNE_15) == "Jun 15, 2026"
    assert formatting.day_span(JUNE_15, dt.date(2026, 6, 17)) == "Jun 15, 2026 – Jun 17, 2026"
    assert formatting.month(JUNE_15) == "Jun 2026"


def test_a_moment_on_pages_and_in_the_audit_log_and_csv():
    at = dt.datetime(2026, 6, 15, 9, 5, 7, 123, tzinfo=dt.UTC)
    assert formatting.moment(at) == "Jun 15, 2026 09:05"
    assert formatting.iso_moment(at) == "2026-06-15T09:05:07+00:00"
    assert formatting.moment(None) == formatting.iso_moment(None) == ""


def test_csv_and_the_api_write_iso_days():
    assert formatting.iso_day(JUNE_15) == "2026-06-15"
    assert formatting.iso_day(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.50"), "1.5"),
        (Decimal("12.00"), "12"),
        (Decimal("7.25"), "7.25"),
        (Decimal("150"), "150"),  # never 1.5E+2
        (Decimal("1E+2"), "100"),
        (Decimal("-0.00"), "0"),
        (Decimal("0.125"), "0.13"),  # two places, half up
        (12, "12"),
        ("2.50", "2.5"),
        (0.1, "0.1"),
        (None, "0"),
        ("", "0"),
    ],
)
def test_credits_are_written_as_people_write_them(value, expected):
    assert formatting.credits(value) == expected


@pytest.mark.parametrize("value", ["NaN", "Infinity", "many", object()])
def test_something_that_is_not_a_number_of_credits_is_refused(value):
    with pytest.raises(ValueError, match="Not a number of credits"):
        formatting.credits(value)


@pytest.mark.parametrize(
    ("status", "patient_safety", "expected"),
    [
        ("pending", Decimal(2), Badge("PS pending review", "warn")),
        ("pending", Decimal(0), None),
        ("documentation_requested", Decimal(0), Badge("Documentation requested", "warn")),
        ("documentation_requested", Decimal(1), Badge("Documentation requested", "warn")),
        ("rejected", Decimal(1), Badge("PS rejected", "bad")),
        ("approved", Decimal(1), Badge("PS approved", "ok")),
        ("approved", Decimal(0), None),
        ("not_required", Decimal(0), None),
    ],
)
def test_the_review_badge(status, patient_safety, expected):
    assert formatting.review_badge(status, patient_safety) == expected


def test_every_badge_of_an_entry_in_the_order_pages_show_them():
    badges = formatting.entry_badges(
        status="pending", patient_safety_credits=1, imported=True, replaced=False, repeats=True
    )
    assert [b.label for b in badges] == ["Imported", "PS pending review", "Repeats your entry"]
    replaced = formatting.entry_badges(
        status="approved", patient_safety_credits=0, imported=False, replaced=True, repeats=True
    )
    assert [(b.label, b.tone) for b in replaced] == [("Replaced", "warn")]
    assert "does not count" in replaced[0].title
    typed_twice = formatting.entry_badges(
        status="not_required",
        patient_safety_credits=0,
        imported=False,
        replaced=False,
        repeats=True,
    )
    assert [b.label for b in typed_twice] == ["Duplicate"]


def test_the_models_take_their_labels_from_here():
    from credits.models import ReviewStatus
    from members.models import Standing

    assert dict(ReviewStatus.choices) == formatting.REVIEW_LABELS
    assert dict(Standing.choices) == formatting.STANDING_LABELS
