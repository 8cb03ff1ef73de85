"""Claims on a catalogue activity: its designated maximum refuses more, and patient-safety
credits within its designation are approved without a reviewer (docs/rules.md §3, §4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credits import services
from credits.models import Activity, CreditEntry, Decision, ReviewDecision, ReviewStatus
from tests.credits.test_views import form_data
from tests.today import shifted_iso

pytestmark = pytest.mark.django_db

ASAPS = "The Aesthetic Society (American Society for Aesthetic Plastic Surgery)"


def asaps(**changes: object) -> dict:
    """The ASAPS meeting of the shipped catalogue, as a member submits it."""
    values = form_data(
        title="ASAPS Annual Meeting",
        provider=ASAPS,
        activity="ASAPS-MEETING",
        start_date=shifted_iso("2026-04-16"),
        end_date=shifted_iso("2026-04-20"),
        credits="20",
        patient_safety_credits="0",
        plastic_surgery_credits="0",
    )
    values.update(changes)
    return values


def claim(**changes: object) -> dict:
    """The same, typed as the services take it (dates as dates)."""
    values = asaps(**changes)
    for field in ("start_date", "end_date"):
        values[field] = dt.date.fromisoformat(values[field])
    return values


def test_60_credits_for_the_asaps_meeting_are_refused_with_the_maximum_named(alice_client, alice):
    response = alice_client.post(reverse("credits:new"), asaps(credits="60"))

    assert response.status_code == 400
    page = response.content.decode()
    assert "designated for a maximum of 50.75 AMA PRA Category 1 Credits™" in page
    assert 'value="60"' in page  # nothing typed is lost
    assert not CreditEntry.objects.filter(member=alice).exists()


def test_50_75_credits_for_the_asaps_meeting_are_accepted_and_linked(alice_client, alice):
    response = alice_client.post(reverse("credits:new"), asaps(credits="50.75"))

    assert response.status_code == 302
    entry = CreditEntry.objects.get(member=alice)
    assert entry.credits == Decimal("50.75")
    assert entry.activity.code == "ASAPS-MEETING"
    assert entry.content_areas == ["cosmetic"]  # the catalogue fills them in


def test_a_4_credit_patient_safety_claim_within_12_designated_is_approved_by_the_catalogue(
    alice_client, alice
):
    alice_client.post(reverse("credits:new"), asaps(patient_safety_credits="4"))

    entry = CreditEntry.objects.get(member=alice)
    assert entry.review_status == ReviewStatus.APPROVED
    decision = ReviewDecision.objects.get(entry=entry)
    assert decision.decision == Decision.CATALOGUE
    assert decision.decided_by is None
    assert decision.decided_by_label == "the catalogue"
    assert decision.note == (
        "ASAPS Annual Meeting is designated for 12 patient-safety credits; 4 claimed."
    )
    assert (decision.before["review_status"], decision.after["review_status"]) == (
        "pending",
        "approved",
    )


def test_13_patient_safety_credits_go_to_a_reviewer(alice_client, alice):
    alice_client.post(reverse("credits:new"), asaps(patient_safety_credits="13"))

    entry = CreditEntry.objects.get(member=alice)
    assert entry.review_status == ReviewStatus.PENDING
    assert not ReviewDecision.objects.filter(entry=entry).exists()


def test_a_claim_on_a_part_without_patient_safety_designation_goes_to_a_reviewer(
    alice_client, alice
):
    alice_client.post(
        reverse("credits:new"),
        asaps(activity="ASAPS-MEETING-COURSES", credits="10", patient_safety_credits="2"),
    )
    assert CreditEntry.objects.get(member=alice).review_status == ReviewStatus.PENDING


def test_another_topic_than_the_designated_one_goes_to_a_reviewer(alice_client, alice):
    alice_client.post(
        reverse("credits:new"),
        asaps(patient_safety_credits="2", patient_safety_kind="quality_assurance"),
    )
    assert CreditEntry.objects.get(member=alice).review_status == ReviewStatus.PENDING


def test_claims_split_over_entries_cannot_pass_the_maximum(alice):
    services.entry_create(member=alice, values=claim(credits="30", title="ASAPS day 1"))

    with pytest.raises(ValidationError) as refused:
        services.entry_create(member=alice, values=claim(credits="30", title="ASAPS day 2"))
    assert "already claim 30: claim at most 20.75 here." in str(refused.value)
    services.entry_create(member=alice, values=claim(credits="20.75", title="ASAPS day 2"))


def test_a_part_is_held_to_its_own_maximum_and_the_whole_to_its_maximum(alice):
    with pytest.raises(ValidationError) as refused:
        services.entry_create(
            member=alice, values=claim(activity="ASAPS-MEETING-SESSIONS", credits="21.5")
        )
    assert "Scientific Sessions is designated for a maximum of 21.25" in str(refused.value)
    services.entry_create(
        member=alice, values=claim(activity="ASAPS-MEETING-SESSIONS", credits="21.25")
    )
    services.entry_create(
        member=alice,
        values=claim(activity="ASAPS-MEETING-COURSES", credits="29.5", title="Courses"),
    )
    with pytest.raises(ValidationError) as whole:
        services.entry_create(member=alice, values=claim(credits="0.25", title="More"))
    assert "already claim 50.75" in str(whole.value)


def test_earlier_patient_safety_claims_on_the_activity_count_against_its_designation(alice):
    first = services.entry_create(
        member=alice, values=claim(title="Day 1", patient_safety_credits="8")
    )
    second = services.entry_create(
        member=alice, values=claim(title="Day 2", patient_safety_credits="5")
    )
    assert first.review_status == ReviewStatus.APPROVED
    assert second.review_status == ReviewStatus.PENDING


def test_an_edit_beyond_the_designation_reopens_the_claim_and_back_within_approves_it(alice):
    entry = services.entry_create(member=alice, values=claim(patient_safety_credits="4"))

    services.entry_update(entry=entry, values=claim(patient_safety_credits="13"))
    assert entry.review_status == ReviewStatus.PENDING
    services.entry_update(entry=entry, values=claim(patient_safety_credits="6"))
    assert entry.review_status == ReviewStatus.APPROVED
    moves = list(entry.decisions.order_by("id").values_list("decision", flat=True))
    assert moves == [Decision.CATALOGUE, Decision.MEMBER_EDIT, Decision.CATALOGUE]


def test_a_staff_rejection_stands_when_the_member_changes_nothing_judged(alice, reviewer):
    from credits import review_services

    entry = services.entry_create(member=alice, values=claim(patient_safety_credits="13"))
    review_services.review_decide(
        entry=entry, decision="reject", note="Not patient safety", by=reviewer
    )
    services.entry_update(entry=entry, values=claim(patient_safety_credits="13", city="Boston"))
    entry.refresh_from_db()
    assert entry.review_status == ReviewStatus.REJECTED


def test_an_unknown_code_is_an_error_on_the_activity(alice_client, alice):
    response = alice_client.post(reverse("credits:new"), asaps(activity="NO-SUCH-CODE"))

    assert response.status_code == 400
    assert "No activity in the catalogue has the code NO-SUCH-CODE" in response.content.decode()


def test_content_areas_chosen_by_the_member_are_kept_and_unknown_ones_refused(alice_client, alice):
    response = alice_client.post(
        reverse("credits:new"), asaps(content_areas=["breast", "microsurgery"])
    )
    assert response.status_code == 302
    assert CreditEntry.objects.get(member=alice).content_areas == ["breast", "microsurgery"]

    refused = alice_client.post(reverse("credits:new"), form_data(content_areas=["knitting"]))
    assert refused.status_code == 400
    assert "knitting is not one of the available choices" in refused.content.decode()


def test_an_activity_no_longer_offered_still_holds_the_entries_that_name_it(alice):
    entry = services.entry_create(member=alice, values=claim())
    Activity.objects.filter(code="ASAPS-MEETING").update(active=False)

    with pytest.raises(ValidationError, match=r"50\.75"):
        services.entry_update(entry=entry, values=claim(credits="60"))
    services.entry_update(entry=entry, values=claim(credits="25"))
    assert entry.activity.code == "ASAPS-MEETING"
