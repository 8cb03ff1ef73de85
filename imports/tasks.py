"""The Celery task that runs every kind of import, and the queueing of a run.

Enqueued with ``transaction.on_commit``; without a broker it runs in-process
(``CELERY_TASK_ALWAYS_EAGER``), so the embedded default needs no Redis (DESIGN.md).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import OperationalError, transaction
from django.db.models import Model

from imports import registry, services
from imports.models import ImportRun


@shared_task(
    name=registry.DEFAULT_TASK,
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def run_import(self, run_id: int) -> None:
    """Import the file of one :class:`~imports.models.ImportRun` with its kind's importer.

    Safe to run twice: a run already done is left alone (:func:`imports.services.perform_run`),
    and the unique constraints keep a second import of the same rows from creating anything.
    """
    services.perform_run(run_id)


def task_of(kind: str) -> Any:
    """The Celery task registered to run imports of ``kind``."""
    name = registry.get(kind).task
    return run_import if name == run_import.name else run_import.app.tasks[name]


def import_enqueue(
    *, kind: str, file_name: str, content: str, uploaded_by: Model | None = None
) -> ImportRun:
    """Record a file to import and queue its kind's task once the record is committed.

    The one entry point of the staff upload page and of the commands that queue their run.
    """
    task = task_of(kind)
    with transaction.atomic():
        run = services.run_create(
            kind=kind, file_name=file_name, content=content, uploaded_by=uploaded_by
        )
        transaction.on_commit(lambda: task.delay(run.pk))
    return run
