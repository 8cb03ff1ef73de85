"""Every rule of docs/rules.md §1 and §3 about a single entry, through the one service.

The form, the API and the imports all call ``services.check_entry``; these tests hold it to
the exact message on the exact field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from credits import services
from credits.models import CreditEntry, Provider, ReviewStatus, Source

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


def valid(**changes: object) -> dict:
    values = {
        "title": "Breast Reconstruction Symposium",
        "activity_type": "live_activity",
        "category": 1,
        "provider": "Baker Gordon Educational Foundation",
        "start_date": dt.date(2026, 3, 20),
        "end_date": dt.date(2026, 3, 22),
        "credits": Decimal("13"),
        "patient_safety_credits": Decimal("0"),
        "patient_safety_kind": "general",
        "plastic_surgery_credits": Decimal("13"),
        "city": "Miami",
        "state": "FL",
        "country": "United States",
    }
    values.update(changes)
    return values


def errors_of(member, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.check_entry(member=member, values=valid(**changes), today=TODAY)
    return caught.value.message_dict


def test_a_valid_entry_passes(alice):
    checked = services.check_entry(member=alice, values=valid(), today=TODAY)

    assert checked.values["credits"] == Decimal("13.00")
    assert checked.provider.name == "Baker Gordon Educational Foundation"
    assert checked.duplicate_of is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"credits": Decimal("0")}, "credits", "Credits must be more than 0."),
        ({"credits": Decimal("-2")}, "credits", "Credits must be more than 0."),
        ({"credits": Decimal("1.3")}, "credits", "Credits come in steps of 0.25"),
        ({"credits": "abc"}, "credits", "Enter a number"),
        ({"patient_safety_credits": Decimal("-1")}, "patient_safety_credits", "Enter 0 or more"),
        ({"plastic_surgery_credits": Decimal("0.1")}, "plastic_surgery_credits", "steps of 0.25"),
        (
            {"patient_safety_credits": Decimal("14")},
            "patient_safety_credits",
            "Patient-safety credits cannot be more than the activity's 13 CME credits.",
        ),
        (
            {"plastic_surgery_credits": Decimal("13.25")},
            "plastic_surgery_credits",
            "Plastic-surgery credits cannot be more than the activity's 13 CME credits.",
        ),
        (
            {"start_date": dt.date(2026, 3, 23), "end_date": dt.date(2026, 3, 22)},
            "end_date",
            "The end date is before the start date.",
        ),
        ({"end_date": dt.date(2026, 11, 23)}, "end_date", "This date is in the future"),
        ({"start_date": None}, "start_date", "Enter a date"),
        ({"category": 3}, "category", "Choose AMA PRA Category 1 or Category 2."),
        ({"activity_type": "karaoke"}, "activity_type", "Choose the type of activity"),
        ({"patient_safety_kind": "vibes"}, "patient_safety_kind", "Choose the kind"),
        ({"provider": ""}, "provider", "Category 1 credits need the accredited provider"),
        ({"category": 2}, "provider", "Category 2 credits are not awarded by an accredited"),
        ({"title": "   "}, "title", "This field is required."),
        ({"country": ""}, "country", "This field is required."),
    ],
)
def test_each_bad_value_is_named_on_its_field(alice, changes, field, message):
    errors = errors_of(alice, **changes)

    assert field in errors, errors
    assert any(message in text for text in errors[field]), errors[field]


def test_category_2_with_n_a_as_provider_is_accepted(alice):
    checked = services.check_entry(
        member=alice, values=valid(category=2, provider="N/A"), today=TODAY
    )

    assert checked.provider is None


@pytest.mark.parametrize("typed", ["ASPS", "asps", "American Society of Plastic Surgeons", "CSPS"])
def test_auto_uploaded_providers_are_refused_with_when_they_arrive(alice, typed):
    errors = errors_of(alice, provider=typed)

    assert "arrive in your record automatically" in errors["provider"][0]
    assert "4–6 weeks after you complete the activity's CME evaluation" in errors["provider"][0]


def test_asaps_activities_before_december_2018_were_auto_uploaded(alice):
    errors = errors_of(
        alice,
        provider="ASAPS",
        start_date=dt.date(2018, 11, 29),
        end_date=dt.date(2018, 11, 30),
    )

    assert "ASAPS credits arrive in your record automatically" in errors["provider"][0]
    assert "until Nov 30, 2018" in errors["provider"][0]


def test_asaps_activities_since_december_2018_are_self_reported(alice):
    checked = services.check_entry(
        member=alice,
        values=valid(
            provider="ASAPS", start_date=dt.date(2018, 12, 1), end_date=dt.date(2018, 12, 1)
        ),
        today=TODAY,
    )

    assert checked.provider.abbreviation == "ASAPS"


def test_imports_may_post_auto_uploaded_providers(alice):
    checked = services.check_entry(
        member=alice, values=valid(provider="ASPS"), today=TODAY, source=Source.SOCIETY_IMPORT
    )

    assert checked.provider.abbreviation == "ASPS"


def test_residency_is_limited_to_50_credits_per_full_year(alice):
    one_year = {
        "activity_type": "residency",
        "provider": "Northwestern University Plastic Surgery Residency",
        "start_date": dt.date(2024, 7, 1),
        "end_date": dt.date(2025, 6, 30),
        "plastic_surgery_credits": Decimal("0"),
    }
    services.check_entry(member=alice, values=valid(credits=Decimal("50"), **one_year), today=TODAY)

    errors = errors_of(alice, credits=Decimal("50.25"), **one_year)

    assert errors["credits"] == [
        "Residency or fellowship earns 50 Category 1 credits per full year of training: "
        "Jul 1, 2024 to Jun 30, 2025 allows at most 50."
    ]


def test_residency_is_category_1(alice):
    errors = errors_of(
        alice,
        activity_type="residency",
        category=2,
        provider="",
        credits=Decimal("10"),
        plastic_surgery_credits=Decimal("0"),
    )

    assert "Residency and fellowship training earns Category 1 credits." in errors["category"]


def test_a_duplicate_needs_an_explicit_confirmation_and_is_linked(alice):
    first = services.entry_create(member=alice, values=valid(), today=TODAY)

    with pytest.raises(ValidationError) as caught:
        services.entry_create(
            member=alice, values=valid(title="  breast reconstruction   SYMPOSIUM"), today=TODAY
        )
    message = caught.value.message_dict["confirm_duplicate"][0]
    assert "You already recorded this activity" in message
    assert "<a" not in message  # plain words; the web form adds the link
    assert caught.value.duplicate == first

    second = services.entry_create(
        member=alice, values=valid(), today=TODAY, confirm_duplicate=True
    )
    assert second.duplicate_of == first


def test_another_members_entry_is_not_a_duplicate(alice, bob):
    services.entry_create(member=bob, values=valid(), today=TODAY)

    services.check_entry(member=alice, values=valid(), today=TODAY)


def test_an_unknown_provider_is_kept_unverified(alice):
    entry = services.entry_create(
        member=alice, values=valid(provider="Duke  University School of Medicine"), today=TODAY
    )

    assert entry.provider.name == "Duke University School of Medicine"
    assert entry.provider.verified is False


def test_a_known_provider_is_found_by_abbreviation(alice):
    entry = services.entry_create(
        member=alice,
        values=valid(
            provider="asaps", start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 4, 3)
        ),
        today=TODAY,
    )

    assert entry.provider == Provider.objects.get(abbreviation="ASAPS")


def test_patient_safety_claims_wait_for_review_and_others_do_not(alice):
    with_claim = services.entry_create(
        member=alice, values=valid(patient_safety_credits=Decimal("2.5")), today=TODAY
    )
    without = services.entry_create(member=alice, values=valid(title="Another course"), today=TODAY)

    assert with_claim.review_status == ReviewStatus.PENDING
    assert without.review_status == ReviewStatus.NOT_REQUIRED


def test_imported_patient_safety_credits_arrive_approved(alice):
    entry = services.entry_create(
        member=alice,
        values=valid(provider="ASPS", patient_safety_credits=Decimal("6")),
        today=TODAY,
        source=Source.SOCIETY_IMPORT,
    )

    assert entry.review_status == ReviewStatus.APPROVED


def test_changing_an_approved_claim_sends_it_back_to_review(alice):
    entry = services.entry_create(
        member=alice, values=valid(patient_safety_credits=Decimal("2")), today=TODAY
    )
    CreditEntry.objects.filter(pk=entry.pk).update(review_status=ReviewStatus.APPROVED)
    entry.refresh_from_db()

    services.entry_update(
        entry=entry, values=valid(city="Tampa", patient_safety_credits=Decimal("2")), today=TODAY
    )
    assert entry.review_status == ReviewStatus.APPROVED

    services.entry_update(
        entry=entry, values=valid(patient_safety_credits=Decimal("3")), today=TODAY
    )
    assert entry.review_status == ReviewStatus.PENDING


def test_a_deleted_entry_can_be_restored_by_staff(alice):
    entry = services.entry_create(member=alice, values=valid(), today=TODAY)
    entry_id = entry.pk

    services.entry_delete(entry=entry)
    assert not CreditEntry.objects.filter(pk=entry_id).exists()

    deleted = CreditEntry.history.get(id=entry_id, history_type="-")
    assert services.entries_restore(history_ids=[deleted.pk]) == 1
    restored = CreditEntry.objects.get(pk=entry_id)
    assert restored.title == "Breast Reconstruction Symposium"
    assert restored.credits == Decimal("13.00")
