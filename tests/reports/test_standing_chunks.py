"""The standing job in chunks of members, one task each (reports.standing_chunks): with
Celery in-process here; tests/test_celery_worker.py runs it on a real worker."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from members.models import Member, StandingChange
from reports import standing_chunks, standing_job, tasks
from reports.models import StandingJobChunk, StandingJobRun
from tests.factories import CreditEntryFactory, MemberFactory, on_fixed_cycles

pytestmark = pytest.mark.django_db
DAY_AFTER = dt.date(2025, 1, 1)  # the day after the cycle 2022-2024 of on_fixed_cycles


def members(count: int) -> list[Member]:
    """``count`` members on fixed cycles; every other one met the cycle ending 2024-12-31."""
    made = []
    for n in range(count):
        member = on_fixed_cycles(MemberFactory())
        if n % 2:
            CreditEntryFactory(
                member=member,
                end_date=dt.date(2024, 6, 1),
                credits=Decimal("150"),
                plastic_surgery_credits=Decimal("50"),
                patient_safety_credits=Decimal("20"),
                review_status="approved",
            )
        made.append(member)
    return made


def test_the_ranges_cover_every_held_member_once():
    made = members(7)
    MemberFactory(membership_type="retired")  # not held to the requirement: not counted

    ranges = standing_job.member_ranges(3)

    assert len(ranges) == 3
    held = [[m.pk for m in made if first <= m.pk <= last] for first, last in ranges]
    assert [len(chunk) for chunk in held] == [3, 3, 1]
    assert ranges[0][0] == 1
    assert ranges[-1][1] == standing_job.LAST_ID
    assert all(a_last + 1 == b_first for (_, a_last), (b_first, _) in itertools.pairwise(ranges))


def test_the_task_runs_every_chunk_and_ends_the_run(django_capture_on_commit_callbacks):
    made = members(5)

    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.evaluate_standing.delay(DAY_AFTER.isoformat(), 3).get()

    run = StandingJobRun.objects.get(pk=run_id)
    assert run.status == StandingJobRun.Status.DONE
    assert standing_chunks.progress(run) == {
        "chunks": 3,
        "done": 3,
        "members": 5,
        "transitions": 3,
    }
    standings = [Member.objects.get(pk=m.pk).standing for m in made]
    assert standings == ["probation", "good", "probation", "good", "probation"]


def test_a_chunk_run_again_changes_nothing(django_capture_on_commit_callbacks):
    members(2)
    with django_capture_on_commit_callbacks(execute=True):
        run = standing_chunks.run_start(DAY_AFTER, 1)
    chunk = run.chunks.get()
    assert standing_chunks.judge_chunk(chunk.pk) == 1

    # Delivered twice (a worker lost after the work was committed): done once.
    StandingJobChunk.objects.filter(pk=chunk.pk).update(status=StandingJobChunk.Status.QUEUED)
    assert standing_chunks.judge_chunk(chunk.pk) == 0
    assert StandingChange.objects.count() == 1
    assert standing_chunks.judge_chunk(chunk.pk) == 0


def test_the_run_ends_only_when_its_last_chunk_is_done():
    members(4)
    run = standing_chunks.run_start(DAY_AFTER, 2)
    first, second = run.chunks.all()

    standing_chunks.judge_chunk(first.pk)
    run.refresh_from_db()
    assert (run.status, standing_chunks.progress(run)["done"]) == ("running", 1)

    standing_chunks.judge_chunk(second.pk)
    run.refresh_from_db()
    assert run.status == "done"
    assert run.finished_at is not None
