"""A real Celery worker, on the real broker and database, sends a group reminder run queued
as the staff page queues it (CI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from credits.membership_selectors import MembershipFilter
from reports import group_reminders, tasks
from reports.models import GroupReminderRun
from tests.conftest import require_service
from tests.reports.group_reminder_helpers import short_member, summarize
from tests.today import TODAY

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_a_group_reminder_run():
    require_service(bool(settings.CELERY_BROKER_URL), "a Celery broker (CELERY_BROKER_URL)")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    members = [short_member(f"m{n}@example.org") for n in range(5)]
    summarize(*members)
    reminder_run = group_reminders.run_start(MembershipFilter(), by=None, today=TODAY)
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"  # no other worker can take this test's task
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cmetrack",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=WARNING",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "EMAIL_URL": "consolemail://"},
        stdout=subprocess.DEVNULL,
    )
    try:
        tasks.send_group_reminders.apply_async(args=[reminder_run.pk], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reminder_run.refresh_from_db()
            if reminder_run.status == GroupReminderRun.Status.DONE:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    assert (reminder_run.status, reminder_run.planned, reminder_run.sent) == ("done", 5, 5)
