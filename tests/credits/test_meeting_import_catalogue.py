"""The meeting-credit import and the activity catalogue: a row of a catalogue activity is
linked to it and may claim at most what it is designated for (docs/imports.md "Society
meeting credits"; docs/rules.md §3)."""

from __future__ import annotations

import pytest

from credits.models import Activity, CreditEntry
from tests.credits.test_meeting_import import csv_text, line, run_import
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice):
    alice.asps_id = "20001"
    alice.save()
    return alice


def asaps_line(credits: str, **changes: str) -> dict[str, str]:
    """A row of the ASAPS meeting, in the catalogue (data migration) with its maximum."""
    return line(
        **{
            "activity_code": "ASAPS-MEETING",
            "activity_title": "ASAPS Annual Meeting 2025",
            "provider": "ASAPS",
            "start_date": "2025-04-10",
            "end_date": "2025-04-13",
            "credits": credits,
            "patient_safety_credits": "0",
            "plastic_surgery_credits": credits,
            **changes,
        }
    )


def test_a_catalogue_activity_is_linked_and_its_designated_maximum_holds(member):
    MemberFactory(asps_id="20002")
    MemberFactory(asps_id="20003")
    text = csv_text(
        asaps_line("50.75"),
        asaps_line("51", asps_id="20002"),
        asaps_line("60", asps_id="20003", evaluation_completed_on=""),  # rejected, not held
    )

    run = run_import(text)

    assert (run.created, run.held, run.rejected) == (1, 0, 2)
    maximum = (
        "credits: ASAPS Annual Meeting is designated for a maximum of 50.75 AMA PRA Category 1 "
        "Credits™: claim at most 50.75."
    )
    assert [r.reason for r in run.rejections.all()] == [maximum, maximum]
    entry = CreditEntry.objects.get()
    assert (entry.member, entry.activity.code, entry.content_areas) == (
        member,
        "ASAPS-MEETING",
        ["cosmetic"],
    )


def test_a_part_is_held_to_its_own_maximum_and_to_its_wholes(member):
    meeting = Activity.objects.get(code="ASAPS-MEETING")
    Activity.objects.create(code="ASAPS-WORKSHOP", title="Workshop", parent=meeting)
    MemberFactory(asps_id="20002")
    text = csv_text(
        asaps_line("21.5", activity_code="ASAPS-MEETING-SESSIONS"),
        asaps_line("50.75", activity_code="ASAPS-MEETING-COURSES"),
        asaps_line("51", activity_code="ASAPS-WORKSHOP"),  # no maximum of its own
        asaps_line("21.25", activity_code="ASAPS-MEETING-SESSIONS", asps_id="20002"),
    )

    run = run_import(text)

    assert (run.created, run.rejected) == (1, 3)
    assert [r.reason.split(" is designated")[0] for r in run.rejections.all()] == [
        "credits: ASAPS Annual Meeting — Scientific Sessions",
        "credits: ASAPS Annual Meeting — Special seminars and optional courses",
        "credits: ASAPS Annual Meeting",
    ]
    assert "maximum of 21.25 AMA PRA" in run.rejections.all()[0].reason
    assert CreditEntry.objects.get().activity.code == "ASAPS-MEETING-SESSIONS"


def test_a_code_not_in_the_catalogue_links_nothing(member):
    run = run_import(csv_text(line()))

    assert (run.created, run.rejected) == (1, 0)
    assert (CreditEntry.objects.get().activity, CreditEntry.objects.get().content_areas) == (
        None,
        [],
    )
