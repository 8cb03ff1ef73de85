"""The CME report: page, real PDFs read back, the data file, verification, access."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from credits.models import CreditEntry
from reports.models import IssuedReport
from tests.factories import CreditEntryFactory
from tests.today import shifted, shifted_iso, shifted_year

pytestmark = pytest.mark.django_db

FORMATS = ["reports:cme", "reports:cme_pdf", "reports:cme_csv"]


def pdf_text(response) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def alice_entries(alice):
    CreditEntryFactory(
        member=alice,
        title="Spring Meeting",
        end_date=shifted(dt.date(2025, 3, 20)),
        credits=Decimal("13"),
        plastic_surgery_credits=Decimal("13"),
        patient_safety_credits=Decimal("6"),
        review_status="approved",
        source="society_import",
    )
    CreditEntryFactory(
        member=alice,
        title="Journal club",
        category=2,
        provider=None,
        end_date=shifted(dt.date(2025, 6, 2)),
        credits=Decimal("2.5"),
        plastic_surgery_credits=Decimal("2.5"),
        patient_safety_credits=Decimal("0"),
    )
    CreditEntryFactory(
        member=alice,
        title="Risk management webinar",
        end_date=shifted(dt.date(2026, 1, 10)),
        credits=Decimal("3"),
        plastic_surgery_credits=Decimal("0"),
        patient_safety_credits=Decimal("3"),
        review_status="rejected",
    )


def test_the_report_page_shows_entries_totals_and_compliance(alice_client, alice_entries):
    body = alice_client.get(reverse("reports:cme")).content.decode()

    assert f"CME Report for Cycle Ending in {shifted_year(2027)}" in body
    assert "Spring Meeting" in body and "Journal club" in body
    assert "Imported" in body and "Self-reported" in body
    assert "PS rejected" in body
    # Totals row: Cat 1 = 13 + 3, Cat 2 = 2.5, PS counts 6 (the rejected 3 do not).
    totals_row = re.search(r"<tfoot>(.*?)</tfoot>", body, re.S).group(1)
    assert re.findall(r'class="num">([^<]+)<', totals_row) == ["16", "2.5", "15.5", "6"]


def test_the_pdf_holds_the_member_the_entries_and_the_totals(alice_client, alice, alice_entries):
    response = alice_client.get(reverse("reports:cme_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text, _pages = pdf_text(response)
    assert alice.full_name in text
    assert f"ASPS ID {alice.asps_id}" in text
    assert "Spring Meeting" in text and "Risk management webinar" in text
    assert "Totals (3 entries)" in text
    assert re.search(r"Page 1 of \d+", text)
    issued = IssuedReport.objects.get()
    assert issued.code in text
    assert issued.member == alice


def test_the_pdf_heading_shows_a_long_name_whole(alice_client, alice):
    """The member block under the title once ran off the page's right edge ("MD, F")."""
    alice.first_name, alice.last_name = "Alexandra", "Konstantinopoulou-Smithers"
    alice.credentials = "MD, PhD, FACS"
    alice.save()

    pdf = alice_client.get(reverse("reports:cme_pdf")).content
    # pdftotext reads what lies on the page (pypdf also reads text drawn beyond its edge).
    shown = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    )
    text = " ".join(shown.stdout.decode().split())

    assert "Konstantinopoulou" in text
    # Once in the running header, once in the heading, however the heading wraps it.
    assert text.count("MD, PhD, FACS") == 2
    assert "Membership" in text and alice.get_membership_type_display() in text


def test_the_pdf_grows_by_pages_with_the_rows(alice_client, alice):
    CreditEntryFactory.create_in_bulk(10, member=alice)
    _, short = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    CreditEntryFactory.create_in_bulk(290, member=alice)
    long_text, long = pdf_text(alice_client.get(reverse("reports:cme_pdf")))

    assert long > short
    # The table header is repeated on every page of the entries.
    assert long_text.upper().count("COURSE / SPONSOR") >= long - 1


def test_the_data_file_parses_back_to_the_same_rows(alice_client, alice, alice_entries):
    response = alice_client.get(reverse("reports:cme_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    entries = CreditEntry.objects.filter(member=alice).order_by("end_date")
    assert [row["title"] for row in rows] == [entry.title for entry in entries]
    assert [Decimal(row["credits"]) for row in rows] == [entry.credits for entry in entries]
    rejected = next(row for row in rows if row["title"] == "Risk management webinar")
    assert rejected["patient_safety_counts"] == "no"
    assert rejected["review_status"] == "rejected"


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"])
def test_the_data_file_neutralises_formulas(alice_client, alice, payload):
    CreditEntryFactory(member=alice, title=payload, city=payload)

    rows = list(
        csv.reader(io.StringIO(alice_client.get(reverse("reports:cme_csv")).content.decode()))
    )

    header, row = rows[0], rows[1]
    assert row[header.index("title")] == "'" + payload
    assert row[header.index("city")] == "'" + payload


@pytest.mark.parametrize("url_name", FORMATS)
def test_another_member_gets_404_for_alices_report(client, alice, bob, url_name):
    client.force_login(bob.user)

    response = client.get(reverse(url_name) + f"?member={alice.asps_id}")

    assert response.status_code == 404


@pytest.mark.parametrize("url_name", FORMATS)
def test_cme_staff_open_any_members_report(
    client, reviewer_client, alice, alice_entries, staff_user, url_name
):
    response = reviewer_client.get(reverse(url_name) + f"?member={alice.asps_id}")

    assert response.status_code == 200
    assert reviewer_client.get(reverse(url_name) + "?member=no-such-id").status_code == 404
    # is_staff outside the CME staff group sees no member's report.
    client.force_login(staff_user)
    assert client.get(reverse(url_name) + f"?member={alice.asps_id}").status_code == 404


@pytest.mark.parametrize("url_name", FORMATS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2025-05-01&end=2025-01-01", "The end date is before the start date."),
        ("start=2025-13-01&end=2025-12-31", "Enter a valid date."),
        ("start=2000-01-01&end=2025-12-31", "Choose a range of at most 10 years."),
        ("start=2025-01-01", "Give both dates of the range."),
    ],
)
def test_bad_parameters_get_a_clear_message(alice_client, url_name, query, message):
    response = alice_client.get(reverse(url_name) + "?" + query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_previous_cycle_and_a_date_range(alice_client, alice):
    CreditEntryFactory(member=alice, title="Old course", end_date=shifted(dt.date(2023, 4, 4)))

    previous = alice_client.get(reverse("reports:cme") + "?cycle=previous").content.decode()
    start, end = shifted_iso("2023-01-01"), shifted_iso("2023-12-31")
    ranged = alice_client.get(reverse("reports:cme") + f"?start={start}&end={end}")

    assert f"CME Report for Cycle Ending in {shifted_year(2024)}" in previous
    assert "Old course" in previous
    assert "Old course" in ranged.content.decode()


def test_a_printed_report_can_be_verified_and_a_wrong_code_is_404(
    alice_client, alice, alice_entries, client
):
    alice_client.get(reverse("reports:cme_pdf"))
    issued = IssuedReport.objects.get()

    page = client.get(reverse("reports:verify", args=[issued.code]))
    assert page.status_code == 200
    body = page.content.decode()
    assert alice.full_name in body and alice.asps_id in body
    assert "Still needed: " in body  # the current cycle, still open (credits.rules.verdicts)
    assert "Spring Meeting" not in body  # only what a board needs, not the entries
    assert client.get(reverse("reports:verify", args=["not-a-code"])).status_code == 404
    assert len(issued.code) >= 22
