"""Bring a backup (:mod:`operations.backup`) back into an empty database and media folder."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from operations.backup import (
    MEDIA,
    BackupError,
    Database,
    _empty_folder,
    _pg_tables,
    _quote,
    _run,
    _sqlite_tables,
    read_manifest,
    sqlite_open,
    table_counts,
)


def existing_tables(database: Database) -> list[str]:
    if database.vendor == "postgresql":
        connection = database.pg_connect()
        try:
            with connection.cursor() as cursor:
                return _pg_tables(cursor)
        finally:
            connection.close()
    name = str(database.settings["NAME"])
    if not name.startswith("file:") and not Path(name).exists():
        return []
    connection = sqlite_open(name)
    try:
        return _sqlite_tables(connection)
    finally:
        connection.close()


def restore(folder: Path, *, database: Database, media_root: Path, force: bool = False) -> dict:
    """Check the backup's checksums, then restore it into ``database`` and ``media_root``.

    Both must be empty unless ``force``: then the database's tables and the media folder's
    files are removed first. Afterwards every table's row count is checked against the
    manifest. Returns the manifest.
    """
    manifest = read_manifest(folder)
    if manifest["vendor"] != database.vendor:
        raise BackupError(
            f"This is a {manifest['vendor']} backup; the configured database is {database.vendor}."
        )
    tables = existing_tables(database)
    if tables and not force:
        raise BackupError(
            f"The database is not empty ({len(tables)} tables). Restore into a new, empty "
            "database, or add --force to replace everything in it."
        )
    if not _empty_folder(media_root) and not force:
        raise BackupError(
            f"The media folder {media_root} is not empty. Restore into an empty folder, or add "
            "--force to replace its files."
        )
    if database.vendor == "postgresql":
        _pg_restore(folder / manifest["database"]["file"], database, drop=tables)
    else:
        _sqlite_restore(folder / manifest["database"]["file"], database)
    _media_restore(folder / MEDIA, media_root, manifest["media"])
    counts = table_counts(database)
    wrong = {
        table: (count, counts.get(table))
        for table, count in manifest["tables"].items()
        if counts.get(table) != count
    }
    if wrong:
        raise BackupError(f"The restored row counts differ from the backup's: {wrong}")
    return manifest


def _pg_restore(dump: Path, database: Database, *, drop: list[str]) -> None:
    if drop:
        connection = database.pg_connect()
        try:
            with connection, connection.cursor() as cursor:
                for table in drop:
                    cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
        finally:
            connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *database.pg_args(),
            str(dump),
        ],
        database,
    )


def _sqlite_restore(copy: Path, database: Database) -> None:
    target_path = Path(database.settings["NAME"])
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(target_path)
    try:
        source.backup(target)  # replaces every page of the target
    finally:
        source.close()
        target.close()


def _media_restore(source: Path, media_root: Path, files: dict[str, str]) -> None:
    if media_root.exists():
        for child in media_root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    for name in files:
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / name, target)
