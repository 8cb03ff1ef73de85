"""Society meeting credit import (docs/imports.md; docs/rules.md §3, §4)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from credits import meeting_import
from credits.import_selectors import flagged_duplicates
from credits.models import CreditEntry, HeldMeetingCredit, Provider, ReviewStatus, Source
from imports import services as common
from imports.models import ImportRun
from members.models import AuditEvent
from tests.factories import CreditEntryFactory, MemberFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(meeting_import.MEETING_REQUIRED)


def line(**changes: str) -> dict[str, str]:
    """A good row: alice's ASPS ID is filled in by the tests."""
    return {
        "asps_id": "20001",
        "activity_code": "PSTM25-S101",
        "activity_title": "Plastic Surgery The Meeting 2025: Breast Reconstruction",
        "provider": "ASPS",
        "start_date": "2025-10-10",
        "end_date": "2025-10-12",
        "category": "1",
        "credits": "7.5",
        "patient_safety_credits": "1.5",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "7.5",
        "evaluation_completed_on": "2025-10-20",
        **changes,
    }


def csv_text(*rows: dict[str, str], header: str = HEADER) -> str:
    columns = header.split(",")
    body = [",".join(row.get(column, "") for column in columns) for row in rows]
    return "\n".join([header, *body]) + "\n"


def run_import(text: str, kind: str = ImportRun.Kind.MEETING_CREDITS) -> ImportRun:
    run = common.run_create(kind=kind, file_name="meeting.csv", content=text)
    return common.perform_run(run.pk)


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


def test_a_good_row_becomes_an_approved_society_entry_with_its_code(member):
    run = run_import(csv_text(line()))

    assert (run.status, run.created, run.rejected, run.held) == ("done", 1, 0, 0)
    entry = CreditEntry.objects.get(member=member)
    assert entry.source == Source.SOCIETY_IMPORT
    assert entry.activity_code == "PSTM25-S101"
    assert entry.review_status == ReviewStatus.APPROVED
    assert entry.provider.abbreviation == "ASPS"
    assert entry.credits == Decimal("7.50")
    assert entry.activity_type == "live_activity"
    assert (entry.city, entry.state, entry.country) == ("Chicago", "IL", "United States")
    assert run.finished_at is not None


def test_an_entry_without_patient_safety_credits_needs_no_review(member):
    run_import(csv_text(line(patient_safety_credits="0")))

    assert CreditEntry.objects.get().review_status == ReviewStatus.NOT_REQUIRED


def test_importing_the_same_file_twice_changes_nothing(member):
    text = csv_text(line(), line(activity_code="PSTM25-S102", activity_title="Session two"))
    first = run_import(text)
    before = list(CreditEntry.objects.order_by("id").values())

    second = run_import(text)

    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.unchanged, second.rejected) == (0, 2, 0)
    assert list(CreditEntry.objects.order_by("id").values()) == before


def test_a_run_already_done_is_not_run_again(member):
    run = run_import(csv_text(line()))

    again = common.perform_run(run.pk)

    assert again.created == 1
    assert CreditEntry.objects.count() == 1


def test_bad_rows_are_kept_with_their_reasons_while_good_rows_import(member):
    text = csv_text(
        line(),
        line(activity_code="S2", credits="abc", start_date="2025-13-01"),
        line(activity_code="S3", asps_id="99999"),
        line(activity_code="S4", patient_safety_credits="9", category="3"),
    )

    run = run_import(text)

    assert (run.created, run.rejected) == (1, 3)
    reasons = {r.line: r.reason for r in run.rejections.all()}
    assert set(reasons) == {3, 4, 5}
    assert "credits: Enter a number" in reasons[3]
    assert "start_date: Enter a date (YYYY-MM-DD)" in reasons[3]
    assert "No member has ASPS ID 99999" in reasons[4]
    assert "category: “3” is not one of 1, 2." in reasons[5]
    rejection = run.rejections.get(line=3)
    assert rejection.row["credits"] == "abc"
    assert rejection.row["activity_code"] == "S2"


def test_a_row_for_an_unknown_member_is_rejected_not_lost(member):
    run = run_import(csv_text(line(asps_id="55555")))

    assert (run.created, run.rejected) == (0, 1)
    assert "No member has ASPS ID 55555: import the roster first." in run.rejections.get().reason


def test_a_row_repeated_in_the_file_is_rejected_with_the_first_line(member):
    run = run_import(csv_text(line(), line()))

    assert (run.created, run.rejected) == (1, 1)
    assert run.rejections.get().reason.startswith(
        "ASPS ID 20001 and code PSTM25-S101 already appeared on line 2"
    )


def test_a_line_with_a_missing_comma_is_rejected(member):
    text = HEADER + "\n20001,PSTM25-S101,Title only\n"

    run = run_import(text)

    assert run.rejected == 1
    assert "has 3 values but the header has 12 columns" in run.rejections.get().reason


def test_a_file_without_the_contract_header_fails_with_a_clear_error(member):
    run = run_import("asps_id,code\n20001,X\n")

    assert run.status == ImportRun.Status.FAILED
    assert "lacks the columns activity_code, activity_title" in run.error
    assert CreditEntry.objects.count() == 0


def test_a_row_without_a_completed_evaluation_is_held_until_a_later_file_completes_it(member):
    held_run = run_import(csv_text(line(evaluation_completed_on="")))

    assert (held_run.created, held_run.held) == (0, 1)
    assert not CreditEntry.objects.exists()
    held = HeldMeetingCredit.objects.get()
    assert (held.asps_id, held.activity_code, held.first_seen_run_id) == (
        "20001",
        "PSTM25-S101",
        held_run.pk,
    )

    again = run_import(csv_text(line(evaluation_completed_on="")))
    assert (again.created, again.held) == (0, 1)
    assert HeldMeetingCredit.objects.get().first_seen_run_id == held_run.pk

    later = run_import(csv_text(line(evaluation_completed_on="2025-11-02")))

    assert (later.created, later.held) == (1, 0)
    assert CreditEntry.objects.get().activity_code == "PSTM25-S101"
    assert not HeldMeetingCredit.objects.exists()


def test_a_completing_row_takes_the_held_rows_values_for_its_empty_cells(member):
    run_import(csv_text(line(evaluation_completed_on="")))
    completion = {
        **dict.fromkeys(line(), ""),
        "asps_id": "20001",
        "activity_code": "PSTM25-S101",
        "evaluation_completed_on": "2025-11-02",
    }

    run = run_import(csv_text(completion))

    assert run.created == 1
    entry = CreditEntry.objects.get()
    assert entry.title.startswith("Plastic Surgery The Meeting 2025")
    assert entry.credits == Decimal("7.50")


def test_held_rows_of_entries_posted_since_are_dropped_at_the_next_run(member):
    run_import(csv_text(line(evaluation_completed_on="")))
    run_import(csv_text(line()))  # posts it and drops the held row
    HeldMeetingCredit.objects.create(asps_id="20001", activity_code="PSTM25-S101", row=line())

    run_import(csv_text(line(activity_code="OTHER")))

    assert not HeldMeetingCredit.objects.exists()


def test_a_bad_row_is_rejected_rather_than_held(member):
    run = run_import(csv_text(line(evaluation_completed_on="", credits="-1")))

    assert (run.held, run.rejected) == (0, 1)
    assert not HeldMeetingCredit.objects.exists()


def test_a_repeat_of_a_self_reported_entry_is_imported_and_flagged(member):
    own = CreditEntryFactory(
        member=member,
        title="plastic surgery the meeting 2025:   BREAST reconstruction",
        provider=Provider.objects.get(abbreviation="ASPS"),
        start_date="2025-10-10",
        end_date="2025-10-12",
    )

    run = run_import(csv_text(line()))

    imported = CreditEntry.objects.get(source=Source.SOCIETY_IMPORT)
    assert imported.duplicate_of == own
    assert (run.created, run.flagged_duplicates) == (1, 1)
    assert flagged_duplicates(run) == [imported]


def test_an_entry_with_other_dates_is_not_flagged(member):
    CreditEntryFactory(
        member=member,
        title=line()["activity_title"],
        provider=Provider.objects.get(abbreviation="ASPS"),
        end_date="2025-10-12",
        start_date="2025-10-11",
    )

    run = run_import(csv_text(line()))

    assert run.flagged_duplicates == 0
    assert CreditEntry.objects.get(source=Source.SOCIETY_IMPORT).duplicate_of is None


def test_unknown_providers_are_created_once_unverified(member):
    text = csv_text(
        line(provider="Midwest Aesthetic Forum"),
        line(activity_code="S2", provider="midwest  aesthetic forum"),
        line(activity_code="S3", provider="aahs"),
    )

    run = run_import(text)

    assert run.created == 3
    new = Provider.objects.get(name="Midwest Aesthetic Forum")
    assert not new.verified
    assert CreditEntry.objects.filter(provider=new).count() == 2
    assert CreditEntry.objects.filter(provider__abbreviation="AAHS").count() == 1


def test_the_import_runs_a_fixed_number_of_queries_whatever_the_rows(
    member, django_assert_max_num_queries
):
    others = MemberFactory.create_batch(30)
    rows = [
        line(
            asps_id=other.asps_id,
            activity_code="ASAPS-MEETING-COURSES" if n % 3 == 0 else f"S{n}",
            provider="Regional Forum" if n % 2 else "ASPS",
        )
        for n, other in enumerate(others)
    ]
    run = common.run_create(
        kind=ImportRun.Kind.MEETING_CREDITS, file_name="m.csv", content=csv_text(*rows)
    )

    with django_assert_max_num_queries(25):
        common.perform_run(run.pk)

    assert CreditEntry.objects.count() == 30
    assert CreditEntry.objects.filter(activity__code="ASAPS-MEETING-COURSES").count() == 10


def test_the_command_prints_the_counts_and_the_rejections(member, tmp_path, capsys):
    path = tmp_path / "meeting.csv"
    path.write_text(csv_text(line(), line(activity_code="S2", asps_id="404")))

    call_command("import_meeting_credits", str(path), "--sync")

    out = capsys.readouterr().out
    assert "created 1, unchanged 0, held 0, rejected 1, flagged duplicates 0" in out
    assert "line 3: No member has ASPS ID 404" in out


def test_the_command_without_sync_queues_the_task_which_runs_in_process(
    member, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "meeting.csv"
    path.write_text(csv_text(line()))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_meeting_credits", str(path))

    # Here the test's transaction defers the task to its end; outside one, the command
    # prints the counts of the run the in-process task has just finished.
    run = ImportRun.objects.get()
    assert f"Import run {run.pk} is queued" in capsys.readouterr().out
    assert (run.status, run.created) == (ImportRun.Status.DONE, 1)


def test_the_command_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "meeting.csv"
    path.write_bytes(HEADER.encode() + b"\n20001,S1,Caf\xe9\n")

    with pytest.raises(Exception, match="not UTF-8"):
        call_command("import_meeting_credits", str(path), "--sync")

    assert not ImportRun.objects.exists()


def in_thread(work):
    """Run ``work`` on a connection of its own, which commits (the test's does not)."""
    result = {}

    def target():
        try:
            result["value"] = work()
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return result.get("value")


def test_two_simultaneous_imports_of_one_file_create_each_entry_once(postgres):
    """Two workers import the same file at the same moment, each in its own transaction.

    The rows are committed from other connections (a transactional test would flush the data
    migrations' providers and groups for the tests after it), and removed at the end.
    """
    text = csv_text(*(line(activity_code=f"S{n}") for n in range(50)))
    member = in_thread(lambda: MemberFactory(asps_id="20001"))
    runs = in_thread(
        lambda: [
            common.run_create(kind=ImportRun.Kind.MEETING_CREDITS, file_name="m.csv", content=text)
            for _ in range(2)
        ]
    )
    start = threading.Barrier(2)

    def work(run_id: int) -> None:
        try:
            start.wait()
            common.perform_run(run_id)
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=work, args=(run.pk,)) for run in runs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert CreditEntry.objects.filter(member=member).count() == 50
        counts = sorted(
            ImportRun.objects.filter(pk__in=[r.pk for r in runs]).values_list(
                "status", "created", "unchanged"
            )
        )
        assert counts == [("done", 0, 50), ("done", 50, 0)]
    finally:
        in_thread(lambda: CreditEntry.objects.filter(member=member).delete())
        in_thread(lambda: ImportRun.objects.filter(pk__in=[r.pk for r in runs]).delete())
        in_thread(
            lambda: AuditEvent.objects.filter(
                target__in=[f"import run {r.pk}" for r in runs]
            ).delete()
        )
        in_thread(lambda: member.user.delete())
