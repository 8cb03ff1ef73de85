"""The activity catalogue import (docs/imports.md "Activity catalogue")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credits.catalogue_rows import CATALOGUE_OPTIONAL, CATALOGUE_REQUIRED
from credits.models import Activity, Provider
from imports import services as common
from imports.models import ImportRun

pytestmark = pytest.mark.django_db

COLUMNS = (*CATALOGUE_REQUIRED, *CATALOGUE_OPTIONAL)


def row(**changes: str) -> dict[str, str]:
    """A good row: a whole activity with every column filled in."""
    return {
        "code": "PSTM25",
        "title": "Plastic Surgery The Meeting 2025",
        "kind": "activity",
        "part_of": "",
        "provider": "ASPS",
        "activity_type": "live_activity",
        "category": "1",
        "start_date": "2025-10-10",
        "end_date": "2025-10-13",
        "city": "San Diego",
        "state": "CA",
        "country": "United States",
        "max_credits": "40",
        "patient_safety_credits": "6",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "40",
        "content_areas": "breast; cosmetic",
        "url": "https://www.plasticsurgery.org/",
        "active": "yes",
        **changes,
    }


def part(number: int, whole: str = "PSTM25", **changes: str) -> dict[str, str]:
    return row(
        **{
            "code": f"{whole}-S{number}",
            "title": f"Session {number}",
            "part_of": whole,
            "max_credits": "7.5",
            "patient_safety_credits": "",
            "plastic_surgery_credits": "",
            **changes,
        }
    )


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if "," in value else value

    lines = [",".join(columns), *(",".join(cell(r.get(c, "")) for c in columns) for r in rows)]
    return "\n".join(lines) + "\n"


def run_import(text: str) -> ImportRun:
    run = common.run_create(kind=ImportRun.Kind.CATALOGUE, file_name="catalogue.csv", content=text)
    return common.perform_run(run.pk)


def reasons(run: ImportRun) -> dict[int, str]:
    return {rejection.line: rejection.reason for rejection in run.rejections.all()}


def test_a_file_creates_activities_with_every_column_and_parts_after_their_whole():
    run = run_import(csv_text(row(), part(1), part(2, kind="resource", active="no")))

    assert (run.status, run.created, run.updated, run.unchanged, run.rejected) == (
        "done",
        3,
        0,
        0,
        0,
    )
    whole = Activity.objects.get(code="PSTM25")
    assert whole.title == "Plastic Surgery The Meeting 2025"
    assert whole.provider == Provider.objects.get(abbreviation="ASPS")
    assert (whole.kind, whole.activity_type, whole.category) == ("activity", "live_activity", 1)
    assert (whole.start_date, whole.end_date) == (dt.date(2025, 10, 10), dt.date(2025, 10, 13))
    assert (whole.city, whole.state, whole.country) == ("San Diego", "CA", "United States")
    assert (whole.max_credits, whole.patient_safety_credits, whole.plastic_surgery_credits) == (
        Decimal("40.00"),
        Decimal("6.00"),
        Decimal("40.00"),
    )
    assert whole.content_areas == ["breast", "cosmetic"]
    assert (whole.url, whole.active, whole.parent) == (
        "https://www.plasticsurgery.org/",
        True,
        None,
    )
    sessions = Activity.objects.filter(parent=whole).order_by("code")
    assert [(s.code, s.kind, s.active) for s in sessions] == [
        ("PSTM25-S1", "activity", True),
        ("PSTM25-S2", "resource", False),
    ]
    assert sessions[0].patient_safety_credits is None  # an empty cell: not stated


def test_importing_the_same_file_twice_changes_nothing():
    text = csv_text(row(), part(1), row(code="ASAPS-MEETING", title="ASAPS Annual Meeting"))
    first = run_import(text)
    before = list(Activity.objects.order_by("id").values())

    second = run_import(text)

    assert (first.created, first.updated) == (2, 1)  # the data migration shipped ASAPS-MEETING
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 3, 0)
    assert list(Activity.objects.order_by("id").values()) == before  # updated_at included


def test_a_changed_row_updates_its_activity_only():
    run_import(csv_text(row(), part(1)))
    unchanged_part = Activity.objects.get(code="PSTM25-S1").updated_at

    run = run_import(csv_text(row(max_credits="42.25", content_areas=""), part(1)))

    assert (run.created, run.updated, run.unchanged) == (0, 1, 1)
    whole = Activity.objects.get(code="PSTM25")
    assert (whole.max_credits, whole.content_areas) == (Decimal("42.25"), [])
    assert Activity.objects.get(code="PSTM25-S1").updated_at == unchanged_part


def test_a_column_the_file_lacks_is_left_as_it_is_and_new_activities_get_the_default():
    run_import(csv_text(row()))

    run = run_import(csv_text(row(title="Renamed"), row(code="NEW"), columns=("code", "title")))

    assert (run.created, run.updated) == (1, 1)
    renamed = Activity.objects.get(code="PSTM25")
    assert (renamed.title, renamed.max_credits, renamed.provider.abbreviation) == (
        "Renamed",
        Decimal("40.00"),
        "ASPS",
    )
    new = Activity.objects.get(code="NEW")
    assert (new.kind, new.category, new.max_credits, new.provider, new.active) == (
        "activity",
        1,
        None,
        None,
        True,
    )


def test_a_provider_is_found_by_name_or_abbreviation_in_any_case():
    run_import(
        csv_text(
            row(code="A", provider="american society of plastic surgeons"),
            row(code="B", provider="csps"),
            row(code="C", provider=""),
        )
    )

    found = dict(Activity.objects.filter(code__in="ABC").values_list("code", "provider__name"))
    assert found == {
        "A": "American Society of Plastic Surgeons",
        "B": "California Society of Plastic Surgeons",
        "C": None,
    }


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"code": ""}, "code: Empty: every activity needs its code."),
        ({"code": "X" * 51}, "code: Longer than 50 characters."),
        ({"title": ""}, "title: Empty."),
        ({"kind": "course"}, "kind: “course” is not one of activity, resource."),
        ({"provider": "Midwest Forum"}, "provider: No provider is named “Midwest Forum”"),
        ({"activity_type": "live"}, "activity_type: “live” is not one of live_activity,"),
        ({"category": "3"}, "category: “3” is not one of 1, 2."),
        ({"start_date": "2025-13-01"}, "start_date: “2025-13-01” is not a date (YYYY-MM-DD)."),
        ({"end_date": "2025-10-09"}, "end_date: The end date is before the start date."),
        ({"max_credits": "many"}, "max_credits: “many” is not a number of credits"),
        ({"max_credits": "0"}, "max_credits: A designated maximum is more than 0"),
        ({"max_credits": "40.1"}, "max_credits: Credits come in steps of 0.25"),
        ({"max_credits": "10000"}, "max_credits: That is more credits than one activity"),
        ({"patient_safety_credits": "-1"}, "patient_safety_credits: Enter 0 or more"),
        (
            {"patient_safety_credits": "40.25"},
            "patient_safety_credits: The designated patient-safety credits (40.25) cannot be "
            "more than the designated maximum (40).",
        ),
        (
            {"plastic_surgery_credits": "41"},
            "plastic_surgery_credits: The designated plastic-surgery credits (41) cannot be",
        ),
        ({"patient_safety_kind": "tops"}, "patient_safety_kind: “tops” is not one of general,"),
        ({"content_areas": "breast;hands"}, "content_areas: “hands” is not a content area; use"),
        ({"url": "www.example.org"}, "url: “www.example.org” is not a web address"),
        ({"active": "maybe"}, "active: “maybe” is not yes or no."),
    ],
)
def test_a_bad_value_rejects_its_row_with_the_reason_and_the_good_rows_import(changes, reason):
    run = run_import(csv_text(row(), row(**{"code": "BAD", **changes})))

    assert (run.created, run.rejected) == (1, 1)
    assert reason in reasons(run)[3]
    assert run.rejections.get().row["code"] == changes.get("code", "BAD")


def test_every_problem_of_a_row_is_given_at_once():
    run = run_import(csv_text(row(kind="x", category="9", url="nope", active="?")))

    reason = reasons(run)[2]
    for column in ("kind:", "category:", "url:", "active:"):
        assert column in reason


def test_a_designation_is_checked_against_the_maximum_already_in_the_catalogue():
    run_import(csv_text(row()))  # a maximum of 40
    columns = ("code", "title", "patient_safety_credits")

    run = run_import(csv_text(row(patient_safety_credits="45"), columns=columns))

    assert "cannot be more than the designated maximum (40)" in reasons(run)[2]
    assert Activity.objects.get(code="PSTM25").patient_safety_credits == Decimal("6.00")


def test_a_repeated_code_and_a_line_with_missing_values_are_rejected():
    text = csv_text(row(), row(title="Again")) + "ONE,Only two values\n"

    run = run_import(text)

    assert (run.created, run.rejected) == (1, 2)
    assert (
        reasons(run)[3]
        == "The code PSTM25 already appeared on line 2; only that line was imported."
    )
    assert reasons(run)[4].startswith("This line has 2 values but the header has 19 columns")
    assert Activity.objects.get(code="PSTM25").title == "Plastic Surgery The Meeting 2025"


def test_the_run_stops_after_too_many_rejected_rows(settings):
    settings.IMPORT_MAX_REJECTED_ROWS = 2
    text = csv_text(row(), *(row(code=f"B{n}", kind="bad") for n in range(5)), row(code="LATE"))

    run = run_import(text)

    assert (run.status, run.created, run.rejected) == ("stopped", 1, 2)
    assert "stopped at line 5" in run.error
    assert not Activity.objects.filter(code="LATE").exists()


def test_the_import_runs_the_same_queries_for_few_rows_and_many():
    def queries(rows: int, prefix: str) -> int:
        wholes = [row(code=f"{prefix}{n}") for n in range(rows)]
        parts = [part(1, whole=f"{prefix}{n}") for n in range(rows)]
        bad = [row(code=f"{prefix}-BAD{n}", provider="Nobody") for n in range(rows)]
        updates = [row(code="ASAPS-MEETING", title="ASAPS Annual Meeting, renamed")]
        text = csv_text(
            *wholes, *parts, *bad, *updates, part(9, "ASAPS-MEETING", code=f"{prefix}-S9")
        )
        run = common.run_create(kind=ImportRun.Kind.CATALOGUE, file_name="c.csv", content=text)
        with CaptureQueriesContext(connection) as captured:
            done = common.perform_run(run.pk)
        assert (done.created, done.rejected) == (2 * rows + 1, rows), reasons(done)
        Activity.objects.filter(code="ASAPS-MEETING").update(title="ASAPS Annual Meeting")
        return len(captured)

    # (40: SQLite takes at most 999 values per statement, 49 activities of 20 fields.)
    assert queries(3, "FEW") == queries(40, "MANY")


def test_the_command_imports_a_file_and_prints_the_counts(tmp_path, capsys):
    path = tmp_path / "catalogue.csv"
    path.write_text(csv_text(row(), row(code="X", category="3")))

    call_command("import_catalogue", str(path), "--sync")

    out = capsys.readouterr().out
    assert "created 1, updated 0, unchanged 0, rejected 1" in out
    assert "line 3: category: “3” is not one of 1, 2." in out


def test_the_example_of_the_docs_imports_as_it_says():
    docs = (Path(settings.BASE_DIR) / "docs" / "imports.md").read_text(encoding="utf-8")
    section = docs.split("## Activity catalogue", 1)[1]
    example = section.split("```\n", 2)[1]

    run = run_import(example)

    # The IHI curriculum is shipped by the data migration as the example has it.
    assert (run.created, run.updated, run.unchanged, run.rejected) == (2, 0, 1, 0)
    assert Activity.objects.get(code="PSTM25-BREAST").parent.code == "PSTM25"
    assert example.split("\n", 1)[0] == ",".join(COLUMNS)
