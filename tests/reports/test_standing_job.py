"""The standing job and the reminders against the database (docs/rules.md §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import standing_services
from members.models import ReminderSent, StandingChange
from reports import standing_job
from tests.factories import CreditEntryFactory, MemberFactory, on_fixed_cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(alice):
    """These tests run the job on given dates: alice's cycles stay where they are written."""
    return on_fixed_cycles(alice)


@pytest.fixture
def bob(bob):
    return on_fixed_cycles(bob)


CYCLE_END = dt.date(2024, 12, 31)  # alice's cycle 2022-01-01 .. 2024-12-31
DAY_AFTER = dt.date(2025, 1, 1)


def full_cycle(member, end: dt.date = dt.date(2024, 6, 1)) -> None:
    """Exactly what a cycle needs: 150 total, 60+ Cat 1, 50 plastic surgery, 20 PS."""
    CreditEntryFactory(
        member=member,
        end_date=end,
        credits=Decimal("150"),
        plastic_surgery_credits=Decimal("50"),
        patient_safety_credits=Decimal("20"),
        review_status="approved",
    )


def test_a_member_who_met_the_cycle_stays_in_good_standing(alice):
    full_cycle(alice)

    run = standing_job.evaluate_standing(as_of=DAY_AFTER)

    assert run.transitions == []
    alice.refresh_from_db()
    assert alice.standing == "good"


def test_a_failed_cycle_means_probation_from_the_next_day_and_an_email(
    alice, django_capture_on_commit_callbacks
):
    CreditEntryFactory(member=alice, end_date=dt.date(2024, 3, 1), credits=Decimal("40"))

    with django_capture_on_commit_callbacks(execute=True):
        standing_job.evaluate_standing(as_of=DAY_AFTER)

    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("probation", DAY_AFTER)
    change = StandingChange.objects.get(member=alice)
    assert (change.from_standing, change.to_standing, change.changed_by) == (
        "good",
        "probation",
        None,
    )
    assert "December 31, 2024" in change.reason or "Dec 31, 2024" in change.reason
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "On probation" in mail.outbox[-1].subject


def test_running_twice_on_the_same_day_changes_nothing(alice):
    standing_job.evaluate_standing(as_of=DAY_AFTER)

    second = standing_job.evaluate_standing(as_of=DAY_AFTER)

    assert second.transitions == []
    assert StandingChange.objects.count() == 1


def test_make_up_credits_in_the_probation_year_restore_good_standing(alice):
    standing_job.evaluate_standing(as_of=DAY_AFTER)
    full_cycle(alice, end=dt.date(2025, 5, 10))  # dated after the failed cycle: make-up

    standing_job.evaluate_standing(as_of=dt.date(2025, 6, 1))

    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("good", dt.date(2025, 5, 10))


def test_the_make_up_day_is_the_first_day_the_deficit_is_met(alice, bob):
    """Of several days of make-up credits, the one that completes the requirement counts;
    each member has their own day, and one who is still short stays on probation."""
    for member in (alice, bob):
        CreditEntryFactory(  # 50 short of 150 total; the other requirements are met
            member=member,
            end_date=dt.date(2024, 6, 1),
            credits=Decimal("100"),
            plastic_surgery_credits=Decimal("50"),
            patient_safety_credits=Decimal("20"),
            review_status="approved",
        )
    for day, credits in ((dt.date(2025, 2, 1), 20), (dt.date(2025, 3, 1), 20)):
        for member in (alice, bob):
            CreditEntryFactory(
                member=member, end_date=day, credits=Decimal(credits), patient_safety_credits=0
            )
    CreditEntryFactory(  # alice completes the 150 on April 1st; bob never does
        member=alice, end_date=dt.date(2025, 4, 1), credits=Decimal(10), patient_safety_credits=0
    )
    CreditEntryFactory(member=alice, end_date=dt.date(2025, 5, 1), credits=Decimal(30))

    run = standing_job.evaluate_standing(as_of=dt.date(2025, 6, 1))

    steps = {(c.member.pk, c.to_standing, c.effective_on) for c in run.transitions}
    assert steps == {
        (alice.pk, "probation", DAY_AFTER),
        (alice.pk, "good", dt.date(2025, 4, 1)),
        (bob.pk, "probation", DAY_AFTER),
    }


def test_no_make_up_means_suspended_then_dropped_each_on_its_day(alice):
    run = standing_job.evaluate_standing(as_of=dt.date(2027, 3, 1))

    steps = [(c.to_standing, c.effective_on) for c in run.transitions]
    assert steps == [
        ("probation", dt.date(2025, 1, 1)),
        ("suspended", dt.date(2026, 1, 1)),
        ("dropped", dt.date(2027, 1, 1)),
    ]


def test_members_not_held_to_the_requirement_are_never_flagged(
    db, django_capture_on_commit_callbacks
):
    resident = MemberFactory(membership_type="resident")
    board_only = MemberFactory(asps_member=False, abps_certification_year=2020)

    with django_capture_on_commit_callbacks(execute=True):
        standing_job.evaluate_standing(as_of=DAY_AFTER)
        standing_job.send_reminders(as_of=DAY_AFTER - dt.timedelta(days=30))

    resident.refresh_from_db()
    board_only.refresh_from_db()
    assert (resident.standing, board_only.standing) == ("good", "good")
    assert mail.outbox == []


def test_a_staff_override_is_respected_by_the_job(alice, reviewer):
    standing_job.evaluate_standing(as_of=DAY_AFTER)
    standing_services.standing_override(
        member=alice,
        standing="good",
        note="Medical leave agreed with the board.",
        by=reviewer,
        on=dt.date(2025, 2, 1),
    )

    run = standing_job.evaluate_standing(as_of=dt.date(2025, 2, 1))

    assert run.transitions == []
    alice.refresh_from_db()
    assert alice.standing == "good"
    assert StandingChange.objects.filter(changed_by=reviewer).count() == 1


def test_the_job_runs_the_same_queries_for_3_and_20_members(db):
    def queries_for(count: int) -> int:
        for _ in range(count):
            member = MemberFactory()
            CreditEntryFactory(member=member, end_date=dt.date(2024, 3, 1), credits=Decimal("10"))
        with CaptureQueriesContext(connection) as captured:
            standing_job.evaluate_standing(as_of=dt.date(2027, 3, 1))
        StandingChange.objects.all().delete()
        from members.models import Member

        Member.objects.update(standing="good", standing_since=None)
        return len(captured)

    # 20 (not 30): the nightly check rewrites the new members' summaries, two rows each, in
    # one statement per ~50 rows under SQLite's limit on parameters (per 1,000 on PostgreSQL).
    assert queries_for(3) == queries_for(20)


def test_reminders_go_once_per_lead_time_to_members_not_yet_compliant(
    alice, bob, django_capture_on_commit_callbacks
):
    full_cycle(bob, end=dt.date(2027, 1, 10))  # bob is compliant in 2025-2027
    day = dt.date(2027, 12, 31) - dt.timedelta(days=179)  # 180 days left, counting today

    with django_capture_on_commit_callbacks(execute=True):
        assert standing_job.send_reminders(as_of=day) == 1
        assert standing_job.send_reminders(as_of=day + dt.timedelta(days=1)) == 0
        assert standing_job.send_reminders(as_of=dt.date(2027, 12, 31) - dt.timedelta(days=89)) == 1

    assert [r.days_before for r in ReminderSent.objects.order_by("sent_at")] == [180, 90]
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "150 more credits" in mail.outbox[0].body or "more credits" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("days_left", "due"),
    [(200, None), (180, 180), (91, 180), (90, 90), (31, 90), (30, 30), (1, 30), (0, None)],
)
def test_which_reminder_is_due(days_left, due):
    assert standing_job.reminder_due(days_left) == due


def test_the_command_prints_the_transitions(alice, capsys):
    call_command("evaluate_standing", "--as-of", "2025-01-01")

    out = capsys.readouterr().out
    assert f"{alice.asps_id} {alice.full_name}: good → probation from 2025-01-01" in out
    assert "1 transitions" in out


def test_the_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("evaluate_standing", "--as-of", "yesterday")


def test_staff_override_the_standing_from_the_member_page_with_a_note(reviewer_client, alice):
    refused = reviewer_client.post(
        f"/staff/members/{alice.asps_id}/", {"standing": "probation", "note": ""}
    )
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()

    done = reviewer_client.post(
        f"/staff/members/{alice.asps_id}/",
        {"standing": "probation", "note": "Board decision of 2026-11-20."},
    )

    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.standing == "probation"
    page = reviewer_client.get(f"/staff/members/{alice.asps_id}/").content.decode()
    assert "Board decision of 2026-11-20." in page
    assert "set by reviewer@example.org" in page


def test_a_member_cannot_override_standing(client, alice, bob):
    client.force_login(bob.user)

    response = client.post(f"/staff/members/{alice.asps_id}/", {"standing": "good", "note": "x"})

    assert response.status_code == 404
