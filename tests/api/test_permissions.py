"""Every endpoint and method, for anonymous, member A, member B and staff (pretix style)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.factories import CreditEntryFactory

pytestmark = pytest.mark.django_db

NEW_ENTRY = {
    "title": "Permission table course",
    "activity_type": "live_activity",
    "category": 2,
    "start_date": "2026-01-10",
    "end_date": "2026-01-10",
    "credits": "1",
    "city": "Chicago",
    "state": "IL",
    "country": "United States",
}

# (method, path, body, {who: expected status}); "{entry}" is one of alice's entries.
TABLE = [
    ("get", "/api/v1/me/", None, {"anonymous": 401, "alice": 200, "bob": 200, "staff": 404}),
    ("get", "/api/v1/credits/", None, {"anonymous": 401, "alice": 200, "bob": 200, "staff": 404}),
    (
        "post",
        "/api/v1/credits/",
        NEW_ENTRY,
        {"anonymous": 401, "alice": 201, "bob": 201, "staff": 404},
    ),
    (
        "get",
        "/api/v1/credits/{entry}/",
        None,
        {"anonymous": 401, "alice": 200, "bob": 404, "staff": 404},
    ),
    (
        "patch",
        "/api/v1/credits/{entry}/",
        {"city": "Evanston"},
        {"anonymous": 401, "alice": 200, "bob": 404, "staff": 404},
    ),
    (
        "delete",
        "/api/v1/credits/{entry}/",
        None,
        {"anonymous": 401, "alice": 204, "bob": 404, "staff": 404},
    ),
    (
        "get",
        "/api/v1/compliance/",
        None,
        {"anonymous": 401, "alice": 200, "bob": 200, "staff": 404},
    ),
    ("get", "/api/v1/providers/", None, {"anonymous": 401, "alice": 200, "bob": 200, "staff": 200}),
    (
        "get",
        "/api/v1/activities/?q=asaps",
        None,
        {"anonymous": 401, "alice": 200, "bob": 200, "staff": 200},
    ),
    (
        "get",
        "/api/v1/activities/ASAPS-MEETING/",
        None,
        {"anonymous": 401, "alice": 200, "bob": 200, "staff": 200},
    ),
    ("get", "/api/v1/reviews/", None, {"anonymous": 401, "alice": 403, "bob": 403, "staff": 200}),
    (
        "post",
        "/api/v1/reviews/{entry}/decision/",
        {"decision": "approve"},
        {"anonymous": 401, "alice": 403, "bob": 403, "staff": 200},
    ),
    # The membership's compliance: CME staff only; for anyone else it does not exist.
    (
        "get",
        "/api/v1/staff/compliance/",
        None,
        {"anonymous": 401, "alice": 404, "bob": 404, "staff": 200},
    ),
    (
        "get",
        "/api/v1/staff/compliance/summary/",
        None,
        {"anonymous": 401, "alice": 404, "bob": 404, "staff": 200},
    ),
    # The schema is public: integrators read it before they have an account.
    ("get", "/api/v1/schema/", None, {"anonymous": 200, "alice": 200, "bob": 200, "staff": 200}),
]
CASES = [
    pytest.param(method, path, body, who, expected, id=f"{method} {path} as {who}")
    for method, path, body, expectations in TABLE
    for who, expected in expectations.items()
]


@pytest.mark.parametrize(("method", "path", "body", "who", "expected"), CASES)
def test_permission_table(method, path, body, who, expected, alice, bob, reviewer):
    entry = CreditEntryFactory(member=alice, patient_safety_credits=Decimal("1"))
    client = APIClient()
    users = {"alice": alice.user, "bob": bob.user, "staff": reviewer}
    if who in users:
        client.force_authenticate(users[who])

    response = getattr(client, method)(path.format(entry=entry.pk), body, format="json")

    assert response.status_code == expected, response.content
