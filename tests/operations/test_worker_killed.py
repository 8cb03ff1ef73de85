"""A Celery worker killed (SIGKILL) in the middle of a 50,000-row meeting import: nothing of
the half-done import stays, a new worker picks the task up once its visibility timeout has
passed, and every row is imported exactly once with the run's counts right (CI)."""

from __future__ import annotations

import signal
import time
import uuid

import pytest
from django.db import connection

from bench.records import bulk_members
from credits.meeting_import import MEETING_REQUIRED
from credits.models import CreditEntry
from imports import services
from imports.models import ImportRun
from imports.tasks import run_import
from tests.worker_helpers import start_worker, wait_until

ROWS = 50_000
MEMBERS = 5_000


def meeting_file() -> str:
    lines = [",".join(MEETING_REQUIRED)]
    for row in range(ROWS):
        member, session = divmod(row, ROWS // MEMBERS)
        day = f"2025-10-{10 + session:02}"
        values = {
            "asps_id": f"K{member:05}",
            "activity_code": f"PSTM25-S{session:03}",
            "activity_title": f"Plastic Surgery The Meeting 2025 session {session}",
            "provider": "ASPS",
            "start_date": day,
            "end_date": day,
            "category": "1",
            "credits": "1.5",
            "patient_safety_credits": "0",
            "patient_safety_kind": "",
            "plastic_surgery_credits": "1.5",
            "evaluation_completed_on": "2025-10-25",
        }
        lines.append(",".join(values[column] for column in MEETING_REQUIRED))
    return "\n".join(lines) + "\n"


def in_transaction_elsewhere() -> bool:
    """Another session of the test database is inside a transaction (the worker importing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
            "AND now() - xact_start > interval '1 second'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_survives_its_worker_being_killed(capsys):
    bulk_members(range(MEMBERS), asps_id="K{n:05}", email="k{n}@example.org", last_name="Kill")
    run = services.run_create(
        kind="meeting_credits", file_name="meeting.csv", content=meeting_file()
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    first = start_worker(queue)
    try:
        run_import.apply_async(args=[run.pk], queue=queue)
        wait_until(in_transaction_elsewhere, seconds=40)
        assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.RUNNING
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        killed_at = time.monotonic()
    finally:
        if first.poll() is None:
            first.kill()
    # Nothing of the half-done import was kept: it runs in one transaction.
    assert not CreditEntry.objects.exists()
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.RUNNING

    second = start_worker(queue, CELERY_VISIBILITY_TIMEOUT="3")
    try:
        wait_until(lambda: ImportRun.objects.get(pk=run.pk).status != "running", seconds=50)
        recovered = time.monotonic() - killed_at
    finally:
        second.terminate()
        second.wait(timeout=30)

    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE, run.error
    assert (run.created, run.rejected) == (ROWS, 0)
    assert CreditEntry.objects.count() == ROWS
    assert CreditEntry.objects.values("member", "activity_code").distinct().count() == ROWS
    with capsys.disabled():
        print(
            f"\nWorker killed mid-import: {ROWS} rows imported once by a new worker "
            f"{recovered:.1f} s after the kill (visibility timeout 3 s)"
        )
