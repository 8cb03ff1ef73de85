"""What an entry may claim, through the one validation service: each reproduction is refused by
the service, by the submission form next to its field and by the API as a 400 naming it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from credits import services
from credits.models import CreditEntry, Provider
from tests.credits.entry_claims_helpers import (
    DIRECT_CREDIT,
    SERIES_MESSAGE,
    STATE_MESSAGE,
    TEACHING_MESSAGE,
    TODAY,
)

# --- Reproductions, through the service, the form, the API and the import -----------------

# (values changed from a good entry, field named, words of the message)
REPRODUCTIONS = {
    "teaching from a university": (
        {
            "activity_type": "teaching",
            "provider": "Northwestern University Feinberg School of Medicine",
        },
        "category",
        TEACHING_MESSAGE,
    ),
    "a three-year series": (
        {
            "activity_type": "rss",
            "start_date": dt.date(2022, 1, 1),
            "end_date": dt.date(2024, 12, 31),
            "credits": Decimal("100"),
            "plastic_surgery_credits": Decimal("100"),
        },
        "end_date",
        SERIES_MESSAGE,
    ),
    "no state in the United States": ({"state": ""}, "state", STATE_MESSAGE),
}


def valid(**changes: object) -> dict:
    values = {
        "title": "Grand Rounds 2025",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "Baker Gordon Educational Foundation",
        "start_date": dt.date(2025, 3, 20),
        "end_date": dt.date(2025, 3, 22),
        "credits": Decimal("13"),
        "patient_safety_credits": Decimal("0"),
        "patient_safety_kind": "general",
        "plastic_surgery_credits": Decimal("13"),
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }
    return values | changes


def as_text(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else str(v) for k, v in values.items()}


def service_errors(member, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.check_entry(member=member, values=valid(**changes), today=TODAY)
    return caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_refused_by_the_service(alice, case):
    changes, field, message = REPRODUCTIONS[case]

    errors = service_errors(alice, **changes)

    assert any(message in text for text in errors[field]), errors


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_refused_by_the_form_next_to_its_field(alice, client, case):
    changes, field, message = REPRODUCTIONS[case]
    client.force_login(alice.user)

    response = client.post(reverse("credits:new"), as_text(valid(**changes)))

    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert message.split(":")[0] in body
    assert not CreditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", REPRODUCTIONS)
def test_each_reproduction_is_a_400_naming_the_field_in_the_api(alice, case):
    changes, field, message = REPRODUCTIONS[case]
    api = APIClient()
    api.force_authenticate(alice.user)

    response = api.post("/api/v1/credits/", as_text(valid(**changes)), format="json")

    assert response.status_code == 400, response.content
    assert any(message in text for text in response.json()[field])
    assert not CreditEntry.objects.exists()


@pytest.mark.django_db
def test_the_api_gives_every_broken_rule_at_once(alice):
    api = APIClient()
    api.force_authenticate(alice.user)
    values = valid(
        activity_type="teaching",
        provider="A University",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 6, 30),
        state="",
    )

    response = api.post("/api/v1/credits/", as_text(values), format="json")

    assert response.status_code == 400
    assert {"category", "end_date", "state"} <= set(response.json())


@pytest.mark.django_db
def test_an_old_entry_breaking_a_rule_must_be_mended_when_edited(alice):
    """An edit goes through the same check: the member fixes the entry to keep it."""
    entry = services.entry_create(member=alice, values=valid(), today=TODAY)
    api = APIClient()
    api.force_authenticate(alice.user)

    response = api.patch(f"/api/v1/credits/{entry.pk}/", {"state": ""}, format="json")

    assert response.status_code == 400
    assert STATE_MESSAGE in response.json()["state"][0]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DIRECT_CREDIT)
@pytest.mark.parametrize("typed", ["AMA", "American Medical Association", "ama"])
def test_direct_credit_from_the_ama_is_accepted_and_stored_with_the_known_provider(
    alice, kind, typed
):
    checked = services.check_entry(
        member=alice, values=valid(activity_type=kind, provider=typed), today=TODAY
    )

    assert checked.provider == Provider.objects.get(abbreviation="AMA")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DIRECT_CREDIT)
def test_direct_credit_from_anyone_else_is_refused_but_category_2_is_fine(alice, kind):
    errors = service_errors(alice, activity_type=kind)
    assert "only when awarded directly by the AMA" in errors["category"][0]

    checked = services.check_entry(
        member=alice, values=valid(activity_type=kind, category=2, provider=""), today=TODAY
    )
    assert checked.provider is None


@pytest.mark.django_db
def test_a_year_long_series_and_a_state_outside_the_united_states_are_fine(alice):
    checked = services.check_entry(
        member=alice,
        values=valid(
            activity_type="rss",
            start_date=dt.date(2024, 9, 4),
            end_date=dt.date(2025, 9, 3),
            country="Canada",
            state="",
        ),
        today=TODAY,
    )

    assert checked.values["state"] == ""


@pytest.mark.django_db
def test_a_two_month_meeting_is_refused(alice):
    errors = service_errors(alice, start_date=dt.date(2025, 1, 10), end_date=dt.date(2025, 3, 10))

    assert "spans at most 31 days in one entry" in errors["end_date"][0]


@pytest.mark.django_db
def test_residency_keeps_its_own_rule(alice):
    checked = services.check_entry(
        member=alice,
        values=valid(
            activity_type="residency",
            start_date=dt.date(2019, 7, 1),
            end_date=dt.date(2022, 6, 30),
            credits=Decimal("150"),
            plastic_surgery_credits=Decimal("150"),
        ),
        today=TODAY,
    )

    assert checked.values["credits"] == Decimal("150.00")
