"""Celery tasks of the members app: they take ids, call one function, and own their retries.

Enqueue them with ``transaction.on_commit`` (DESIGN.md "Requests, jobs and the API are
thin"); without a broker they run in-process (``CELERY_TASK_ALWAYS_EAGER``).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from members import imports, invitations


@shared_task(
    bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True
)
def run_import(self, run_id: int) -> None:
    """Import the roster file of one :class:`~members.models.ImportRun`.

    Safe to run twice: a run already done is left alone (:func:`members.imports.perform_run`).
    """
    imports.perform_run(run_id, imports.import_roster)


@shared_task(bind=True, max_retries=8, acks_late=True)
def send_invitations(self, user_ids: list[int]) -> None:
    """Invite new members to choose their password; retry only those not yet sent."""
    unsent = invitations.send_invitations(user_ids)
    if unsent:
        raise self.retry(args=[unsent], countdown=60 * 2**self.request.retries)
