"""``manage.py backup DIR``: the database and the certificates, with a manifest (operations)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from operations.backup import BackupError, Database, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded certificates into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new (or empty) folder for the backup")

    def handle(self, *args: object, folder: Path, **options: object) -> None:
        source = None
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = connection.connection
        try:
            manifest = backup(
                folder,
                database=Database(connection.settings_dict),
                media_root=Path(settings.MEDIA_ROOT),
                sqlite_connection=source,
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
            f"{len(manifest['media'])} files into {folder}."
        )
