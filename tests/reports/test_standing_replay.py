"""Replaying the standing job as of any date, earlier or later (docs/rules.md §5; README "Nightly
jobs"): the same date twice changes nothing, and any order of dates ends where the dates in
order end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from members import standing_services
from members.models import AuditEvent, StandingChange
from reports import standing_job
from tests.factories import CreditEntryFactory, MemberFactory, on_fixed_cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(alice):
    """These tests run the job on given dates: alice's cycles stay where they are written."""
    return on_fixed_cycles(alice)


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


def test_a_day_before_a_staff_override_leaves_the_override_and_the_present_alone(alice, reviewer):
    """Judged from 2024-06-01 too, alice met 2019-2021 and missed 2022-2024: the same
    probation; the override after it stands."""
    CreditEntryFactory(
        member=alice,
        end_date=dt.date(2021, 6, 1),
        credits=Decimal("150"),
        plastic_surgery_credits=Decimal("50"),
        patient_safety_credits=Decimal("20"),
        review_status="approved",
    )
    standing_job.evaluate_standing(as_of=dt.date(2025, 2, 1))  # probation from 2025-01-01
    alice.refresh_from_db()
    standing_services.standing_override(
        member=alice, standing="good", note="Board decision.", by=reviewer, on=dt.date(2025, 3, 1)
    )

    run = standing_job.evaluate_standing(as_of=dt.date(2024, 6, 1))

    assert run.transitions == [] and run.withdrawn == []
    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("good", dt.date(2025, 3, 1))
    assert history(alice) == [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "good", dt.date(2025, 3, 1)),
    ]


def test_a_step_that_no_longer_follows_is_withdrawn_and_noted(alice, capsys):
    """As of 2028-03-01 alice is first judged on 2025-2027 (no credits): probation
    2028-01-01. Judged from 2025-06-01 she went on probation in 2025 and was dropped on
    2027-01-01, so the 2028 probation never happens."""
    standing_job.evaluate_standing(as_of=dt.date(2028, 3, 1))

    call_command("evaluate_standing", "--as-of", "2025-06-01")

    assert history(alice) == [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "suspended", dt.date(2026, 1, 1)),
        ("suspended", "dropped", dt.date(2027, 1, 1)),
    ]
    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("dropped", dt.date(2027, 1, 1))
    assert "withdrawn good → probation from 2028-01-01" in capsys.readouterr().out
    assert AuditEvent.objects.filter(details__withdrawn=True, target=alice.asps_id).exists()


def test_a_day_far_ahead_still_judges_the_cycle_the_probation_is_about(alice):
    """alice has no credits. As of 2025-01-01 her 2022-2024 cycle puts her on probation. A
    run as of 2031-02-01 comes next: the probation is still about 2022-2024, however many
    cycles ended since, so she is suspended in 2026 and dropped in 2027 — not back in good
    standing because 2022-2024 is no longer among the last two cycles."""
    standing_job.evaluate_standing(as_of=dt.date(2025, 1, 1))
    standing_job.evaluate_standing(as_of=dt.date(2031, 2, 1))

    expected = [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "suspended", dt.date(2026, 1, 1)),
        ("suspended", "dropped", dt.date(2027, 1, 1)),
    ]
    assert history(alice) == expected
    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("dropped", dt.date(2027, 1, 1))


def test_a_day_far_ahead_of_a_make_up_still_judges_every_cycle_since(alice):
    """alice misses 2022-2024 and makes it up on 2025-01-01, the first day of her probation;
    her 2025-2027 cycle is short too. A run as of 2034-02-01 after one as of 2025-01-01 still
    judges 2025-2027 (probation 2028), however far back it is."""
    for day in (dt.date(2023, 6, 1), dt.date(2025, 1, 1)):  # half a cycle each
        CreditEntryFactory(
            member=alice,
            end_date=day,
            credits=Decimal("75"),
            plastic_surgery_credits=Decimal("25"),
            patient_safety_credits=Decimal("10"),
            review_status="approved",
        )
    standing_job.evaluate_standing(as_of=dt.date(2025, 1, 1))
    standing_job.evaluate_standing(as_of=dt.date(2034, 2, 1))

    assert history(alice) == [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "good", dt.date(2025, 1, 1)),
        ("good", "probation", dt.date(2028, 1, 1)),
        ("probation", "suspended", dt.date(2029, 1, 1)),
        ("suspended", "dropped", dt.date(2030, 1, 1)),
    ]


@pytest.mark.parametrize(
    "days",
    [
        [dt.date(2025, 1, 1), dt.date(2031, 2, 1)],
        [dt.date(2031, 2, 1), dt.date(2025, 1, 1)],
        [dt.date(2025, 6, 1), dt.date(2031, 2, 1), dt.date(2025, 1, 1)],
        [dt.date(2031, 2, 1), dt.date(2025, 6, 1), dt.date(2025, 1, 1)],
    ],
    ids=str,
)
def test_a_short_cycle_ends_the_same_in_any_order_of_days(alice, days):
    """The same member and days in several orders: probation 2025, suspended 2026, dropped
    2027 every time."""
    for day in days:
        standing_job.evaluate_standing(as_of=day)

    assert history(alice) == [
        ("good", "probation", dt.date(2025, 1, 1)),
        ("probation", "suspended", dt.date(2026, 1, 1)),
        ("suspended", "dropped", dt.date(2027, 1, 1)),
    ]
    alice.refresh_from_db()
    assert (alice.standing_judged_from, alice.standing_judged_to) == (
        min(days),
        max(days),
    )


# --- Any order of days ends where the days in order end (Hypothesis) ---------------------------

# Days around the cycles ending 2024-12-31, 2027-12-31 and 2030-12-31 (cycle start 2016-01-01).
RUN_DAYS = [
    dt.date(2024, 6, 1),
    dt.date(2025, 1, 1),
    dt.date(2025, 6, 1),
    dt.date(2026, 1, 1),
    dt.date(2026, 7, 1),
    dt.date(2027, 3, 1),
    dt.date(2028, 1, 1),
    dt.date(2028, 9, 1),
    dt.date(2029, 6, 1),
    dt.date(2031, 2, 1),
]
# (credits, plastic surgery, patient safety): a whole cycle, half of one, a little.
PORTIONS = {"whole": (150, 50, 20), "half": (75, 25, 10), "little": (10, 0, 0)}
credit = st.tuples(
    st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2031, 1, 31)),
    st.sampled_from(sorted(PORTIONS)),
)
members_credits = st.lists(st.lists(credit, max_size=6), min_size=1, max_size=3)
days_and_order = st.lists(st.sampled_from(RUN_DAYS), min_size=2, max_size=5, unique=True).flatmap(
    lambda days: st.tuples(st.just(days), st.permutations(days))
)


def replay(credits_by_member, days, capture) -> list[dict]:
    """Members with these credits, the job run as of ``days`` in that order, then every day
    again; what each member ends with. Rolled back afterwards."""
    mail.outbox = []
    with transaction.atomic():
        members = []
        for entries in credits_by_member:
            member = MemberFactory()
            for day, portion in entries:
                total, plastic, safety = PORTIONS[portion]
                CreditEntryFactory(
                    member=member,
                    start_date=day,
                    end_date=day,
                    credits=Decimal(total),
                    plastic_surgery_credits=Decimal(plastic),
                    patient_safety_credits=Decimal(safety),
                    review_status="approved",
                )
            members.append(member)
        for day in days:
            with capture(execute=True):
                standing_job.evaluate_standing(as_of=day)
        for day in days:  # the same days again change nothing and send nothing
            with capture(execute=True):
                assert standing_job.evaluate_standing(as_of=day).transitions == []
        ends = []
        for member in members:
            member.refresh_from_db()
            recorded = history(member)
            sent = [m.body for m in mail.outbox if m.to == [member.user.email]]
            assert len(sent) == len(set(sent)), "an email was sent twice"
            for change in StandingChange.objects.filter(member=member):
                assert sum(change.reason in body for body in sent) == 1, change
            assert len(recorded) == len(set(recorded)), "a step was recorded twice"
            ends.append(
                {
                    "standing": (member.standing, member.standing_since),
                    "history": recorded,
                    "judged": (member.standing_judged_from, member.standing_judged_to),
                }
            )
        transaction.set_rollback(True)
    return ends


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(credits_by_member=members_credits, days=days_and_order)
# A member with no credits on probation from 2025-01-01, judged next as of 2031-02-01: the
# cycle the probation is about is no longer among the last two.
@example(
    credits_by_member=[[]],
    days=([dt.date(2025, 1, 1), dt.date(2031, 2, 1)], [dt.date(2031, 2, 1), dt.date(2025, 1, 1)]),
)
def test_any_order_of_days_ends_as_the_days_in_order(
    db, django_capture_on_commit_callbacks, credits_by_member, days
):
    in_order = replay(credits_by_member, sorted(days[0]), django_capture_on_commit_callbacks)
    shuffled = replay(credits_by_member, days[1], django_capture_on_commit_callbacks)

    assert shuffled == in_order
