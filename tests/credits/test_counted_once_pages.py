"""Every activity counted once (docs/rules.md "Counted once"), in the form and the API, in what
the member and staff see, and when an entry is deleted and restored.
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from credits import services
from credits.models import CreditEntry, Source
from tests.credits.counted_once_helpers import (
    HAND_COURSE,
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
