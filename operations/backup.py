"""Back up and restore the whole site: the database and the uploaded files (docs/operations.md).

A backup is a folder holding

* ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``
  (SQLite, copied with its online backup API),
* ``media/``, a copy of the uploaded files (the certificates),
* ``manifest.json``: the row count of every table and the sha256 of the database file and of
  every media file.

The row counts are taken from the same snapshot as the dump (PostgreSQL: an exported snapshot
that ``pg_dump --snapshot`` reads; SQLite: the copy itself). The media are copied after the
snapshot, and certificate files are never deleted (their history keeps them), so every file
the snapshot refers to is in the copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, in plain words."""


@dataclass(frozen=True)
class Database:
    """Where a database is: Django's ``settings_dict`` keys (ENGINE, NAME, USER, …)."""

    settings: Mapping[str, Any]

    @property
    def vendor(self) -> str:
        engine = self.settings["ENGINE"]
        if "postgresql" in engine:
            return "postgresql"
        if "sqlite3" in engine:
            return "sqlite"
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}.")

    def pg_args(self) -> list[str]:
        s = self.settings
        args = ["--dbname", s["NAME"]]
        if s.get("HOST"):
            args += ["--host", str(s["HOST"])]
        if s.get("PORT"):
            args += ["--port", str(s["PORT"])]
        if s.get("USER"):
            args += ["--username", str(s["USER"])]
        return args

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env

    def pg_connect(self) -> Any:
        import psycopg2

        s = self.settings
        return psycopg2.connect(
            dbname=s["NAME"],
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
        )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sqlite_open(name: str | Path) -> sqlite3.Connection:
    """A connection to a SQLite file (or a ``file:`` URI, as Django's test databases are)."""
    return sqlite3.connect(name, uri=str(name).startswith("file:"))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [row[0] for row in rows]


def _counts(cursor: Any, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts(database: Database, sqlite_connection: sqlite3.Connection | None = None) -> dict:
    """Every table's row count, now."""
    if database.vendor == "postgresql":
        with database.pg_connect() as connection, connection.cursor() as cursor:
            counts = _counts(cursor, _pg_tables(cursor))
        connection.close()
        return counts
    connection = sqlite_connection or sqlite_open(database.settings["NAME"])
    try:
        return _counts(connection.cursor(), _sqlite_tables(connection))
    finally:
        if sqlite_connection is None:
            connection.close()


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(path for path in media_root.rglob("*") if path.is_file())


def _empty_folder(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def backup(
    folder: Path,
    *,
    database: Database,
    media_root: Path,
    sqlite_connection: sqlite3.Connection | None = None,
) -> dict:
    """Write a backup of ``database`` and ``media_root`` into ``folder`` (new or empty).

    ``sqlite_connection``: an open connection to copy from (the app's own, e.g. an in-memory
    database); by default the SQLite file named in ``database`` is opened. Returns the manifest.
    """
    if not _empty_folder(folder):
        raise BackupError(f"{folder} is not empty: back up into a new folder.")
    folder.mkdir(parents=True, exist_ok=True)
    if database.vendor == "postgresql":
        dump, counts = _pg_backup(folder, database)
    else:
        dump, counts = _sqlite_backup(folder, database, sqlite_connection)
    media = {}
    for path in _media_files(media_root):
        relative = path.relative_to(media_root).as_posix()
        target = folder / MEDIA / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        media[relative] = sha256(target)
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": database.vendor,
        "database": {"file": dump.name, "sha256": sha256(dump)},
        "tables": counts,
        "media": media,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _pg_backup(folder: Path, database: Database) -> tuple[Path, dict[str, int]]:
    dump = folder / PG_DUMP
    connection = database.pg_connect()
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor, _pg_tables(cursor))
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--snapshot",
                    snapshot,
                    "--file",
                    str(dump),
                    *database.pg_args(),
                ],
                database,
            )
    finally:
        connection.rollback()
        connection.close()
    return dump, counts


def _sqlite_backup(
    folder: Path, database: Database, source: sqlite3.Connection | None
) -> tuple[Path, dict[str, int]]:
    dump = folder / SQLITE_COPY
    opened = source is None
    source = source or sqlite_open(database.settings["NAME"])
    target = sqlite3.connect(dump)
    try:
        source.backup(target)
        counts = _counts(target.cursor(), _sqlite_tables(target))
    finally:
        target.close()
        if opened:
            source.close()
    return dump, counts


def _run(command: list[str], database: Database) -> None:
    try:
        subprocess.run(  # noqa: S603 (fixed program, arguments from settings)
            command, env=database.pg_env(), check=True, capture_output=True, text=True
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client)."
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from None


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, after checking every file against its sha256."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a backup: it has no {MANIFEST}.") from None
    files = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    files |= {f"{MEDIA}/{name}": digest for name, digest in manifest["media"].items()}
    for name, digest in files.items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if sha256(path) != digest:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")
    return manifest
