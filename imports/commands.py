"""What the import commands share (docs/imports.md): ``import_members``,
``import_meeting_credits``, ``import_abps`` and ``import_catalogue`` are each an
:class:`ImportCommand` with a kind.

A command reads the file, records it as an import run and runs it (here, or in the Celery
worker, which runs it in-process when no broker is configured), then prints the counts and
the first rejected lines with their reasons.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports import services, tasks
from imports.models import ImportRun
from imports.reading import decode_file
from imports.stream import ImportFileError

SHOWN_REJECTIONS = 20


def read_file(path: str) -> str:
    """The file's text, or a ``CommandError`` that says what is wrong with it."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        return decode_file(data)
    except ImportFileError as error:
        raise CommandError(f"{path}: {error}") from error


def report(command: BaseCommand, run: ImportRun) -> None:
    """Print a finished run's counts and its first rejections; fail if the run failed."""
    if run.status == ImportRun.Status.FAILED:
        raise CommandError(f"Import run {run.pk} failed: {run.error}")
    if run.status not in services.FINISHED:
        command.stdout.write(
            f"Import run {run.pk} is {run.get_status_display().lower()}: a Celery worker runs "
            f"it. Its results will be at /staff/imports/{run.pk}/."
        )
        return
    if run.status == ImportRun.Status.STOPPED:
        command.stderr.write(run.error)
    command.stdout.write(services.run_summary(run))
    rejections = list(run.rejections.all()[:SHOWN_REJECTIONS])
    for rejection in rejections:
        command.stdout.write(f"  line {rejection.line}: {rejection.reason}")
    if run.rejected > len(rejections):
        command.stdout.write(
            f"  … and {run.rejected - len(rejections)} more: see /staff/imports/{run.pk}/"
        )


class ImportCommand(BaseCommand):
    """``manage.py <command> FILE``: import one file of :attr:`kind`.

    With ``queued`` the file's header is checked first, and the run goes to the worker unless
    ``--sync`` asks to run it here; without, the run always runs here.
    """

    kind: str
    queued = True
    file_help = "The CSV file (UTF-8, header row)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        if self.queued:
            parser.add_argument(
                "--sync", action="store_true", help="Run the import here instead of in the worker."
            )

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["file"])
        name, content = Path(path).name, read_file(path)
        if not self.queued:
            run = services.run_create(kind=self.kind, file_name=name, content=content)
            report(self, services.perform_run(run.pk))
            return
        try:
            services.check_file(self.kind, content)
        except ImportFileError as error:
            raise CommandError(f"{path}: {error}") from error
        if options["sync"]:
            run = services.run_create(kind=self.kind, file_name=name, content=content)
            services.perform_run(run.pk)
        else:
            run = tasks.import_enqueue(kind=self.kind, file_name=name, content=content)
        run.refresh_from_db()
        report(self, run)
