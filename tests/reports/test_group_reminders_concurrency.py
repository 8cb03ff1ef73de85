"""Two group reminder runs at the same moment, on PostgreSQL: each member gets at most one
email. Each run claims its batch under row locks on the members (reports.group_reminders);
the second waits, then finds the members claimed and skips them."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.db.models import Count

from credits.membership_selectors import MembershipFilter
from reports import group_reminders
from reports.models import GroupReminderSend
from tests.conftest import require_service
from tests.reports.group_reminder_helpers import short_member, summarize
from tests.today import TODAY

MEMBERS = 120


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [7, 500])
def test_two_runs_at_once_send_each_member_at_most_once(monkeypatch, batch):
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    monkeypatch.setattr(group_reminders, "BATCH", batch)
    members = [short_member(f"m{n}@example.org") for n in range(MEMBERS)]
    summarize(*members)
    runs = [group_reminders.run_start(MembershipFilter(), by=None, today=TODAY) for _ in range(3)]
    start = threading.Barrier(len(runs))
    errors: list[BaseException] = []

    def send(run_id: int) -> None:
        try:
            start.wait()
            group_reminders.send_group_reminders(run_id)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(run.pk,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        member.user.email for member in members
    )
    per_member = (
        GroupReminderSend.objects.filter(status=GroupReminderSend.Status.SENT)
        .values("member")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_member} == {1}
    assert per_member.count() == MEMBERS
    sent = sum(run.sends.filter(status="sent").count() for run in runs)
    skipped = sum(run.sends.filter(status="skipped_recent").count() for run in runs)
    assert (sent, skipped) == (MEMBERS, 2 * MEMBERS)
