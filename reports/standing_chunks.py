"""The standing job split into chunks of members (docs/performance.md "Standing job").

Members are judged each on their own (``reports.standing_job.judge_members``), so a run is
cut into ranges of member ids, one task per range, on as many Celery workers as run. Each
chunk is idempotent (judging the same members as of the same day again changes nothing)
and is marked done in the same transaction as its changes, so a chunk retried after a
worker was lost does its work once. Each chunk also checks the compliance summaries of
the members in its range (held or not: the ranges follow each other from id 1 up); the last
chunk to finish records the month-end snapshots, once per run.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from reports import standing_job
from reports.models import StandingJobChunk, StandingJobRun


def run_start(as_of: dt.date, chunks: int) -> StandingJobRun:
    """Record a run as of ``as_of`` and its chunks (at least one, even with no member)."""
    run = StandingJobRun.objects.create(as_of=as_of)
    ranges = standing_job.member_ranges(chunks) or [(0, 0)]
    StandingJobChunk.objects.bulk_create(
        StandingJobChunk(run=run, first_member=first, last_member=last) for first, last in ranges
    )
    return run


def judge_chunk(chunk_id: int) -> int:
    """Judge one chunk's members, once; then, if it was the last chunk of its run, check the
    compliance summaries. Returns the number of changes of standing recorded."""
    with transaction.atomic():
        # Only the chunk's row: FOR UPDATE over the join would lock the run's row too, and
        # the chunks would wait for each other.
        chunks = StandingJobChunk.objects.select_for_update(of=("self",))
        chunk = chunks.select_related("run").get(pk=chunk_id)
        if chunk.status == StandingJobChunk.Status.DONE:
            return 0
        ids = (chunk.first_member, chunk.last_member)
        judged = standing_job.judge_members(as_of=chunk.run.as_of, first=ids[0], last=ids[1])
        standing_job.check_summaries(judged, ids=ids)
        chunk.stale_summaries = judged.stale_summaries
        chunk.status = StandingJobChunk.Status.DONE
        chunk.members, chunk.transitions = judged.members, len(judged.transitions)
        chunk.finished_at = timezone.now()
        chunk.save()
    _finish_if_last(chunk.run_id)
    return chunk.transitions


def _finish_if_last(run_id: int) -> None:
    with transaction.atomic():
        run = StandingJobRun.objects.select_for_update().get(pk=run_id)
        waiting = run.chunks.exclude(status=StandingJobChunk.Status.DONE).exists()
        if waiting or run.status == StandingJobRun.Status.DONE:
            return
        standing_job.record_snapshots(standing_job.StandingRun(as_of=run.as_of))
        run.status, run.finished_at = StandingJobRun.Status.DONE, timezone.now()
        run.stale_summaries = sum(run.chunks.values_list("stale_summaries", flat=True))
        run.save()


def progress(run: StandingJobRun) -> dict[str, int]:
    """Chunks done out of all, members judged and changes recorded so far."""
    chunks = list(run.chunks.all())
    done = [chunk for chunk in chunks if chunk.status == StandingJobChunk.Status.DONE]
    return {
        "chunks": len(chunks),
        "done": len(done),
        "members": sum(chunk.members for chunk in done),
        "transitions": sum(chunk.transitions for chunk in done),
    }
