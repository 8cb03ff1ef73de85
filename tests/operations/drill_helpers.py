"""The restore drill's tools: a second, fresh database, raw connections to compare tables, and
the app pointed at the restored database for a while."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

from operations.backup import Database


def raw(database: Database) -> Any:
    """A plain DB-API connection (no Django type conversion), the same kind for both sides."""
    if database.vendor == "postgresql":
        return database.pg_connect()
    return sqlite3.connect(database.settings["NAME"], uri=True)


def table_checksum(database: Database, table: str) -> tuple[int, str]:
    """How many rows ``table`` has and a sha256 of all of them, in primary-key order."""
    link = raw(database)
    try:
        cursor = link.cursor()
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (a model's table)
        digest = hashlib.sha256()
        rows = 0
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
            rows += 1
        return rows, digest.hexdigest()
    finally:
        link.close()


@contextlib.contextmanager
def fresh_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database of the test's kind: a new PostgreSQL database (dropped after) or a
    new SQLite file."""
    settings = dict(connection.settings_dict)
    if connection.vendor != "postgresql":
        yield Database({**settings, "NAME": str(tmp_path / "restored.sqlite3")})
        return
    name = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin = Database({**settings, "NAME": "postgres"}).pg_connect()
    admin.autocommit = True
    try:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        yield Database({**settings, "NAME": name})
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@contextlib.contextmanager
def app_on(restored: Database) -> Iterator[None]:
    """The app's own connection reads and writes the restored database for a while.

    PostgreSQL: the connection is pointed at it. SQLite: the test database lives in memory
    (closing it would lose it), so the restored file is copied into it with the backup API.
    """
    if connection.vendor != "postgresql":
        connection.ensure_connection()
        source = sqlite3.connect(restored.settings["NAME"])
        source.backup(connection.connection)
        source.close()
        yield
        return
    saved = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = restored.settings["NAME"]
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = saved
