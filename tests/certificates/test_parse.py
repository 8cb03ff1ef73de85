"""The fields read from a certificate's text: each wording, date format and distractor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates import FIELDS
from certificates.amounts import parse_amount
from certificates.dates import find_dates
from certificates.parse import normalise, parse_text

ACCME = (
    "The American Society of Plastic Surgeons is accredited by the Accreditation Council for "
    "Continuing Medical Education (ACCME) to provide continuing medical education for "
    "physicians."
)
DESIGNATION = (
    "The American Society of Plastic Surgeons designates this live activity for a maximum of "
    "21.25 AMA PRA Category 1 Credits™."
)


def read(text: str) -> dict:
    """Every field, None for those the text does not state."""
    return {**dict.fromkeys(FIELDS), **parse_text(text).fields}


def test_a_certificate_gives_every_field_it_states():
    fields = read(
        "CERTIFICATE OF ATTENDANCE\nThis certifies that\nJane Roe, MD\n"
        "participated in the live activity\nAesthetic Breast Surgery Symposium 2025\n"
        f"held March 3–6, 2025 in Dallas, Texas\n{ACCME}\n{DESIGNATION}\n"
        "Jane Roe, MD has claimed 12.50 AMA PRA Category 1 Credits™, of which 4.00 are "
        "patient safety."
    )

    assert fields == {
        "title": "Aesthetic Breast Surgery Symposium 2025",
        "provider": "American Society of Plastic Surgeons",
        "start_date": dt.date(2025, 3, 3),
        "end_date": dt.date(2025, 3, 6),
        "credits": Decimal("12.50"),
        "category": 1,
        "patient_safety_credits": Decimal("4.00"),
    }


def test_the_maximum_is_the_credits_when_nothing_is_claimed():
    assert read(f"{ACCME}\n{DESIGNATION}")["credits"] == Decimal("21.25")


@pytest.mark.parametrize(
    "claim",
    [
        "has claimed 12.50 AMA PRA Category 1 Credits™",
        "You were awarded 12.50 AMA PRA Category 1 Credits™.",
        "AMA PRA Category 1 Credits™ claimed: 12.50",
        "Credits claimed: 12.50 AMA PRA Category 1 Credits™",
    ],
)
def test_what_was_claimed_or_awarded_wins_over_the_maximum(claim):
    fields = read(f"{ACCME}\n{DESIGNATION}\n{claim}")

    assert (fields["credits"], fields["category"]) == (Decimal("12.50"), 1)


@pytest.mark.parametrize("kind", ["live activity", "enduring material", "journal-based activity"])
def test_each_kind_of_activity_is_designated(kind):
    text = f"{ACCME} It designates this {kind} for a maximum of 1.00 AMA PRA Category 1 Credit™."

    assert read(text)["credits"] == Decimal("1.00")


@pytest.mark.parametrize(
    "wording",
    [
        "has claimed 12.50 AMA PRA Category 1 Credits™, of which 4.00 are patient safety.",
        "awarded 12.50 AMA PRA Category 1 Credits™, including 4.00 credits in risk "
        "management/patient safety.",
        "claimed 12.50 AMA PRA Category 1 Credits™\nPatient safety credits: 4.00",
        "claimed 12.50 AMA PRA Category 1 Credits™; 4.00 of these credits in patient safety",
    ],
)
def test_patient_safety_credits_in_each_wording(wording):
    assert read(f"{ACCME}\n{wording}")["patient_safety_credits"] == Decimal("4.00")


def test_patient_safety_is_not_read_without_credits():
    assert read(f"{ACCME}\nof which 4.00 are patient safety")["patient_safety_credits"] is None


def test_the_accredited_partner_of_a_joint_providership_is_the_provider():
    text = (
        "This activity has been planned and implemented in accordance with the accreditation "
        "requirements and policies of the ACCME through the joint providership of the Plastic "
        "Surgery Foundation and Midwest Surgical Education Partners. The Plastic Surgery "
        "Foundation is accredited by the ACCME to provide continuing medical education for "
        f"physicians.\n{DESIGNATION}"
    )

    assert read(text)["provider"] == "Plastic Surgery Foundation"


def test_a_provider_accredited_by_a_state_medical_society():
    text = (
        "The Dallas County Surgical Society is accredited by the Texas Medical Association to "
        "provide continuing medical education for physicians.\n" + DESIGNATION
    )

    assert read(text)["provider"] == "Dallas County Surgical Society"


def test_a_provider_name_wrapped_over_two_lines():
    text = (
        "The Aesthetic Surgery Education and Research Foundation designates this live activity "
        "for a maximum of\n2.00 AMA PRA Category 1 Credits™. The Aesthetic Surgery Education and\n"
        "Research Foundation is accredited by the Accreditation Council for Continuing Medical\n"
        "Education (ACCME) to provide continuing medical education for physicians."
    )

    assert read(text)["provider"] == "Aesthetic Surgery Education and Research Foundation"


@pytest.mark.parametrize(
    "line_above",
    [
        "March 3–6, 2025 · Chicago, Illinois",
        "Chicago, Illinois | 2025",
        "Grand Ballroom, Suite 210",
    ],
)
def test_a_date_or_address_line_above_the_statement_is_not_part_of_the_provider(line_above):
    text = (
        f"Advances in Breast Reconstruction\n{line_above}\n"
        "Northfield University School of Medicine is\naccredited by the Accreditation Council "
        "for\nContinuing Medical Education (ACCME) to\nprovide continuing medical education."
    )

    assert read(text)["provider"] == "Northfield University School of Medicine"


def test_a_category_2_self_claim_has_no_provider():
    fields = read(
        "Physician's Self-Claim of AMA PRA Category 2 Credit™\nActivity: Reading on flap surgery\n"
        "Date(s): 03/03/2025 - 03/06/2025\nNumber of AMA PRA Category 2 Credits™ claimed: 3.00"
    )

    assert (fields["credits"], fields["category"]) == (Decimal("3.00"), 2)
    assert fields["provider"] is None
    assert fields["title"] == "Reading on flap surgery"
    assert (fields["start_date"], fields["end_date"]) == (dt.date(2025, 3, 3), dt.date(2025, 3, 6))


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("March 3–6, 2025", dt.date(2025, 3, 3), dt.date(2025, 3, 6)),
        ("03/03/2025 - 03/06/2025", dt.date(2025, 3, 3), dt.date(2025, 3, 6)),
        ("6–8 March 2025", dt.date(2025, 3, 6), dt.date(2025, 3, 8)),
        ("January 30 – February 1, 2025", dt.date(2025, 1, 30), dt.date(2025, 2, 1)),
        ("30 January - 1 February 2025", dt.date(2025, 1, 30), dt.date(2025, 2, 1)),
        ("December 30, 2024 - January 2, 2025", dt.date(2024, 12, 30), dt.date(2025, 1, 2)),
        ("Saturday, March 8, 2025", dt.date(2025, 3, 8), dt.date(2025, 3, 8)),
        ("2025-03-08", dt.date(2025, 3, 8), dt.date(2025, 3, 8)),
        ("2025-03-03 to 2025-03-06", dt.date(2025, 3, 3), dt.date(2025, 3, 6)),
        ("8 March 2025", dt.date(2025, 3, 8), dt.date(2025, 3, 8)),
        ("25/03/2025", dt.date(2025, 3, 25), dt.date(2025, 3, 25)),
    ],
)
def test_dates_in_every_format(written, first, last):
    fields = read(f"Certificate\nheld {written}")

    assert (fields["start_date"], fields["end_date"]) == (first, last)


def test_an_enduring_material_is_dated_by_its_completion():
    fields = read(
        "Certificate of Completion\nRelease date: January 1, 2024\n"
        "Expiration date: December 31, 2026\nDate of completion: May 14, 2025"
    )

    assert (fields["start_date"], fields["end_date"]) == (dt.date(2025, 5, 14),) * 2


def test_a_letter_is_dated_by_the_activity_not_by_the_letter():
    fields = read(
        "Office of Continuing Medical Education\nDecember 15, 2025\nDear Dr. Roe,\n"
        "Thank you for attending “Hand Surgery Update” on Saturday,\nMarch 8, 2025."
    )

    assert (fields["start_date"], fields["end_date"]) == (dt.date(2025, 3, 8),) * 2
    assert fields["title"] == "Hand Surgery Update"


def test_an_issue_or_print_date_is_not_the_activity_date():
    fields = read("Certificate\nDate issued: April 2, 2025\nPrinted 2025-04-03")

    assert (fields["start_date"], fields["end_date"]) == (None, None)


def test_a_period_longer_than_an_activity_is_not_its_dates():
    assert read("Certificate\nPeriod: 01/01/2024 - 12/31/2025")["start_date"] is None


@pytest.mark.parametrize(
    "distractor",
    [
        "This activity awards 10 ABPS MOC points.",
        "10 self-assessment credits (Part II)",
        "This activity provides 6.0 nursing contact hours and 6.0 pharmacy contact hours.",
        "Ethics hours: 2",
        "Registration fee $450.00",
        "Transcript total: 40.50 credits",
    ],
)
def test_amounts_that_are_not_ama_pra_credits_are_never_credits(distractor):
    fields = read(f"Certificate of Completion\n{ACCME}\n{distractor}")

    assert fields.get("credits") is None
    assert fields.get("category") is None


def test_a_certificate_for_non_physicians_gives_no_credits():
    fields = read(
        f"Certificate of Participation for non-physicians\n{ACCME}\n"
        "The activity was designated for 6.00 AMA PRA Category 1 Credits™."
    )

    assert fields.get("credits") is None
    assert fields["provider"] == "American Society of Plastic Surgeons"


def test_a_transcript_of_several_activities_gives_nothing():
    fields = read(
        "CME Transcript\nHand Surgery Update 2025-01-10 AMA PRA Category 1 Credits™ claimed: 2.50\n"
        "Rhinoplasty 2025-02-11 3.50\nTranscript total: 40.50 credits"
    )

    assert fields == dict.fromkeys(FIELDS)


def test_two_claims_that_disagree_give_no_credits():
    text = "claimed 2.50 AMA PRA Category 1 Credits™\nclaimed 3.50 AMA PRA Category 1 Credits™"

    assert read(f"Certificate\n{text}").get("credits") is None


def test_an_unrelated_document_gives_nothing():
    assert read(
        "Invoice\nInvoice date: April 2, 2025\nTotal due $575.00\nMarch 3, 2025"
    ) == dict.fromkeys(FIELDS)


def test_what_ocr_does_to_the_credit_name_is_still_read_with_less_confidence():
    exact = parse_text(f"{ACCME}\nhas claimed 7.25 AMA PRA Category 1 Credits")
    misread = parse_text(f"{ACCME}\nhas claimed 7.25 Mn PRA Categoryl CreditsTM")

    assert misread.fields["credits"] == exact.fields["credits"] == Decimal("7.25")
    assert misread.confidence["credits"] < exact.confidence["credits"]


def test_a_certificate_that_mentions_the_members_transcript_is_still_read():
    text = f"{ACCME}\n{DESIGNATION}\nThese credits will appear on your transcript."

    assert read(text)["credits"] == Decimal("21.25")


def test_the_text_is_normalised_before_it_is_read():
    assert normalise("  March\u00a03\u20146,   2025™ \n\n x ") == "March 3-6, 2025\nx"


def test_every_field_read_has_a_confidence():
    parsed = parse_text(f"Certificate\nheld March 3, 2025\n{ACCME}\n{DESIGNATION}")

    assert set(parsed.confidence) == set(parsed.fields)
    assert all(0 < value <= 1 for value in parsed.confidence.values())
    assert parsed.confidence["provider"] > 0.9


@given(st.integers(min_value=1, max_value=10000))
def test_amounts_of_credits_are_read_back_as_written(hundredths):
    written = f"{hundredths / 100:.2f}"

    assert parse_amount(written) == Decimal(written)
    assert parse_amount(written.replace(".", ",")) == Decimal(written)


@given(st.text(alphabet="0123456789.,$ ", max_size=8))
def test_an_amount_is_a_plausible_number_of_credits_or_none(text):
    amount = parse_amount(text)

    assert amount is None or Decimal("0") < amount <= Decimal("100")


# Certificates carry years 19xx and 20xx (the reader reads no other).
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 11)), st.integers(0, 20))
def test_ranges_written_in_words_and_numbers_are_read_back(first, days):
    last = first + dt.timedelta(days=days)
    written = [
        f"{first:%B} {first.day}, {first.year} - {last:%B} {last.day}, {last.year}",
        f"{first:%m/%d/%Y} - {last:%m/%d/%Y}",
        f"{first.isoformat()} to {last.isoformat()}",
    ]
    for text in written:
        mentions = find_dates(text)
        assert [(m.first, m.last) for m in mentions] == [(first, last)], text
