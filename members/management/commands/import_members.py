"""``python manage.py import_members FILE``: the roster import (contract "Management commands").

Runs in-process and prints "created N, updated N, unchanged N, rejected N", then the rejected
lines with their reasons.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members import imports
from members.models import ImportRun

SHOWN_REJECTIONS = 20


def read_file(path: str) -> str:
    """The file's text, or a ``CommandError`` that says what is wrong with it."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
    try:
        return imports.decode_file(data)
    except imports.ImportFileError as error:
        raise CommandError(f"{path}: {error}") from error


def report(command: BaseCommand, run: ImportRun) -> None:
    """Print a finished run's counts and its first rejections; fail if the run failed."""
    if run.status == ImportRun.Status.FAILED:
        raise CommandError(f"Import run {run.pk} failed: {run.error}")
    if run.status not in imports.FINISHED:
        command.stdout.write(
            f"Import run {run.pk} is {run.get_status_display().lower()}: a Celery worker runs "
            f"it. Its results will be at /staff/imports/{run.pk}/."
        )
        return
    if run.status == ImportRun.Status.STOPPED:
        command.stderr.write(run.error)
    command.stdout.write(imports.run_summary(run))
    rejections = list(run.rejections.all()[:SHOWN_REJECTIONS])
    for rejection in rejections:
        command.stdout.write(f"  line {rejection.line}: {rejection.reason}")
    if run.rejected > len(rejections):
        command.stdout.write(
            f"  … and {run.rejected - len(rejections)} more: see /staff/imports/{run.pk}/"
        )


class Command(BaseCommand):
    help = (
        "Import the members roster (CSV: asps_id,email,first_name,last_name,membership_type,"
        "joined_on,cycle_start). New members are emailed an invitation to choose a password."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The roster CSV file (UTF-8, header row).")

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["file"])
        run = imports.run_create(
            kind=ImportRun.Kind.ROSTER, file_name=Path(path).name, content=read_file(path)
        )
        report(self, imports.perform_run(run.pk, imports.import_roster))
