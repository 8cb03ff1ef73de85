"""Every activity counted once (docs/rules.md "Counted once").

Each reproduction of the check that found activities counted twice — an import repeating the
member's own entry, one activity under two codes of a meeting file, a title without its
spaces — refused or counted once, in the form, the API and the imports; then a property test
that drives members through the services and compares their compliance with the rules
applied to the distinct activities.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from credits import abps_import, counted, meeting_import, rules, selectors, services
from credits.import_selectors import flagged_duplicates
from credits.models import CreditEntry, Provider, Source
from imports import reading
from imports import services as common
from imports.models import ImportRun
from reports import cme_report
from tests.factories import PASSWORD, MemberFactory

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


# --- The form and the API --------------------------------------------------------------------


def form_data(**changes: str) -> dict[str, str]:
    data = {
        key: (value.isoformat() if isinstance(value, dt.date) else str(value))
        for key, value in HAND_COURSE.items()
    }
    return {**data, **changes}


def test_the_form_refuses_an_activity_the_society_already_recorded(member, alice_client):
    run_import(row(member))
    imported = CreditEntry.objects.get()

    for confirm in ({}, {"confirm_duplicate": "on"}):
        page = alice_client.post(
            reverse("credits:new"), form_data(title="Hand course, 2025", **confirm)
        )
        assert page.status_code == 400
        text = page.content.decode()
        assert "The society's record already has this activity" in text
        assert f'href="/credits/{imported.pk}/"' in text
        assert 'name="confirm_duplicate"' not in text  # confirming would not help

    assert CreditEntry.objects.count() == 1


def test_the_form_keeps_its_link_for_the_members_own_duplicate(member, alice_client):
    own = own_entry(member)

    page = alice_client.post(reverse("credits:new"), form_data(title="HandCourse2025"))

    text = page.content.decode()
    assert page.status_code == 400
    assert f'<a href="/credits/{own.pk}/">Hand Course 2025</a>' in text
    assert 'name="confirm_duplicate"' in text


def test_the_api_answers_a_duplicate_with_the_other_entrys_id_and_no_html(member):
    own = own_entry(member)
    client = api_for(member)
    body = form_data(title="hand  course 2025")

    refused = client.post("/api/v1/credits/", body, format="json")

    assert refused.status_code == 400
    answer = refused.json()
    assert answer["duplicate_of"] == [own.pk]
    assert "You already recorded this activity" in answer["confirm_duplicate"][0]
    assert "<" not in answer["confirm_duplicate"][0]
    confirmed = client.post("/api/v1/credits/", {**body, "confirm_duplicate": True}, format="json")
    assert confirmed.status_code == 201
    assert confirmed.json()["duplicate_of"] == own.pk


def test_the_api_refuses_an_activity_the_society_already_recorded_even_confirmed(member):
    run_import(row(member))
    imported = CreditEntry.objects.get()
    client = api_for(member)

    for confirm in (False, True):
        refused = client.post(
            "/api/v1/credits/",
            {**form_data(title="HAND COURSE 2025"), "confirm_duplicate": confirm},
            format="json",
        )
        assert refused.status_code == 400
        assert refused.json()["duplicate_of"] == [imported.pk]
        assert "counts once" in refused.json()["confirm_duplicate"][0]
    assert api_earned(client) == Decimal(10)


def test_the_api_shows_which_entries_count_and_keeps_a_replaced_one_as_it_was(member):
    own = own_entry(member)
    run_import(row(member))
    client = api_for(member)

    listed = {
        e["id"]: e
        for e in client.get(
            "/api/v1/credits/", {"start": "2025-01-01", "end": "2025-12-31"}
        ).json()["results"]
    }
    assert listed[own.pk]["counts"] is False
    assert listed[own.pk]["superseded_by"] is not None
    changed = client.patch(f"/api/v1/credits/{own.pk}/", {"credits": "12"}, format="json")
    assert changed.status_code == 403
    assert "Replaced by the society's record" in changed.json()["detail"]


# --- What the member sees --------------------------------------------------------------------


def test_the_member_sees_why_on_the_entry_and_the_dashboard(member, alice_client):
    # Dated today, so that the dashboard's current cycle holds it whatever the date.
    today = timezone.localdate()
    own = services.entry_create(
        member=member, values={**HAND_COURSE, "start_date": today, "end_date": today}
    )
    run = run_import(
        row(
            member,
            start_date=today.isoformat(),
            end_date=today.isoformat(),
            evaluation_completed_on=today.isoformat(),
        ),
        today=today,
    )
    assert run.flagged_duplicates == 1

    entry_page = alice_client.get(reverse("credits:detail", args=[own.pk])).content.decode()
    dashboard = alice_client.get("/")
    entries = alice_client.get(reverse("credits:list")).content.decode()

    assert "Replaced by the society's record of this activity" in entry_page
    assert "Edit this entry" not in entry_page
    assert "replaced by the society's record of this activity" in dashboard.content.decode()
    assert dashboard.context["reviews"]["replaced"] == 1
    assert dashboard.context["compliance"].requirements[0].earned == Decimal(10)
    assert ">Replaced</span>" in entries


def test_staff_still_see_the_replaced_entry_flagged(member, reviewer_client):
    own = own_entry(member, patient_safety_credits=Decimal(2))
    run_import(row(member))

    page = reviewer_client.get(f"/staff/reviews/{own.pk}/").content.decode()

    assert "replaced by the society's record" in page
    assert ">Replaced</span>" in page


# --- Deleting and restoring ------------------------------------------------------------------


def test_deleting_the_import_lets_the_members_entry_count_again_and_restoring_relinks(member):
    own = own_entry(member)
    run_import(row(member))
    imported = CreditEntry.objects.get(source=Source.SOCIETY_IMPORT)

    imported_id = imported.pk
    services.entry_delete(entry=imported)
    own.refresh_from_db()
    assert own.counts and category_1(member) == Decimal(10)

    history = CreditEntry.history.get(id=imported_id, history_type="-")
    assert services.entries_restore(history_ids=[history.pk]) == 1
    own.refresh_from_db()
    assert own.superseded_by_id == imported_id
    assert category_1(member) == Decimal(10)


def test_the_migration_supersedes_repeats_recorded_before(member):
    own = own_entry(member, title="SpringMeeting2025")
    first = CreditEntry.objects.create(
        **{
            **{k: v for k, v in HAND_COURSE.items() if k != "provider"},
            "title": "Spring Meeting 2025",
            "provider": own.provider,
        },
        member=member,
        source=Source.SOCIETY_IMPORT,
        activity_code="OLD-A",
    )
    second = CreditEntry.objects.create(
        **{
            **{k: v for k, v in HAND_COURSE.items() if k != "provider"},
            "title": "spring meeting 2025",
            "provider": own.provider,
        },
        member=member,
        source=Source.SOCIETY_IMPORT,
        activity_code="OLD-B",
    )
    assert category_1(member) == Decimal(30)  # as the data stood before

    migration = importlib.import_module(
        "credits.migrations.0009_entries_superseded_by_the_societys_record"
    )
    migration.supersede_repeats(django_apps, None)

    own.refresh_from_db()
    second.refresh_from_db()
    first.refresh_from_db()
    assert own.superseded_by == first and first.duplicate_of == own
    assert second.superseded_by == first
    assert category_1(member) == Decimal(10)


# --- The property: compliance equals the rules applied to the distinct activities -----------

ACTIVITIES = [
    # (title, provider or "" for Category 2, start, end, credits, patient-safety credits)
    ("Hand Course 2025", "ACS", dt.date(2025, 3, 10), dt.date(2025, 3, 10), "10", "2"),
    ("Spring Meeting 2025", "ACS", dt.date(2025, 4, 3), dt.date(2025, 4, 5), "21.25", "12"),
    ("Breast Symposium", "Baker Gordon", dt.date(2025, 5, 1), dt.date(2025, 5, 2), "13", "0"),
    ("Breast Symposium", "Baker Gordon", dt.date(2025, 9, 1), dt.date(2025, 9, 2), "13", "3"),
    ("Journal reading", "", dt.date(2025, 6, 1), dt.date(2025, 6, 1), "4.5", "1"),
]


def variant(title: str, how: int) -> str:
    """The same title as people and files spell it."""
    return [
        title,
        title.upper(),
        title.replace(" ", ""),
        f"  {title.lower()}. ",
        title.replace(" ", ", ", 1),
    ][how]


operations = st.lists(
    st.one_of(
        st.tuples(st.just("self"), st.integers(0, 4), st.integers(0, 4)),
        st.tuples(st.just("import"), st.integers(0, 4), st.integers(0, 4), st.sampled_from("AB")),
        st.tuples(st.just("reject"), st.integers(0, 4)),
        st.tuples(st.just("delete"), st.integers(0, 4)),
    ),
    min_size=1,
    max_size=10,
)


def _values(activity: int, how: int) -> dict:
    title, provider, start, end, credits, ps = ACTIVITIES[activity]
    return {
        **HAND_COURSE,
        "title": variant(title, how),
        "category": 1 if provider else 2,
        "provider": provider,
        "start_date": start,
        "end_date": end,
        "credits": Decimal(credits),
        "patient_safety_credits": Decimal(ps),
        "plastic_surgery_credits": Decimal(credits),
    }


def expected_totals(state: dict[int, dict]) -> rules.Totals:
    """The rules applied to the member's distinct activities: each counted once, from the
    society's record when there is one, else from the member's entry."""
    row = {key: Decimal(0) for key in rules.Totals().as_row()}
    for activity, facts in state.items():
        if not (facts["imported"] or facts["own"]):
            continue
        _, provider, _, _, credits, ps = ACTIVITIES[activity]
        credits, ps = Decimal(credits), Decimal(ps)
        category = "category_1" if provider else "category_2"
        row[category] += credits
        row["plastic_surgery"] += credits
        if facts["imported"] or not facts["rejected"]:
            row["ps_general"] += ps
            row[f"ps_{category}"] += ps
            if not facts["imported"] and ps:
                row["ps_pending"] += ps
    return rules.Totals.from_row(row)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_compliance_equals_the_rules_applied_to_the_distinct_activities(reviewer, ops):
    from credits import review_services

    with transaction.atomic():
        member = MemberFactory()
        # activity -> what exists: the member's own entry, imported, its claim rejected
        state: dict[int, dict] = {}
        for op in ops:
            kind, activity = op[0], op[1]
            facts = state.setdefault(activity, {"own": None, "imported": False, "rejected": False})
            if kind == "self":
                try:
                    entry = services.entry_create(
                        member=member, values=_values(activity, op[2]), today=TODAY
                    )
                except ValidationError as error:
                    # Refused only as a repeat of what already counts for that activity.
                    assert isinstance(error, counted.DuplicateEntry)
                    assert facts["own"] is not None or facts["imported"]
                else:
                    assert facts["own"] is None and not facts["imported"]
                    facts.update(own=entry.pk, rejected=False)
            elif kind == "import":
                title, provider, start, end, credits, ps = ACTIVITIES[activity]
                run_import(
                    row(
                        member,
                        activity_code=f"ACT{activity}-{op[3]}",
                        activity_title=variant(title, op[2]),
                        provider=provider,
                        category="1" if provider else "2",
                        start_date=start.isoformat(),
                        end_date=end.isoformat(),
                        credits=credits,
                        patient_safety_credits=ps,
                        plastic_surgery_credits=credits,
                    )
                )
                facts["imported"] = True
            elif facts["own"] is not None:
                entry = CreditEntry.objects.get(pk=facts["own"])
                if kind == "delete" and entry.counts:
                    services.entry_delete(entry=entry)
                    facts.update(own=None, rejected=False)
                elif kind == "reject" and entry.patient_safety_credits:
                    review_services.review_decide(
                        entry=entry, decision="reject", note="No certificate.", by=reviewer
                    )
                    facts["rejected"] = True

        expected = rules.evaluate(expected_totals(state))
        totals = selectors.totals_for(member, YEAR_2025)
        assert totals == expected_totals(state), (ops, state, totals, expected_totals(state))
        assert rules.evaluate(totals) == expected
        # The standing job's and the report's totals are the same set.
        by_member = selectors.totals_by_member(start=YEAR_2025.start, end=YEAR_2025.end)
        assert by_member.get(member.pk, rules.Totals()) == totals
        report = cme_report.build_report(member, YEAR_2025, as_of=TODAY, is_cycle=False)
        assert sum((e.credits for e in report.entries), Decimal(0)) == (
            totals.category_1 + totals.category_2
        )
        # Each distinct activity is one counted entry.
        assert CreditEntry.objects.filter(member=member).counted().count() == sum(
            1 for facts in state.values() if facts["own"] or facts["imported"]
        )
        transaction.set_rollback(True)
