"""``manage.py backup`` and ``restore``: a non-empty target is refused unless forced, and a
damaged backup is refused before anything is written."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from operations.backup import BackupError, Database, backup
from operations.restore import restore
from tests.operations.drill_helpers import fresh_database

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def saved(tmp_path, alice):
    media = tmp_path / "media"
    (media / "certificates" / "1").mkdir(parents=True)
    (media / "certificates" / "1" / "a.pdf").write_bytes(b"%PDF-1.4 one")
    source = connection.connection if connection.vendor == "sqlite" else None
    if source is None:
        connection.ensure_connection()
    backup(tmp_path / "b", database=Database(dict(connection.settings_dict)), media_root=media,
           sqlite_connection=source)  # fmt: skip
    return tmp_path / "b"


def test_restore_refuses_a_database_that_is_not_empty(saved, tmp_path):
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(saved), stdout=io.StringIO())


def test_restore_refuses_a_media_folder_that_is_not_empty_unless_forced(saved, tmp_path):
    with fresh_database(tmp_path) as fresh:
        media = tmp_path / "other-media"
        media.mkdir()
        (media / "stray.txt").write_text("left over")
        with pytest.raises(BackupError, match=r"media folder .* is not empty"):
            restore(saved, database=fresh, media_root=media)
        restore(saved, database=fresh, media_root=media, force=True)
        assert not (media / "stray.txt").exists()
        assert (media / "certificates" / "1" / "a.pdf").read_bytes() == b"%PDF-1.4 one"
        # Forced again over the restored tables: replaced, counts checked again.
        restore(saved, database=fresh, media_root=media, force=True)


def test_a_damaged_backup_is_refused_before_anything_is_restored(saved, tmp_path):
    (saved / "media" / "certificates" / "1" / "a.pdf").write_bytes(b"%PDF-1.4 two")
    with fresh_database(tmp_path) as fresh:
        with pytest.raises(BackupError, match=r"damaged: media/certificates/1/a\.pdf"):
            restore(saved, database=fresh, media_root=tmp_path / "m")
        assert not (tmp_path / "m").exists()


def test_backup_wants_a_new_folder(saved):
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(saved), stdout=io.StringIO())
    manifest = json.loads((saved / "manifest.json").read_text())
    assert manifest["tables"]["members_member"] == 1
