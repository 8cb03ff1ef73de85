"""Nightly jobs: standing (docs/rules.md §5) and cycle-end reminders; and the group reminders
staff send. They take plain values, call one service, retry on transient database errors,
and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import group, shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from credits.membership_selectors import MembershipFilter
from members.models import User
from reports import group_reminders, standing_chunks, standing_job
from reports.models import GroupReminderRun


def _day(as_of: str | None) -> dt.date:
    return dt.date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_standing(self, as_of: str | None = None, chunks: int | None = None) -> int:
    """Start the standing job as of the day: record a run and queue one task per chunk of
    members (``reports.standing_chunks``), on the queue this task came from, for as many
    workers as listen to it. Returns the run's id."""
    run = standing_chunks.run_start(_day(as_of), chunks or settings.STANDING_JOB_CHUNKS)
    queue = (self.request.delivery_info or {}).get("routing_key")
    ids = list(run.chunks.values_list("pk", flat=True))
    transaction.on_commit(
        lambda: group(judge_standing_chunk.s(pk) for pk in ids).apply_async(
            **({"queue": queue} if queue else {})
        )
    )
    return run.pk


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def judge_standing_chunk(chunk_id: int) -> int:
    """Judge one chunk of a standing job run; safe to run again (done chunks are skipped)."""
    return standing_chunks.judge_chunk(chunk_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_reminders(as_of: str | None = None) -> int:
    return standing_job.send_reminders(as_of=_day(as_of))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True)
def send_group_reminders(run_id: int) -> int:
    """Send one group reminder run's emails; a retry goes on where the last try stopped."""
    return group_reminders.send_group_reminders(run_id).sent


def group_reminder_enqueue(
    chosen: MembershipFilter, *, by: User | None, today: dt.date
) -> GroupReminderRun:
    """Record a group reminder run (its members resolved once) and queue its task once the
    record is committed: the one entry point of the staff page."""
    with transaction.atomic():
        reminder_run = group_reminders.run_start(chosen, by=by, today=today)
        transaction.on_commit(lambda: send_group_reminders.delay(reminder_run.pk))
    return reminder_run
