"""Celery tasks of the credits app: they take ids, call one function, and own their retries.

Enqueued with ``transaction.on_commit``; without a broker they run in-process
(``CELERY_TASK_ALWAYS_EAGER``), so the embedded default needs no Redis (DESIGN.md).
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError, transaction

from credits import imports
from members import imports as member_imports
from members import tasks as member_tasks
from members.models import ImportRun, User


@shared_task(
    bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5, acks_late=True
)
def run_import(self, run_id: int) -> None:
    """Import the meeting-credit or ABPS file of one :class:`~members.models.ImportRun`.

    Safe to run twice: a run already done is left alone, and the unique constraint on
    (member, activity code) keeps a second import of the same rows from creating anything.
    """
    member_imports.perform_run(run_id, imports.import_credits)


def import_enqueue(
    *, kind: str, file_name: str, content: str, uploaded_by: User | None = None
) -> ImportRun:
    """Record a file to import and queue its task once the record is committed.

    The one entry point of the staff upload page and the credit commands, for all three kinds
    (the roster's task lives in ``members.tasks``).
    """
    task = member_tasks.run_import if kind == ImportRun.Kind.ROSTER else run_import
    with transaction.atomic():
        run = member_imports.run_create(
            kind=kind, file_name=file_name, content=content, uploaded_by=uploaded_by
        )
        transaction.on_commit(lambda: task.delay(run.pk))
    return run
