"""Parts of activities in the catalogue import: one level only, a whole before its parts
(docs/imports.md "Activity catalogue")."""

from __future__ import annotations

import pytest

from credits.models import Activity
from tests.credits.test_catalogue_import import csv_text, part, reasons, row, run_import

pytestmark = pytest.mark.django_db


def whole_of(code: str) -> str | None:
    activity = Activity.objects.select_related("parent").get(code=code)
    return activity.parent.code if activity.parent else None


def test_a_part_of_an_activity_already_in_the_catalogue_is_linked_to_it():
    run = run_import(csv_text(part(1, whole="ASAPS-MEETING")))

    assert (run.created, run.rejected) == (1, 0)
    assert whole_of("ASAPS-MEETING-S1") == "ASAPS-MEETING"


def test_a_part_whose_whole_is_nowhere_is_rejected():
    run = run_import(csv_text(part(1, whole="NOWHERE")))

    assert reasons(run)[2] == (
        "part_of: No activity has the code NOWHERE, in the catalogue or on an earlier line of "
        "the file (list a whole before its parts)."
    )
    assert not Activity.objects.filter(code="NOWHERE-S1").exists()


def test_a_part_listed_before_its_whole_is_rejected_and_the_whole_imports():
    run = run_import(csv_text(part(1), row()))

    assert (run.created, run.rejected) == (1, 1)
    assert "No activity has the code PSTM25" in reasons(run)[2]
    assert whole_of("PSTM25") is None


def test_the_parts_of_a_rejected_whole_are_rejected_with_its_line():
    run = run_import(csv_text(row(category="9"), part(1)))

    assert (run.created, run.rejected) == (0, 2)
    assert reasons(run)[3] == (
        "part_of: The line of PSTM25 (line 2) was rejected, so its parts cannot be imported: "
        "correct both and import them again."
    )


def test_a_part_of_a_part_is_rejected():
    run = run_import(
        csv_text(
            part(1, whole="ASAPS-MEETING-SESSIONS"),  # a part, from the data migration
            row(),
            part(1),
            part(2, whole="PSTM25-S1"),
        )
    )

    assert (run.created, run.rejected) == (2, 2)
    assert reasons(run)[2] == (
        "part_of: ASAPS-MEETING-SESSIONS is itself a part of ASAPS-MEETING: a part belongs to "
        "a whole activity, not to another part."
    )
    assert "PSTM25-S1 is itself a part of PSTM25" in reasons(run)[5]


def test_an_activity_cannot_be_a_part_of_itself():
    run = run_import(csv_text(row(part_of="PSTM25")))

    assert "part_of: An activity cannot be a part of itself." in reasons(run)[2]


def test_an_activity_with_parts_cannot_become_a_part():
    run_import(csv_text(row(), row(code="OTHER")))

    run = run_import(
        csv_text(
            part(1),
            row(part_of="OTHER"),  # its part is on the line before
            row(code="ASAPS-MEETING", title="ASAPS Annual Meeting", part_of="OTHER"),
        )
    )

    assert (run.created, run.rejected) == (1, 2)
    assert reasons(run) == {
        3: "part_of: PSTM25 has parts of its own: an activity with parts cannot be a part.",
        4: "part_of: ASAPS-MEETING has parts of its own: an activity with parts cannot be a part.",
    }
    assert (whole_of("PSTM25"), whole_of("ASAPS-MEETING")) == (None, None)


def test_a_whole_whose_parts_the_file_moved_away_may_become_a_part():
    run_import(csv_text(row(), part(1), row(code="OTHER")))

    run = run_import(
        csv_text(part(1, whole="OTHER", code="PSTM25-S1"), row(part_of="OTHER"), row(code="OTHER"))
    )

    assert (run.updated, run.unchanged, run.rejected) == (2, 1, 0), reasons(run)
    assert (whole_of("PSTM25"), whole_of("PSTM25-S1")) == ("OTHER", "OTHER")


def test_an_empty_part_of_makes_a_part_a_whole_and_a_file_without_it_keeps_the_parts():
    run_import(csv_text(row(), part(1), part(2)))

    kept = run_import(csv_text(part(1, title="Renamed"), columns=("code", "title")))
    made_whole = run_import(csv_text(part(2, part_of="")))

    assert (kept.updated, made_whole.updated) == (1, 1)
    assert (whole_of("PSTM25-S1"), whole_of("PSTM25-S2")) == ("PSTM25", None)
    assert Activity.objects.get(code="PSTM25-S1").title == "Renamed"
