"""Imports cannot be used to exhaust the worker, and ASPS IDs follow one pattern.

A file of a million bad rows once took a minute of the request, 1.5 GB of memory and stored a
million rejections: rows are now read as a stream and a run stops after
``IMPORT_MAX_REJECTED_ROWS`` rejected rows. An ASPS ID with a line break or a quote broke the
download headers built from it: such IDs are refused at import and in the admin.
"""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory

from credits import meeting_import
from credits.models import CreditEntry
from imports import services as common
from imports import stream as import_stream
from imports.models import ImportRejection, ImportRun
from imports.reading import run_rows
from members import roster_import
from members.models import Member
from tests.credits.test_meeting_import import HEADER, csv_text, line
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ROSTER_HEADER = ",".join(roster_import.ROSTER_COLUMNS)


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


def bad_rows_file(rows: int) -> str:
    """A meeting file of ``rows`` one-cell lines, each rejected (2 bytes a row)."""
    return HEADER + "\n" + "x\n" * rows


def meeting_run(text: str) -> ImportRun:
    return common.run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="m.csv", content=text)


def peak_bytes(action) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_of_bad_rows_stops_at_the_cap_in_bounded_memory(settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 1_000
    run = meeting_run(bad_rows_file(20_000))

    started = time.perf_counter()
    done, peak = peak_bytes(lambda: common.perform_run(run.pk))
    seconds = time.perf_counter() - started

    assert done.status == ImportRun.Status.STOPPED
    assert done.rejected == 1_000
    assert ImportRejection.objects.filter(run=run).count() == 1_000
    reasons = set(ImportRejection.objects.filter(run=run).values_list("reason", flat=True))
    assert reasons == {
        "This line has 1 values but the header has 12 columns (a missing or "
        "extra comma? Quote values that contain commas)."
    }
    assert "stopped at line 1002" in done.error
    assert "more than 1,000 rows were rejected" in done.error
    # Traced Python allocations: ~4 MB on SQLite, ~8.5 MB on PostgreSQL (the driver's
    # buffers); reading every row and keeping every rejection took far more.
    assert peak < 16 * 1_048_576, f"peak {peak / 1_048_576:.1f} MB"
    assert seconds < 10


def test_the_cap_is_a_setting(settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 10
    run = common.perform_run(meeting_run(bad_rows_file(50)).pk)
    assert (run.status, run.rejected, run.rejections.count()) == ("stopped", 10, 10)


def test_a_file_with_exactly_the_cap_of_rejected_rows_is_done(settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 10
    run = common.perform_run(meeting_run(bad_rows_file(10)).pk)
    assert (run.status, run.rejected, run.error) == ("done", 10, "")


def test_rows_before_the_stop_are_imported_and_counted(settings, member):
    settings.IMPORT_MAX_REJECTED_ROWS = 3
    text = csv_text(line()) + "x\n" * 5 + csv_text(line(activity_code="LATE")).split("\n", 1)[1]
    run = common.perform_run(meeting_run(text).pk)
    assert (run.status, run.created, run.rejected) == ("stopped", 1, 3)
    assert list(CreditEntry.objects.values_list("activity_code", flat=True)) == ["PSTM25-S101"]
    assert "stopped at line 6" in run.error


def test_a_stopped_run_is_not_run_again(settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 5
    run = meeting_run(bad_rows_file(20))
    common.perform_run(run.pk)
    again = common.perform_run(run.pk)
    assert (again.status, run.rejections.count()) == ("stopped", 5)


def test_the_file_is_read_from_the_database_in_slices(monkeypatch):
    """Reading a 4 MB file row by row never holds the file: memory stays near one slice."""
    monkeypatch.setattr(import_stream, "SLICE_CHARS", 64 * 1024)
    row = ",".join(line().values()) + "\n"
    run = meeting_run(HEADER + "\n" + row * (4 * 1_048_576 // len(row)))
    run = ImportRun.objects.defer("content").get(pk=run.pk)

    def read() -> int:
        rows = run_rows(
            run, required=meeting_import.MEETING_REQUIRED, optional=meeting_import.MEETING_OPTIONAL
        )
        return sum(1 for _ in rows)

    count, peak = peak_bytes(read)
    assert count == 4 * 1_048_576 // len(row)
    assert peak < 1_048_576, f"peak {peak / 1_048_576:.1f} MB"


@pytest.mark.parametrize(
    "text",
    ['a\r\nb,c\n"d\r\ne"\n', "a\rb\r\rc", "a\r", "\n\n", "no end", "é\r\n"],
)
def test_lines_split_in_pieces_are_the_lines_of_the_text(text):
    for size in (1, 2, 3, 100):
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        assert list(import_stream.split_lines(pieces)) == list(io.StringIO(text, newline=""))


# --- Uploads run in the worker ------------------------------------------------------------


def test_with_a_broker_the_upload_only_queues_the_import(
    reviewer_client, django_capture_on_commit_callbacks
):
    """With a broker (not eager), the request records the run and queues it; it does not run
    it (the worker does)."""
    from cmetrack.celery import app
    from imports import tasks

    sent = []
    app.conf.task_always_eager = False  # put back by the autouse fixture
    original = tasks.run_import.apply_async
    tasks.run_import.apply_async = lambda args=None, kwargs=None, **options: sent.append(args)
    try:
        upload = SimpleUploadedFile("m.csv", bad_rows_file(5_000).encode(), "text/csv")
        kind = ImportRun.Kind.MEETING_CREDITS
        with django_capture_on_commit_callbacks(execute=True):
            response = reviewer_client.post(
                "/staff/imports/", {"kind": kind, f"{kind}-file": upload}
            )
    finally:
        tasks.run_import.apply_async = original
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert sent == [(run.pk,)] or sent == [[run.pk]]
    assert (run.status, run.rejections.count()) == ("queued", 0)


def test_the_run_page_says_the_import_stopped(
    reviewer_client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_REJECTED_ROWS = 5
    kind = ImportRun.Kind.MEETING_CREDITS
    upload = SimpleUploadedFile("m.csv", bad_rows_file(100).encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post("/staff/imports/", {"kind": kind, f"{kind}-file": upload})
    page = reviewer_client.get(response["Location"]).content.decode()
    assert "The import stopped: too many rows were rejected." in page
    assert "more than 5 rows were rejected" in page
    assert page.count("This line has 1 values") == 5


# --- ASPS IDs -----------------------------------------------------------------------------

BAD_IDS = ['12"34', "12'34", "12 34", "../12", "12;34", "12\r\n34", "12\n34", "١٢٣", "1" * 21]


def roster_run(asps_id: str) -> ImportRun:
    quoted = '"' + asps_id.replace('"', '""') + '"'
    text = f"{ROSTER_HEADER}\n{quoted},new@example.org,Nia,New,active,2020-01-01,\n"
    run = common.run_create(kind=ImportRun.Kind.ROSTER, file_name="r.csv", content=text)
    return common.perform_run(run.pk)


@pytest.mark.parametrize("asps_id", BAD_IDS)
def test_the_roster_refuses_an_asps_id_that_is_not_letters_and_digits(asps_id):
    run = roster_run(asps_id)
    assert (run.created, run.rejected) == (0, 1)
    assert "asps_id:" in run.rejections.get().reason
    assert "not an ASPS ID (1 to 20 letters or digits" in run.rejections.get().reason
    assert not Member.objects.exists()


@pytest.mark.parametrize("asps_id", ["22428", "L0000001", "007"])
def test_the_roster_takes_asps_ids_of_letters_and_digits(asps_id):
    run = roster_run(asps_id)
    assert (run.created, run.rejected) == (1, 0)
    assert Member.objects.get().asps_id == asps_id


@pytest.mark.parametrize("asps_id", ['12"34', "12\r\n34"])
def test_credit_files_refuse_a_malformed_asps_id(member, asps_id):
    quoted = '"' + asps_id.replace('"', '""') + '"'
    text = csv_text(line()).replace("\n20001,", f"\n{quoted},", 1)
    run = common.perform_run(meeting_run(text).pk)
    assert run.rejected == 1
    reason = run.rejections.get().reason
    assert reason.startswith("asps_id:") and "not an ASPS ID" in reason
    assert "No member has" not in reason


@pytest.mark.parametrize("asps_id", BAD_IDS)
def test_the_model_and_the_admin_refuse_a_malformed_asps_id(asps_id):
    member = MemberFactory.build(asps_id=asps_id)
    with pytest.raises(ValidationError) as refused:
        member.full_clean(exclude=["user"])
    assert "asps_id" in refused.value.message_dict
    form = modelform_factory(Member, fields=["asps_id"])({"asps_id": asps_id})
    assert not form.is_valid() and "asps_id" in form.errors
