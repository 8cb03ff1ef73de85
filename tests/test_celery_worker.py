"""A real Celery worker, on the real broker and database, runs a job end to end (CI)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from members.models import Member
from reports import tasks
from tests.conftest import require_service
from tests.factories import on_fixed_cycles

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def alice(alice):
    """These tests run the job on given dates: alice's cycles stay where they are written."""
    return on_fixed_cycles(alice)


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_applies_the_standing_job_in_the_database(alice):
    require_service(bool(settings.CELERY_BROKER_URL), "a Celery broker (CELERY_BROKER_URL)")
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
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
        env={**os.environ, "DATABASE_URL": database_url},
    )
    try:
        tasks.evaluate_standing.apply_async(args=["2025-01-01"], queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if Member.objects.get(pk=alice.pk).standing == "probation":
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)

    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("probation", dt.date(2025, 1, 1))
