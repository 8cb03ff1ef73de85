"""``python manage.py import_meeting_credits FILE [--sync]`` (contract "Management commands").

Without ``--sync`` the file is recorded as an import run and handed to the Celery worker
(which runs it in-process when no broker is configured); with ``--sync`` it runs here. Either
way, once the run is done, the counts are printed.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credits import imports, tasks
from members import imports as member_imports
from members.management.commands.import_members import read_file, report
from members.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import society meeting credits (CSV: asps_id,activity_code,activity_title,provider,"
        "start_date,end_date,category,credits,patient_safety_credits,patient_safety_kind,"
        "plastic_surgery_credits,evaluation_completed_on)."
    )
    kind = ImportRun.Kind.MEETING_CREDITS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8, header row).")
        parser.add_argument(
            "--sync", action="store_true", help="Run the import here instead of in the worker."
        )

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["file"])
        content = read_file(path)
        try:
            imports.check_file(self.kind, content)
        except member_imports.ImportFileError as error:
            raise CommandError(f"{path}: {error}") from error
        if options["sync"]:
            run = member_imports.run_create(
                kind=self.kind, file_name=Path(path).name, content=content
            )
            member_imports.perform_run(run.pk, imports.import_credits)
        else:
            run = tasks.import_enqueue(kind=self.kind, file_name=Path(path).name, content=content)
        run.refresh_from_db()
        report(self, run)
