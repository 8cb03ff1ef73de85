"""What an entry may claim, in the imports: meeting and ABPS rows breaking the rules are
rejected with the reason; imported rows take the member's home and need no State.
"""

from __future__ import annotations

import pytest

from credits import abps_import, meeting_import
from credits.models import CreditEntry
from imports import services as common
from imports.models import ImportRun
from tests.credits.entry_claims_helpers import (
    SERIES_MESSAGE,
    TEACHING_MESSAGE,
)

# --- Imports ---------------------------------------------------------------------------------

MEETING_HEADER = ",".join((*meeting_import.MEETING_REQUIRED, "activity_type"))
ABPS_HEADER = ",".join((*abps_import.ABPS_REQUIRED, "activity_type"))


def csv_text(header: str, *rows: dict[str, str]) -> str:
    columns = header.split(",")
    return "\n".join([header, *(",".join(r.get(c, "") for c in columns) for r in rows)]) + "\n"


def meeting_row(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "20001",
        "activity_code": "PSTM25-S101",
        "activity_title": "Plastic Surgery The Meeting 2025",
        "provider": "ASPS",
        "start_date": "2025-10-10",
        "end_date": "2025-10-12",
        "category": "1",
        "credits": "7.5",
        "patient_safety_credits": "0",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "7.5",
        "evaluation_completed_on": "2025-10-20",
        "activity_type": "live_activity",
    } | changes


def abps_row(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "20001",
        "abps_record_id": "R1",
        "record_type": "cc_exam",
        "title": "",
        "completed_on": "2024-06-14",
        "credits": "",
        "patient_safety_credits": "0",
    } | changes


def run_import(kind: str, text: str) -> ImportRun:
    run = common.run_create(kind=kind, file_name="file.csv", content=text)
    return common.perform_run(run.pk)


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


@pytest.mark.django_db
def test_meeting_rows_breaking_the_rules_are_rejected_with_the_reason(member):
    text = csv_text(
        MEETING_HEADER,
        meeting_row(),
        meeting_row(activity_code="T1", activity_type="teaching"),
        meeting_row(
            activity_code="GR", activity_type="rss", start_date="2022-01-01", end_date="2024-12-31"
        ),
        meeting_row(activity_code="LONG", start_date="2025-01-10", end_date="2025-10-12"),
        meeting_row(activity_code="T2", activity_type="teaching", category="2", provider=""),
    )

    run = run_import(ImportRun.Kind.MEETING_CREDITS, text)

    assert (run.created, run.rejected) == (2, 3)
    reasons = {r.line: r.reason for r in run.rejections.all()}
    assert reasons[3] == f"category: {TEACHING_MESSAGE}"
    assert reasons[4].startswith(f"end_date: {SERIES_MESSAGE}")
    assert "spans at most 31 days in one entry" in reasons[5]


@pytest.mark.django_db
def test_an_imported_row_takes_the_members_home_and_needs_no_state(member):
    """The files carry no place: a member without a state on file still gets the import."""
    member.state = ""
    member.save()

    run = run_import(ImportRun.Kind.MEETING_CREDITS, csv_text(MEETING_HEADER, meeting_row()))

    assert (run.created, run.rejected) == (1, 0)
    assert CreditEntry.objects.get().state == ""


@pytest.mark.django_db
def test_the_abps_exam_is_direct_credit_from_the_ama_and_imports(member):
    run = run_import(ImportRun.Kind.ABPS, csv_text(ABPS_HEADER, abps_row()))

    assert (run.created, run.rejected) == (1, 0)
    entry = CreditEntry.objects.get()
    assert (entry.activity_type, entry.provider.abbreviation) == ("board_certification", "AMA")


@pytest.mark.django_db
def test_an_abps_activity_claiming_board_certification_from_the_board_is_rejected(member):
    text = csv_text(
        ABPS_HEADER,
        abps_row(
            abps_record_id="R2",
            record_type="cc_activity",
            title="Recertification",
            credits="10",
            activity_type="board_certification",
        ),
    )

    run = run_import(ImportRun.Kind.ABPS, text)

    assert (run.created, run.rejected) == (0, 1)
    assert "only when awarded directly by the AMA" in run.rejections.get().reason


def test_the_rules_are_documented():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    rules_doc = (root / "docs" / "rules.md").read_text()
    section = rules_doc.split("## §3 What an entry may claim", 1)[1].split("\n## ", 1)[0]
    for words in ("directly by the AMA", "31 days", "one year", "State", "imports"):
        assert words in section
    assert "directly by the AMA" in (root / "README.md").read_text()
