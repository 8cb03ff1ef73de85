"""ABPS records import (docs/imports.md; the CC exam is 60 Category 1 credits)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from credits import abps_import
from credits.models import CreditEntry, Provider, ReviewStatus, Source
from imports import services as common
from imports.models import ImportRun
from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(abps_import.ABPS_REQUIRED)


def line(**changes: str) -> dict[str, str]:
    return {
        "asps_id": "20001",
        "abps_record_id": "CC-2024-0042",
        "record_type": "cc_exam",
        "title": "",
        "completed_on": "2024-06-14",
        "credits": "",
        "patient_safety_credits": "",
        **changes,
    }


def csv_text(*rows: dict[str, str], header: str = HEADER) -> str:
    columns = header.split(",")
    return "\n".join([header, *(",".join(r.get(c, "") for c in columns) for r in rows)]) + "\n"


def run_import(text: str) -> ImportRun:
    run = common.run_create(kind=ImportRun.Kind.ABPS, file_name="abps.csv", content=text)
    return common.perform_run(run.pk)


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


def test_a_passed_cc_exam_is_60_category_1_credits_of_ama_direct_credit(member):
    run = run_import(csv_text(line()))

    assert (run.status, run.created, run.rejected) == ("done", 1, 0)
    entry = CreditEntry.objects.get(member=member)
    assert entry.source == Source.ABPS_IMPORT
    assert entry.activity_code == "ABPS-CC-2024-0042"
    assert (entry.category, entry.credits) == (1, Decimal("60.00"))
    assert entry.provider.abbreviation == "AMA"
    assert entry.activity_type == "board_certification"
    assert entry.title == "ABPS Continuous Certification Examination"
    assert entry.start_date == entry.end_date
    assert entry.plastic_surgery_credits == Decimal("60.00")
    assert entry.review_status == ReviewStatus.NOT_REQUIRED


def test_an_approved_cc_activity_is_category_1_from_the_abps(member):
    run_import(
        csv_text(
            line(
                abps_record_id="A-7",
                record_type="cc_activity",
                title="Tracer procedure course: abdominoplasty",
                credits="3.5",
                patient_safety_credits="1",
            )
        )
    )

    entry = CreditEntry.objects.get()
    assert entry.provider == Provider.objects.get(abbreviation="ABPS")
    assert entry.activity_type == "self_assessment"
    assert (entry.credits, entry.patient_safety_credits) == (Decimal("3.50"), Decimal("1.00"))
    # docs/rules.md §4: imported patient-safety credits arrive approved.
    assert entry.review_status == ReviewStatus.APPROVED


def test_optional_columns_set_the_activity_type_and_plastic_surgery_credits(member):
    header = HEADER + ",activity_type,plastic_surgery_credits"
    run_import(
        csv_text(
            line(
                record_type="cc_activity",
                title="IHI Open School",
                credits="10",
                activity_type="enduring_material",
                plastic_surgery_credits="0",
            ),
            header=header,
        )
    )

    entry = CreditEntry.objects.get()
    assert (entry.activity_type, entry.plastic_surgery_credits) == ("enduring_material", 0)


def test_importing_the_same_abps_file_twice_changes_nothing(member):
    text = csv_text(
        line(), line(abps_record_id="A-8", record_type="cc_activity", title="T", credits="2")
    )
    first = run_import(text)

    second = run_import(text)

    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert CreditEntry.objects.count() == 2


def test_bad_abps_rows_are_rejected_with_reasons(member):
    run = run_import(
        csv_text(
            line(),
            line(abps_record_id="X1", credits="50"),
            line(abps_record_id="X2", record_type="exam"),
            line(abps_record_id="X3", record_type="cc_activity", title="", credits=""),
            line(abps_record_id="", asps_id="777"),
            line(abps_record_id="X4", completed_on="2099-01-01"),
        )
    )

    assert (run.created, run.rejected) == (1, 5)
    reasons = {r.line: r.reason for r in run.rejections.all()}
    assert "A passed CC exam earns 60 AMA PRA Category 1 credits" in reasons[3]
    assert "record_type: “exam” is not one of cc_exam, cc_activity." in reasons[4]
    assert "title: This field is required." in reasons[5]
    assert "credits: Enter a number" in reasons[5]
    assert "No member has ASPS ID 777" in reasons[6]
    assert "abps_record_id: Empty." in reasons[6]
    assert "completed_on: This date is in the future" in reasons[7]


def test_an_abps_record_the_member_entered_by_hand_is_flagged(member):
    own = CreditEntryFactory(
        member=member,
        title="ABPS Continuous Certification Examination",
        provider=Provider.objects.get(abbreviation="AMA"),
        start_date="2024-06-14",
        end_date="2024-06-14",
        credits=Decimal("60"),
        activity_type="board_certification",
    )

    run = run_import(csv_text(line()))

    assert run.flagged_duplicates == 1
    assert CreditEntry.objects.get(source=Source.ABPS_IMPORT).duplicate_of == own


def test_the_abps_command_prints_the_counts(member, tmp_path, capsys):
    path = tmp_path / "abps.csv"
    path.write_text(csv_text(line()))

    call_command("import_abps", str(path), "--sync")

    assert "created 1, unchanged 0, rejected 0, flagged duplicates 0" in capsys.readouterr().out
