"""Every activity counted once (docs/rules.md "Counted once"), in the imports: an import
repeating the member's own entry supersedes it; one activity under two codes of a meeting file
counts once; a title without its spaces is the same activity.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from credits import abps_import, meeting_import, rules, selectors, services
from credits.import_selectors import flagged_duplicates
from credits.models import CreditEntry, Provider, Source
from imports import reading
from imports import services as common
from imports.models import ImportRun
from reports import cme_report
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
YEAR_2025 = rules.Window(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
HAND_COURSE = {
    "title": "Hand Course 2025",
    "activity_type": "live_activity",
    "category": 1,
    "provider": "ACS",
    "start_date": dt.date(2025, 3, 10),
    "end_date": dt.date(2025, 3, 10),
    "credits": Decimal("10"),
    "patient_safety_credits": Decimal("0"),
    "patient_safety_kind": "general",
    "plastic_surgery_credits": Decimal("10"),
    "city": "Chicago",
    "state": "IL",
    "country": "United States",
}


def row(member, **changes: str) -> dict[str, str]:
    """The meeting file's row of the Hand Course for ``member``."""
    return {
        "asps_id": member.asps_id,
        "activity_code": "HAND25-A",
        "activity_title": "Hand Course 2025",
        "provider": "ACS",
        "start_date": "2025-03-10",
        "end_date": "2025-03-10",
        "category": "1",
        "credits": "10",
        "patient_safety_credits": "0",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "10",
        "evaluation_completed_on": "2025-04-01",
        **changes,
    }


def run_import(*rows: dict[str, str], today: dt.date = TODAY) -> ImportRun:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=meeting_import.MEETING_REQUIRED, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    run = common.run_create(
        kind=ImportRun.Kind.MEETING_CREDITS, file_name="meeting.csv", content=out.getvalue()
    )
    run = common.perform_run(
        run.pk, lambda r: meeting_import.import_meeting_credits(r, today=today)
    )
    assert (run.status, run.rejected) == ("done", 0)
    return run


def own_entry(member, **changes: object) -> CreditEntry:
    return services.entry_create(member=member, values={**HAND_COURSE, **changes}, today=TODAY)


def category_1(member) -> Decimal:
    return selectors.totals_for(member, YEAR_2025).category_1


def api_for(member) -> APIClient:
    client = APIClient()
    answer = client.post(
        "/api/v1/auth/token/", {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def api_earned(client: APIClient, code: str = "category_1") -> Decimal:
    answer = client.get("/api/v1/compliance/", {"start": "2025-01-01", "end": "2025-12-31"})
    assert answer.status_code == 200, answer.content
    return next(Decimal(r["earned"]) for r in answer.json()["requirements"] if r["code"] == code)


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
