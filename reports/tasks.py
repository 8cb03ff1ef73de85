"""Nightly jobs: standing (docs/rules.md §5) and cycle-end reminders. They take plain values,
call one service, retry on transient database errors, and are safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from reports import standing_job


def _day(as_of: str | None) -> dt.date:
    return dt.date.fromisoformat(as_of) if as_of else timezone.localdate()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def evaluate_standing(as_of: str | None = None) -> int:
    return len(standing_job.evaluate_standing(as_of=_day(as_of)).transitions)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_reminders(as_of: str | None = None) -> int:
    return standing_job.send_reminders(as_of=_day(as_of))
