"""``manage.py restore DIR``: a backup back into an empty database and media folder."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from operations.backup import BackupError, Database
from operations.restore import restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database and media folder "
        "(checksums are checked first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the backup's folder")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the tables and files already there (they are lost)",
        )

    def handle(self, *args: object, folder: Path, force: bool, **options: object) -> None:
        connection.close()  # the restore writes through its own connection
        try:
            manifest = restore(
                folder,
                database=Database(connection.settings_dict),
                media_root=Path(settings.MEDIA_ROOT),
                force=force,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables ({rows} rows, counts checked) and "
            f"{len(manifest['media'])} files (checksums checked) from {folder}."
        )
