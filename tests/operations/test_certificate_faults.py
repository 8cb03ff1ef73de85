"""A certificate upload that fails after the file is written leaves no orphan file and no entry
without its file: the database refusing the row (a trigger stands in for any database error)
and a disk that fills up half-way through the file."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from credits import services
from credits.models import CreditEntry
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 4096


class FullDisk(FileSystemStorage):
    """Writes the first bytes of a file, then the disk is full."""

    def _save(self, name, content):
        class Half:
            def chunks(self, chunk_size=None):
                content.seek(0)
                data = content.read()
                yield data[: len(data) // 2]
                raise OSError(errno.ENOSPC, "No space left on device")

        return super()._save(name, Half())


def storage(settings, root: Path, backend: str) -> None:
    settings.MEDIA_ROOT = root
    default = {"BACKEND": backend, "OPTIONS": {"location": root, "base_url": None}}
    settings.STORAGES = {**settings.STORAGES, "default": default}


@pytest.fixture
def media(tmp_path, settings) -> Path:
    root = tmp_path / "media"
    storage(settings, root, "django.core.files.storage.FileSystemStorage")
    return root


def files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def refuse(statement: str) -> None:
    """Make the database refuse every ``statement`` (INSERT or UPDATE) of an entry."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'the database refused the row'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE {statement} ON credits_creditentry "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse BEFORE {statement} ON credits_creditentry "
                "BEGIN SELECT RAISE(ABORT, 'the database refused the row'); END"
            )


@pytest.fixture
def no_triggers():
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS refuse ON credits_creditentry")
            cursor.execute("DROP FUNCTION IF EXISTS refuse()")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS refuse")


def test_a_database_error_after_the_file_is_written_leaves_no_file(media, alice, no_triggers):
    entry = CreditEntryFactory(member=alice)
    refuse("UPDATE")
    with pytest.raises(DatabaseError, match="refused"):
        services.certificate_upload(entry=entry, certificate=SimpleUploadedFile("c.pdf", PDF))
    assert files(media) == []
    assert CreditEntry.objects.get(pk=entry.pk).certificate.name == ""


def test_a_new_entry_the_database_refuses_leaves_no_file(media, alice, no_triggers):
    entry = CreditEntryFactory(member=alice)
    values = {field: getattr(entry, field) for field in ("title", "activity_type", "category")}
    entry.delete()
    refuse("INSERT")
    with pytest.raises(DatabaseError, match="refused"):
        services.entry_create(
            member=alice,
            values={**values, **_values(entry)},
            certificate=SimpleUploadedFile("c.pdf", PDF),
        )
    assert files(media) == []
    assert not CreditEntry.objects.exists()


def test_a_full_disk_leaves_no_half_file_and_the_entry_as_it_was(tmp_path, settings, alice):
    entry = CreditEntryFactory(member=alice)
    storage(settings, tmp_path / "media", f"{__name__}.FullDisk")
    with pytest.raises(OSError, match="No space left"):
        services.certificate_upload(entry=entry, certificate=SimpleUploadedFile("c.pdf", PDF))
    assert files(tmp_path / "media") == []
    assert CreditEntry.objects.get(pk=entry.pk).certificate.name == ""


def test_an_upload_that_succeeds_keeps_its_file(media, alice):
    entry = CreditEntryFactory(member=alice)
    services.certificate_upload(entry=entry, certificate=SimpleUploadedFile("c.pdf", PDF))
    [stored] = files(media)
    assert stored.read_bytes() == PDF
    assert (
        CreditEntry.objects.get(pk=entry.pk).certificate.name
        == stored.relative_to(media).as_posix()
    )


def _values(entry: CreditEntry) -> dict:
    return {
        "provider": "ACS",
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "credits": entry.credits,
        "patient_safety_credits": entry.patient_safety_credits,
        "plastic_surgery_credits": entry.plastic_surgery_credits,
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }
