"""Group reminders (reports.group_reminders): each member is told their own deficit, the counts
add up, nobody is reminded twice within 7 days, a retried run sends nobody twice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from credits.membership_selectors import MembershipFilter
from credits.models import ComplianceSummary
from reports import group_reminder_selectors, group_reminders
from reports.models import GroupReminderRun, GroupReminderSend
from tests.reports.group_reminder_helpers import short_member, summarize
from tests.today import TODAY

pytestmark = pytest.mark.django_db
Send = GroupReminderSend.Status
EVERYONE = MembershipFilter()  # the cycles ending this year and next


def start_and_send(chosen: MembershipFilter = EVERYONE) -> GroupReminderRun:
    reminder_run = group_reminders.run_start(chosen, by=None, today=TODAY)
    return group_reminders.send_group_reminders(reminder_run.pk)


def travel(days: int):
    noon = dt.datetime.combine(TODAY, dt.time(12, 0), tzinfo=dt.UTC)
    return time_machine.travel(noon + dt.timedelta(days=days), tick=False)


@pytest.fixture
def members():
    """Three members short by different amounts; one who meets every requirement."""
    chosen = {
        "ann": short_member("ann@example.org", credits=30, patient_safety=2),
        "ben": short_member("ben@example.org"),
        "cy": short_member("cy@example.org", credits=140, patient_safety=20),
        "done": short_member("done@example.org", credits=160, patient_safety=20),
    }
    summarize(*chosen.values())
    return chosen


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_each_member_is_told_their_own_deficit_and_cycle_end(members):
    start_and_send()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ann@example.org",
        "ben@example.org",
        "cy@example.org",
    ]
    ann, ben, cy = (emails_to(f"{name}@example.org")[0] for name in ("ann", "ben", "cy"))
    end = ComplianceSummary.objects.get(member=members["ann"], cycle_end__gte=TODAY).cycle_end
    by = f"{end:%b} {end.day}, {end.year}"
    assert (
        f"You still need 120 more credits, of which 30 AMA PRA Category 1, 20 plastic surgery "
        f"and 18 patient safety, by {by}." in ann.body
    )
    assert "You still need 150 more credits" in ben.body
    assert "20 patient safety" in ben.body
    # cy has 140 of the 150 and every other requirement met: only the total is named.
    assert f"You still need 10 more credits by {by}." in cy.body
    assert "  - 10 more credits (Category 1 or 2)\n\n" in cy.body
    assert ann.subject == f"[CME Track] Your CME: 120 more credits needed by {by}"
    html = ann.alternatives[0]
    assert html[1] == "text/html"
    assert "30 AMA PRA Category 1" in html[0]
    assert 'href="http://' in html[0] and "/credits/new/" in html[0]
    assert "/credits/new/" in ann.body


def test_the_counts_add_up_with_skips_and_failures(members, settings):
    settings.EMAIL_BACKEND = "tests.reports.mail_backends.RefusingBackend"
    no_address = short_member("x@example.org")
    no_address.user.email = ""
    no_address.user.save(update_fields=["email"])
    closed = short_member("closed@example.org")
    closed.user.is_active = False
    closed.user.save(update_fields=["is_active"])
    bounce = short_member("bounce@example.org")
    summarize(no_address, closed, bounce)

    reminder_run = start_and_send()

    assert reminder_run.status == GroupReminderRun.Status.DONE
    assert (reminder_run.planned, reminder_run.sent, reminder_run.skipped, reminder_run.failed) == (
        6,
        3,
        2,
        1,
    )
    assert reminder_run.started_at and reminder_run.finished_at
    statuses = dict(reminder_run.sends.values_list("member__user__email", "status"))
    assert statuses == {
        "ann@example.org": Send.SENT,
        "ben@example.org": Send.SENT,
        "cy@example.org": Send.SENT,
        "": Send.SKIPPED_NO_EMAIL,
        "closed@example.org": Send.SKIPPED_NO_EMAIL,
        "bounce@example.org": Send.FAILED,
    }
    failed = reminder_run.sends.get(status=Send.FAILED)
    assert "No such user" in failed.error and failed.sent_at is None
    assert len(mail.outbox) == 3
    assert group_reminder_selectors.skipped_by_reason(reminder_run.pk) == [
        ("Skipped: no email address to write to", 2)
    ]


def test_nobody_gets_a_second_group_reminder_within_7_days(members):
    first = start_and_send()
    assert first.sent == 3

    with travel(6):
        second = start_and_send()
    with travel(8):
        third = start_and_send()

    assert (second.sent, second.skipped) == (0, 3)
    assert set(second.sends.values_list("status", flat=True)) == {Send.SKIPPED_RECENT}
    assert third.sent == 3
    assert len(mail.outbox) == 6


def test_the_preview_counts_what_a_run_would_do(members):
    ann = members["ann"]
    before = group_reminder_selectors.preview(EVERYONE, today=TODAY, now=_now())
    group_reminders.send_group_reminders(
        group_reminders.run_start(
            MembershipFilter(state="IL", requirement="total"), by=None, today=TODAY
        ).pk
    )
    GroupReminderSend.objects.exclude(member=ann).delete()  # only ann was reminded lately

    after = group_reminder_selectors.preview(EVERYONE, today=TODAY, now=_now())

    assert (before.listed, before.already_met, before.recent, before.will_get) == (4, 1, 0, 3)
    assert (after.listed, after.already_met, after.recent, after.will_get) == (4, 1, 1, 2)
    assert after.sample.member != ann and not after.sample.met


def _now():
    from django.utils import timezone

    return timezone.now()


def test_a_member_who_met_the_requirement_since_the_start_is_skipped(members):
    reminder_run = group_reminders.run_start(EVERYONE, by=None, today=TODAY)
    ComplianceSummary.objects.filter(member=members["ben"]).update(met=True)

    reminder_run = group_reminders.send_group_reminders(reminder_run.pk)

    assert reminder_run.sends.get(member=members["ben"]).status == Send.SKIPPED_CHANGED
    assert (reminder_run.sent, reminder_run.skipped) == (2, 1)
    assert not emails_to("ben@example.org")


def test_a_retried_run_sends_nobody_twice(members, monkeypatch):
    """A worker died in the middle: ann's email went out (sent), ben's was claimed but the
    worker died before marking it (sending), cy was not reached (queued)."""
    monkeypatch.setattr(group_reminders, "BATCH", 1)
    reminder_run = group_reminders.run_start(EVERYONE, by=None, today=TODAY)
    rows = reminder_run.sends
    rows.filter(member=members["ann"]).update(status=Send.SENT, sent_at=_now())
    rows.filter(member=members["ben"]).update(status=Send.SENDING, sent_at=_now())
    GroupReminderRun.objects.filter(pk=reminder_run.pk).update(
        status=GroupReminderRun.Status.FAILED
    )

    again = group_reminders.send_group_reminders(reminder_run.pk)
    once_more = group_reminders.send_group_reminders(reminder_run.pk)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ben@example.org",
        "cy@example.org",
    ]
    assert (again.status, again.sent, again.skipped, again.failed) == ("done", 3, 0, 0)
    assert once_more.sent == 3 and len(mail.outbox) == 2
    assert rows.count() == 3  # one row per member and run


def test_the_progress_is_updated_per_batch_not_per_email(
    members, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(group_reminders, "BATCH", 2)
    more = [short_member(f"m{n}@example.org") for n in range(7)]
    summarize(*more)
    reminder_run = group_reminders.run_start(EVERYONE, by=None, today=TODAY)
    seen: list[int] = []
    original = group_reminders._recount

    def watch(run_id):
        original(run_id)
        seen.append(GroupReminderRun.objects.get(pk=run_id).sent)

    monkeypatch.setattr(group_reminders, "_recount", watch)
    group_reminders.send_group_reminders(reminder_run.pk)

    assert seen[:5] == [2, 4, 6, 8, 10]  # 10 members short, 5 batches of 2
    assert len(mail.outbox) == 10


def test_the_filter_round_trips_as_json():
    chosen = MembershipFilter(
        years=(2026,), ends_within_days=90, requirement="patient_safety", pending_only=True
    )
    assert group_reminders.filter_from_json(group_reminders.filter_as_json(chosen)) == chosen


@pytest.mark.parametrize(
    ("shorts", "end", "expected"),
    [
        (
            {"total_short": 34, "patient_safety_short": 12},
            dt.date(2026, 12, 31),
            "You still need 34 more credits, of which 12 patient safety, by Dec 31, 2026.",
        ),
        (
            {"patient_safety_short": 12, "plastic_surgery_short": 1},
            dt.date(2026, 12, 31),
            "You still need 1 more plastic-surgery credit and 12 more patient-safety credits "
            "by Dec 31, 2026.",
        ),
        (
            {"total_short": 1.5},
            dt.date(2025, 12, 31),
            "You still need 1.5 more credits for the cycle that ended on Dec 31, 2025.",
        ),
    ],
)
def test_the_headline_names_only_what_is_short(shorts, end, expected):
    from decimal import Decimal

    from reports.group_reminder_email import headline

    summary = ComplianceSummary(
        cycle_end=end, **{field: Decimal(str(value)) for field, value in shorts.items()}
    )
    assert headline(summary, today=dt.date(2026, 6, 15)) == expected
