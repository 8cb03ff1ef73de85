"""A real Celery worker, on the real broker and database, sends a group reminder run queued
as the staff page queues it (CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from credits.membership_selectors import MembershipFilter
from reports import group_reminders, tasks
from reports.models import GroupReminderRun
from tests.reports.group_reminder_helpers import short_member, summarize
from tests.today import TODAY
from tests.worker_helpers import celery_worker, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_a_group_reminder_run():
    members = [short_member(f"m{n}@example.org") for n in range(5)]
    summarize(*members)
    reminder_run = group_reminders.run_start(MembershipFilter(), by=None, today=TODAY)
    with celery_worker(EMAIL_URL="consolemail://") as queue:
        tasks.send_group_reminders.apply_async(args=[reminder_run.pk], queue=queue)

        def finished() -> bool:
            reminder_run.refresh_from_db()
            return reminder_run.status == GroupReminderRun.Status.DONE

        wait_until(finished)

    assert (reminder_run.status, reminder_run.planned, reminder_run.sent) == ("done", 5, 5)
