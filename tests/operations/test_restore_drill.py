"""The restore drill (docs/operations.md): demo data and generated members, backed up, restored
into a fresh database and media folder, and compared table by table, file by file, and by the
text of a member's report PDF; then staff undo a member's deletion on the restored copy."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from pypdf import PdfReader

from bench.records import bulk_members, member_with_entries
from credits import services
from credits.models import CreditEntry, ReviewDecision
from members.models import AuditEvent, Member, StandingChange, User
from operations.backup import Database, backup, table_counts
from operations.restore import restore
from reports import standing_job
from reports.models import IssuedReport
from tests.factories import cme_staff_group, in_cme_staff, with_two_factor
from tests.operations.drill_helpers import app_on, fresh_database, table_checksum
from tests.reports.ways_to_earn_helpers import shipped_catalogue
from tests.today import TODAY

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHECKSUMMED = [
    Member,
    User,
    CreditEntry,
    CreditEntry.history.model,
    ReviewDecision,
    StandingChange,
    AuditEvent,
]


@pytest.fixture
def media(tmp_path, settings) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": None},
        },
    }
    return root


def entry_values(n: int) -> dict:
    day = TODAY - dt.timedelta(days=30 + n)
    return {
        "title": f"Breast Reconstruction Symposium {n}",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "ACS",
        "start_date": day,
        "end_date": day,
        "credits": Decimal("3"),
        "patient_safety_credits": Decimal("0"),
        "plastic_surgery_credits": Decimal("3"),
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }


def report_text(member: Member) -> str:
    """The member's report PDF as text, its one-off verification code masked."""
    browser = Client()
    browser.force_login(member.user)
    answer = browser.get("/reports/cme/pdf/")
    assert answer.status_code == 200, answer.content[:300]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    code = IssuedReport.objects.filter(member=member).latest("pk").code
    return re.sub(re.escape(code), "<code>", text)


def load_site(media: Path) -> Member:
    shipped_catalogue()  # a transactional test before this one may have emptied the
    cme_staff_group()  # migrations' data (the catalogue, the staff group)
    call_command("load_demo", stdout=io.StringIO())
    bulk_members(range(60), asps_id="D{n:05}", email="drill{n}@example.org", last_name="Drill")
    member_with_entries(40, today=TODAY)
    demo = Member.objects.get(user__email="member@example.org")
    for n in range(6):
        services.entry_create(
            member=demo,
            values=entry_values(n),
            certificate=SimpleUploadedFile(f"c{n}.pdf", PDF + str(n).encode()),
            today=TODAY,
        )
    standing_job.evaluate_standing(as_of=TODAY)  # standing history and audit events
    return demo


def test_a_backup_restores_into_a_fresh_database_and_media_folder(tmp_path, media, capsys):
    demo = load_site(media)
    deleted = CreditEntry.objects.filter(member=demo, certificate__gt="").first()
    deleted_pk = deleted.pk
    services.entry_delete(entry=deleted)
    original = Database(dict(connection.settings_dict))
    before_pdf = report_text(demo)

    source = connection.connection if connection.vendor == "sqlite" else None
    manifest = backup(tmp_path / "backup", database=original, media_root=media,
                      sqlite_connection=source)  # fmt: skip
    counts = table_counts(original, sqlite_connection=source)
    sums = {model: table_checksum(original, model._meta.db_table) for model in CHECKSUMMED}
    files = {path.relative_to(media): path.read_bytes() for path in media.rglob("*.pdf")}
    assert manifest["tables"] == counts
    assert len(manifest["media"]) == len(files) == 6

    with fresh_database(tmp_path) as restored:
        restored_media = tmp_path / "restored-media"
        restore(tmp_path / "backup", database=restored, media_root=restored_media)

        assert table_counts(restored) == counts
        for model, figures in sums.items():
            assert table_checksum(restored, model._meta.db_table) == figures, model
        for name, content in files.items():
            assert (restored_media / name).read_bytes() == content
        assert {p.relative_to(restored_media) for p in restored_media.rglob("*.pdf")} == set(files)
        assert sums[StandingChange][0] > 0 and sums[AuditEvent][0] > 0

        with app_on(restored), _media_at(restored_media):
            assert report_text(demo) == before_pdf
            # A member's deletion is undone by staff on the restored copy, with its certificate.
            staff = Client()
            staff.force_login(with_two_factor(in_cme_staff(_superuser())))
            record = CreditEntry.history.get(id=deleted_pk, history_type="-")
            answer = staff.post(
                "/admin/credits/historicalcreditentry/",
                {"action": "restore", "_selected_action": [record.pk]},
            )
            assert answer.status_code == 302
            back = CreditEntry.objects.get(pk=deleted_pk)
            assert back.certificate.read() == files[Path(back.certificate.name)]

    rows = sum(counts.values())
    with capsys.disabled():
        print(
            f"\nRestore drill ({connection.vendor}): {len(counts)} tables and {rows} rows "
            f"compared, {sum(figures[0] for figures in sums.values())} rows checksummed, "
            f"{len(files)} certificates compared byte for byte"
        )


def _superuser() -> User:
    return User.objects.create_superuser(email="admin@example.org", password="not-used-here-1")


def _media_at(root: Path) -> override_settings:
    """The default storage at ``root`` for a while (Django resets it when the setting changes)."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root, "base_url": None},
    }
    return override_settings(MEDIA_ROOT=root, STORAGES={**settings.STORAGES, "default": storage})
