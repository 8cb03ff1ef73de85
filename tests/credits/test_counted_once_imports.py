"""Every activity counted once (docs/rules.md "Counted once"), in the imports: an import
repeating the member's own entry supersedes it; one activity under two codes of a meeting file
counts once; a title without its spaces is the same activity.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from credits import abps_import, selectors
from credits.import_selectors import flagged_duplicates
from credits.models import CreditEntry, Provider, Source
from imports import reading
from imports import services as common
from imports.models import ImportRun
from reports import cme_report
from tests.credits.counted_once_helpers import (
    TODAY,
    YEAR_2025,
    api_earned,
    api_for,
    category_1,
    own_entry,
    row,
    run_import,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(alice):
    return alice


# --- An import that repeats the member's own entry -------------------------------------------


def test_an_import_that_repeats_the_members_entry_supersedes_it_at_once(member):
    own = own_entry(member)
    client = api_for(member)
    assert api_earned(client) == Decimal(10)

    run = run_import(row(member))

    imported = CreditEntry.objects.get(source=Source.SOCIETY_IMPORT)
    own.refresh_from_db()
    assert own.superseded_by == imported and not own.counts
    assert imported.duplicate_of == own and imported.counts  # the staff flag
    assert (run.created, run.flagged_duplicates) == (1, 1)
    assert flagged_duplicates(run) == [imported]
    # Counted once, before staff do anything: every total agrees.
    assert category_1(member) == Decimal(10)
    assert api_earned(client) == Decimal(10)
    assert selectors.totals_by_member(start=YEAR_2025.start, end=YEAR_2025.end)[
        member.pk
    ].category_1 == Decimal(10)
    assert selectors.totals_for_windows([(member.pk, YEAR_2025)])[
        (member.pk, YEAR_2025)
    ].category_1 == Decimal(10)


def test_the_report_its_data_file_and_chart_count_the_same_set(member, alice_client):
    own_entry(member)
    run_import(row(member))

    report = cme_report.build_report(member, YEAR_2025, as_of=TODAY, is_cycle=False)

    assert [e.source for e in report.entries] == [Source.SOCIETY_IMPORT]
    assert report.totals.category_1 == Decimal(10)
    lines = cme_report.report_csv(report).strip().splitlines()
    assert len(lines) == 2  # the header and the society's record
    days = selectors.daily_credits(member, YEAR_2025)
    assert sum(day["all_credits"] for day in days) == Decimal(10)
    page = alice_client.get(
        reverse("reports:cme"), {"start": "2025-01-01", "end": "2025-12-31"}
    ).content.decode()
    assert page.count("Hand Course 2025") == 1
    assert "Duplicate: same title" not in page


def test_a_title_without_its_spaces_is_the_same_activity(member):
    own = own_entry(member, title="SpringMeeting2025")

    run_import(row(member, activity_title="Spring Meeting 2025"))

    own.refresh_from_db()
    assert not own.counts
    assert category_1(member) == Decimal(10)


@pytest.mark.parametrize(
    "title",
    ["spring meeting 2025", "SPRING  MEETING 2025", "Spring Meeting, 2025.", "Spring-Meeting 2025"],
)
def test_case_spacing_and_punctuation_do_not_make_another_activity(member, title):
    own = own_entry(member, title="Spring Meeting 2025")

    run = run_import(row(member, activity_title=title))

    own.refresh_from_db()
    assert run.created == 1 and not own.counts
    assert category_1(member) == Decimal(10)


def test_another_provider_or_date_is_another_activity(member):
    own_entry(member)

    run_import(
        row(member, activity_code="X1", provider="Baker Gordon"),
        row(member, activity_code="X2", start_date="2025-03-11", end_date="2025-03-11"),
    )

    assert category_1(member) == Decimal(30)
    assert CreditEntry.objects.counted().count() == 3


def test_an_abps_record_supersedes_the_members_entry_of_it(member):
    abps = Provider.objects.get_or_create(
        name="American Board of Plastic Surgery",
        defaults={"abbreviation": "ABPS", "verified": True},
    )[0]
    own = own_entry(
        member,
        title="Rhinoplasty module",
        activity_type="self_assessment",
        provider=abps.name,
        credits=Decimal(5),
        plastic_surgery_credits=Decimal(5),
    )
    text = (
        ",".join(abps_import.ABPS_REQUIRED)
        + f"\n{member.asps_id},R-1,cc_activity,RHINOPLASTY MODULE,2025-03-10,5,0\n"
    )
    run = common.run_create(kind=ImportRun.Kind.ABPS, file_name="abps.csv", content=text)
    run = common.perform_run(run.pk, lambda r: abps_import.import_abps(r, today=TODAY))

    own.refresh_from_db()
    assert run.flagged_duplicates == 1
    assert own.superseded_by.source == Source.ABPS_IMPORT
    assert category_1(member) == Decimal(5)


# --- One activity under two codes ------------------------------------------------------------


def test_two_codes_of_one_activity_in_a_file_count_once_and_are_flagged(member, reviewer_client):
    run = run_import(
        row(member, activity_code="HAND25-A"),
        row(member, activity_code="HAND25-B", activity_title="hand course 2025"),
    )

    first = CreditEntry.objects.get(activity_code="HAND25-A")
    second = CreditEntry.objects.get(activity_code="HAND25-B")
    assert first.counts and second.superseded_by == first and second.duplicate_of == first
    assert (run.created, run.flagged_duplicates) == (2, 1)
    assert category_1(member) == Decimal(10)
    page = reviewer_client.get(f"/staff/imports/{run.pk}/").content.decode()
    assert "Imported entries that repeat another entry" in page
    assert f'href="/staff/reviews/{second.pk}/"' in page
    assert "does not count" in page


def test_a_second_code_in_a_later_file_counts_once_and_the_file_stays_idempotent(member):
    run_import(row(member, activity_code="HAND25-A"))
    later = run_import(row(member, activity_code="HAND25-B"))
    again = run_import(row(member, activity_code="HAND25-B"))

    assert (later.created, later.flagged_duplicates) == (1, 1)
    assert (again.created, again.unchanged, again.flagged_duplicates) == (0, 1, 0)
    assert category_1(member) == Decimal(10)


def test_two_codes_across_batches_of_one_file_count_once(member, monkeypatch):
    monkeypatch.setattr(reading, "ROW_BATCH", 1)
    run = run_import(row(member, activity_code="HAND25-A"), row(member, activity_code="HAND25-B"))

    assert run.flagged_duplicates == 1
    assert category_1(member) == Decimal(10)


def test_a_member_entry_and_two_codes_count_once(member):
    own = own_entry(member)

    run_import(row(member, activity_code="HAND25-A"), row(member, activity_code="HAND25-B"))

    own.refresh_from_db()
    assert own.superseded_by.activity_code == "HAND25-A"
    assert category_1(member) == Decimal(10)
