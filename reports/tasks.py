"""Nightly jobs: standing (docs/rules.md §5) and cycle-end reminders; and the group reminders
staff send. They take plain values, call one service, retry on transient database errors,
and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError, transaction
from django.utils import timezone

from credits.membership_selectors import MembershipFilter
from members.models import User
from reports import group_reminders, standing_job
from reports.models import GroupReminderRun


def _day(as_of: str | None) -> dt.date:
    return dt.date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_standing(as_of: str | None = None) -> int:
    return len(standing_job.evaluate_standing(as_of=_day(as_of)).transitions)


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
