"""The life of an import run: recorded, queued, run once (all or nothing), summed up.

Contract ("Import files"): rows that cannot be imported are never lost: each is kept as an
:class:`~imports.models.ImportRejection` with its line and the reason, and the good rows of
the file still import. An :class:`~imports.models.ImportRun` records every file and what
became of it. The importer of a run is found in :mod:`imports.registry` by the run's kind.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from imports import registry
from imports.models import ImportRun
from imports.reading import check_header
from imports.registry import Importer
from imports.signals import run_finished
from imports.stream import ImportFileError

FINISHED = (ImportRun.Status.DONE, ImportRun.Status.STOPPED)


def check_file(kind: str, text: str) -> None:
    """Raise ``ImportFileError`` unless ``text`` has the header of an import of ``kind``."""
    registered = registry.get(kind)
    check_header(text, required=registered.required, optional=registered.optional)


def run_create(
    *, kind: str, file_name: str, content: str, uploaded_by: Model | None = None
) -> ImportRun:
    """Record a file to import (status "queued"); a task or a command then runs it."""
    return ImportRun.objects.create(
        kind=kind, file_name=file_name[:255], content=content, uploaded_by=uploaded_by
    )


def lock_imports(name: str) -> None:
    """Let imports of one kind run one after the other (PostgreSQL; SQLite serialises writers).

    The unique constraints already make a second, simultaneous import of the same file create
    nothing; the lock also makes its counts exact ("unchanged" rather than "created").
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cmetrack:{name}"])


def perform_run(run_id: int, importer: Importer | None = None) -> ImportRun | None:
    """Run one import, at most once, all or nothing.

    ``importer`` defaults to the one registered for the run's kind. Safe to call twice (a
    retried or redelivered task): a run already done is left alone, and a second worker waits
    for the first one's lock and then finds the run done. The import runs in one transaction
    with the run's status: if it fails, nothing of it remains, the run is marked failed with
    the error, and the error is raised again so that the task can retry. A file that cannot be
    read at all (:class:`ImportFileError`) fails without retry. A run that rejects more rows
    than ``IMPORT_MAX_REJECTED_ROWS`` stops there: what it read before is kept, with its
    rejected rows, and the run is marked stopped.
    """
    runs = ImportRun.objects.defer("content")  # the importer reads the file in slices
    run = runs.filter(pk=run_id).first()
    if run is None or run.status in FINISHED:
        return run
    importer = importer or registry.get(run.kind).importer
    ImportRun.objects.filter(pk=run_id).exclude(status__in=FINISHED).update(
        status=ImportRun.Status.RUNNING, error=""
    )
    try:
        with transaction.atomic():
            run = runs.select_for_update().get(pk=run_id)
            if run.status in FINISHED:
                return run
            for field in registry.COUNTS:
                setattr(run, field, 0)
            run.error = ""
            importer(run)  # a run that rejects too many rows comes back "stopped"
            if run.status != ImportRun.Status.STOPPED:
                run.status = ImportRun.Status.DONE
            run.finished_at = timezone.now()
            run.save()
            _finished(run, counts=run_summary(run))
    except ImportFileError as error:
        _run_failed(run_id, str(error))
    except Exception as error:
        _run_failed(run_id, f"The import stopped on an error and nothing of it was kept: {error}")
        raise
    return ImportRun.objects.defer("content").get(pk=run_id)


def _run_failed(run_id: int, message: str) -> None:
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.FAILED, error=message, finished_at=timezone.now()
    )
    run = ImportRun.objects.defer("content").select_related("uploaded_by").get(pk=run_id)
    _finished(run, error=message)


def _finished(run: ImportRun, **details: str) -> None:
    """Tell the audit log (members connects to :data:`run_finished`) how a run ended; the
    upload itself is logged by the staff page, with the uploader's address."""
    run_finished.send(sender=ImportRun, run=run, details=details)


def run_summary(run: ImportRun) -> str:
    """The counts as the commands print them, e.g. "created 3, updated 1, …, rejected 2"."""
    return ", ".join(
        f"{field.replace('_', ' ')} {getattr(run, field)}"
        for field in registry.get(run.kind).counts
    )
