"""The same activity posted many times at once is recorded once.

The duplicate check reads, then inserts: without a lock, two requests that read at the same
moment both find nothing and both insert. Recording an entry locks its member first, so the
second request waits for the first to commit, then finds its entry.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from credits.models import CreditEntry
from tests.conftest import require_service
from tests.factories import MemberFactory

pytestmark = [
    pytest.mark.postgres,
    # Each thread has a connection of its own and must see committed rows: a transactional
    # test (serialized rollback restores the providers and groups the migrations made).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACTIVITY = {
    "title": "Rhinoplasty Symposium",
    "activity_type": "live_activity",
    "category": "1",
    "provider": "American Association for Hand Surgery",
    "start_date": "2025-03-10",
    "end_date": "2025-03-11",
    "credits": "7.5",
    "patient_safety_credits": "1",
    "patient_safety_kind": "general",
    "plastic_surgery_credits": "7.5",
    "city": "Chicago",
    "state": "IL",
    "country": "United States",
}
POSTS = 20


def post_at_once(posts) -> list:
    """Run each ``post()`` in its own thread, all released at the same moment."""
    start = threading.Barrier(len(posts))
    results: list = [None] * len(posts)

    def run(index: int, post) -> None:
        try:
            start.wait()
            results[index] = post()
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_twenty_identical_posts_at_once_record_one_entry():
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    member = MemberFactory()
    api_clients = [logged_in_client(member.user) for _ in range(POSTS // 2)]
    web_clients = [logged_in_client(member.user) for _ in range(POSTS - POSTS // 2)]

    def api_post(client: Client):
        return lambda: client.post("/api/v1/credits/", ACTIVITY, content_type="application/json")

    def web_post(client: Client):
        return lambda: client.post("/credits/new/", ACTIVITY)

    results = post_at_once(
        [api_post(client) for client in api_clients] + [web_post(client) for client in web_clients]
    )

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    assert CreditEntry.objects.filter(member=member).count() == 1
    api, web = results[: len(api_clients)], results[len(api_clients) :]
    outcomes = Counter(r.status_code for r in results)
    created = [r for r in api if r.status_code == 201] + [r for r in web if r.status_code == 302]
    assert len(created) == 1, outcomes
    for response in api:
        if response.status_code != 201:
            assert response.status_code == 400, response.content
            assert "confirm_duplicate" in response.json()
    for response in web:
        if response.status_code != 302:
            assert response.status_code == 400
            assert "You already recorded this activity" in response.content.decode()


def test_a_confirmed_duplicate_posted_at_once_is_linked_to_the_first():
    """Posting it again on purpose (confirm_duplicate) still works, and is linked."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    member = MemberFactory()
    clients = [logged_in_client(member.user) for _ in range(4)]
    confirmed = {**ACTIVITY, "confirm_duplicate": True}

    results = post_at_once(
        [
            (lambda c=c: c.post("/api/v1/credits/", confirmed, content_type="application/json"))
            for c in clients
        ]
    )

    assert [r.status_code for r in results] == [201] * 4, results[0].content
    entries = list(CreditEntry.objects.filter(member=member).order_by("id"))
    assert len(entries) == 4
    assert entries[0].duplicate_of is None
    assert all(entry.duplicate_of_id == entries[0].pk for entry in entries[1:])


def test_twenty_undos_of_one_deletion_at_once_restore_it_once():
    """The Undo of a deletion sent many times at once (a double click, a retried request)
    brings the entry back once, and every request answers without an error."""
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    member = MemberFactory()
    client = logged_in_client(member.user)
    assert client.post("/credits/new/", ACTIVITY).status_code == 302
    entry = CreditEntry.objects.get(member=member)
    assert client.post(f"/credits/{entry.pk}/delete/").status_code == 302
    clients = [logged_in_client(member.user) for _ in range(POSTS)]

    results = post_at_once([(lambda c=c: c.post(f"/credits/{entry.pk}/restore/")) for c in clients])

    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    assert {r.status_code for r in results} == {302}, Counter(r.status_code for r in results)
    assert list(CreditEntry.objects.filter(member=member).values_list("pk", flat=True)) == [
        entry.pk
    ]


def test_twenty_claims_on_one_catalogue_activity_at_once_stay_within_its_maximum():
    """Each claim alone is within the ASAPS meeting's 50.75; together they would pass it. The
    member's other claims on the activity are summed with the member locked, so two at once
    cannot both see room for themselves."""
    from tests.reports.ways_to_earn_helpers import shipped_catalogue

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    shipped_catalogue()
    member = MemberFactory()
    clients = [logged_in_client(member.user) for _ in range(POSTS)]

    def claim(client: Client, day: int):
        body = {
            **ACTIVITY,
            "title": f"ASAPS Annual Meeting, day {day}",
            "provider": "ASAPS",
            "activity": "ASAPS-MEETING",
            "credits": "20",
            "patient_safety_credits": "4",
            "plastic_surgery_credits": "0",
            "start_date": f"2025-03-{day:02}",
            "end_date": f"2025-03-{day:02}",
        }
        return lambda: client.post("/api/v1/credits/", body, content_type="application/json")

    results = post_at_once([claim(client, day) for day, client in enumerate(clients, 1)])

    statuses = Counter(getattr(result, "status_code", repr(result)) for result in results)
    assert statuses == {201: 2, 400: POSTS - 2}, statuses
    entries = CreditEntry.objects.filter(member=member, activity__code="ASAPS-MEETING")
    assert sum(entry.credits for entry in entries) == 40
    # 4 + 4 patient-safety credits stay within the 12 designated: both approved by it.
    assert sorted(entries.values_list("review_status", flat=True)) == ["approved", "approved"]
