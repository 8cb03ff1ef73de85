"""A real Celery worker, on the real broker and database, runs a job end to end (CI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from members.models import Member
from reports import standing_chunks, tasks
from reports.models import StandingJobRun
from tests.factories import on_fixed_cycles
from tests.worker_helpers import celery_worker, wait_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def alice(alice):
    """These tests run the job on given dates: alice's cycles stay where they are written."""
    return on_fixed_cycles(alice)


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_applies_the_standing_job_in_the_database(alice):
    with celery_worker() as queue:
        tasks.evaluate_standing.apply_async(args=["2025-01-01"], queue=queue)
        wait_until(lambda: Member.objects.get(pk=alice.pk).standing == "probation")

    alice.refresh_from_db()
    assert (alice.standing, alice.standing_since) == ("probation", dt.date(2025, 1, 1))


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_standing_job_in_chunks_to_the_end(alice, bob):
    """The job's chunks go to the queue the job came from; each is judged, the run ends."""
    bob = on_fixed_cycles(bob)
    with celery_worker() as queue:
        tasks.evaluate_standing.apply_async(args=["2025-01-01", 2], queue=queue)
        wait_until(lambda: StandingJobRun.objects.filter(status="done").exists())

    run = StandingJobRun.objects.get()
    assert standing_chunks.progress(run) == {
        "chunks": 2,
        "done": 2,
        "members": 2,
        "transitions": 2,
    }
    assert set(Member.objects.values_list("standing", flat=True)) == {"probation"}
