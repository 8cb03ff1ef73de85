"""Replaying the standing job as of any date, earlier or later (rules.md §5; README "Nightly
jobs"): the same date twice changes nothing, and any order of dates ends where the dates in
order end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from members.models import StandingChange
from reports import standing_job
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db


def history(member) -> list[tuple[str, str, dt.date]]:
    return [
        (c.from_standing, c.to_standing, c.effective_on)
        for c in StandingChange.objects.filter(member=member).order_by("effective_on", "id")
    ]


def test_an_earlier_date_after_a_later_run_does_not_crash_and_changes_nothing(
    alice, capsys, django_capture_on_commit_callbacks
):
    """alice's 2022-2024 cycle ended without a credit: probation 2025-01-01, suspended
    2026-01-01. Replaying 2025-06-01 afterwards keeps that history and her standing."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("evaluate_standing", "--as-of", "2026-03-01")
        call_command("evaluate_standing", "--as-of", "2025-06-01")
        call_command("evaluate_standing", "--as-of", "2025-06-01")

    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("suspended", dt.date(2026, 1, 1))
    assert history(alice) == [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "suspended", dt.date(2026, 1, 1)),
    ]
    assert len(mail.outbox) == 2
    assert "0 transitions" in capsys.readouterr().out.splitlines()[-1]


def test_an_earlier_date_can_bring_in_a_cycle_the_later_run_did_not_judge(
    alice, django_capture_on_commit_callbacks
):
    """A first run judges the last ended cycle only: as of 2028-06-01 alice's 2025-2027 cycle,
    which she met. Replaying 2025-06-01 judges 2022-2024, which she did not meet, and the
    history follows to 2028-06-01 exactly as runs in date order would have written it."""
    CreditEntryFactory(  # 2025-2027 met; the same credits also make up 2022-2024 in 2026
        member=alice,
        end_date=dt.date(2026, 3, 1),
        credits=Decimal("150"),
        plastic_surgery_credits=Decimal("50"),
        patient_safety_credits=Decimal("20"),
        review_status="approved",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert standing_job.evaluate_standing(as_of=dt.date(2028, 6, 1)).transitions == []
        standing_job.evaluate_standing(as_of=dt.date(2025, 6, 1))
        again = standing_job.evaluate_standing(as_of=dt.date(2025, 6, 1))

    assert again.transitions == []
    alice.refresh_from_db()
    expected = [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "suspended", dt.date(2026, 1, 1)),
        ("suspended", "good", dt.date(2026, 3, 1)),
    ]
    assert history(alice) == expected
    assert (alice.standing, alice.standing_since) == ("good", dt.date(2026, 3, 1))
    assert len(mail.outbox) == 3
