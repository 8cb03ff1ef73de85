"""The member's pages for entries: submit, list, edit, delete, certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bench.queries import page_queries
from credits.models import CreditEntry
from tests.factories import CreditEntryFactory
from tests.today import shifted, shifted_iso

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(**changes: object) -> dict:
    data = {
        "title": "Hand Surgery Update",
        "activity_type": "live_activity",
        "category": "1",
        "provider": "American Association for Hand Surgery",
        "start_date": shifted_iso("2026-01-15"),
        "end_date": shifted_iso("2026-01-16"),
        "credits": "7.5",
        "patient_safety_credits": "1.5",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "7.5",
        "city": "Chicago",
        "state": "IL",
        "country": "United States",
    }
    data.update(changes)
    return data


def test_a_member_submits_cme_and_sees_it_on_the_dashboard(alice_client, alice):
    response = alice_client.post(reverse("credits:new"), form_data())

    assert response.status_code == 302
    entry = CreditEntry.objects.get(member=alice)
    assert entry.credits == Decimal("7.50")
    assert entry.review_status == "pending"
    dashboard = alice_client.get(reverse("dashboard")).content.decode()
    assert "Hand Surgery Update" in dashboard
    assert "1.5 pending review" in dashboard


def test_errors_show_next_to_the_field_and_keep_what_was_typed(alice_client):
    response = alice_client.post(
        reverse("credits:new"), form_data(credits="1.3", title="My typed title")
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="My typed title"' in body
    assert 'value="1.3"' in body
    assert 'id="id_credits_error"' in body
    assert "Credits come in steps of 0.25" in body
    assert not CreditEntry.objects.exists()


def test_a_duplicate_asks_for_confirmation_then_records_it(alice_client, alice):
    alice_client.post(reverse("credits:new"), form_data())

    warned = alice_client.post(reverse("credits:new"), form_data())
    assert warned.status_code == 400
    assert "You already recorded this activity" in warned.content.decode()
    assert CreditEntry.objects.count() == 1

    confirmed = alice_client.post(reverse("credits:new"), form_data(confirm_duplicate="on"))
    assert confirmed.status_code == 302
    assert CreditEntry.objects.filter(duplicate_of__isnull=False).count() == 1


def test_a_member_edits_their_entry(alice_client, alice):
    entry = CreditEntryFactory(member=alice)

    response = alice_client.post(
        reverse("credits:detail", args=[entry.pk]), form_data(title="Corrected title")
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "Corrected title"


def test_imported_entries_are_read_only_for_the_member(alice_client, alice):
    entry = CreditEntryFactory(member=alice, source="society_import")

    page = alice_client.get(reverse("credits:detail", args=[entry.pk]))
    assert "Edit this entry" not in page.content.decode()
    assert (
        alice_client.post(reverse("credits:detail", args=[entry.pk]), form_data()).status_code
        == 404
    )
    assert alice_client.post(reverse("credits:delete", args=[entry.pk])).status_code == 404


def test_a_member_deletes_their_entry(alice_client, alice):
    entry = CreditEntryFactory(member=alice)

    response = alice_client.post(reverse("credits:delete", args=[entry.pk]))

    assert response.status_code == 302
    assert not CreditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "credits:detail"),
        ("post", "credits:detail"),
        ("post", "credits:delete"),
        ("get", "credits:certificate"),
        ("post", "credits:certificate"),
    ],
)
def test_another_members_entry_is_a_404(client, alice, bob, method, name):
    entry = CreditEntryFactory(member=alice, certificate=SimpleUploadedFile("c.pdf", PDF_BYTES))
    client.force_login(bob.user)

    response = getattr(client, method)(reverse(name, args=[entry.pk]))

    assert response.status_code == 404
    assert CreditEntry.objects.filter(pk=entry.pk).exists()


def test_the_certificate_is_checked_by_content_and_downloaded_as_an_attachment(
    alice_client, alice, staff_user, reviewer_client, client
):
    entry = CreditEntryFactory(member=alice)
    url = reverse("credits:certificate", args=[entry.pk])

    fake = SimpleUploadedFile("certificate.pdf", b"MZ this is an executable", "application/pdf")
    refused = alice_client.post(url, {"certificate": fake})
    assert refused.status_code == 400
    assert "Upload the certificate as a PDF, JPEG or PNG file." in refused.content.decode()

    png = SimpleUploadedFile("../../etc/passwd.png", PNG_BYTES, "image/png")
    assert alice_client.post(url, {"certificate": png}).status_code == 302
    entry.refresh_from_db()
    assert entry.certificate.name.startswith(f"certificates/{alice.pk}/")
    assert "passwd" not in entry.certificate.name

    download = alice_client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="certificate-{entry.pk}.png"'
    assert b"".join(download.streaming_content) == PNG_BYTES

    assert reviewer_client.get(url).status_code == 200  # CME staff with two-factor
    client.force_login(staff_user)  # is_staff outside the CME staff group: no member data
    assert client.get(url).status_code == 404


def test_certificates_over_10_mb_are_refused(alice_client, alice):
    entry = CreditEntryFactory(member=alice)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "application/pdf")

    response = alice_client.post(
        reverse("credits:certificate", args=[entry.pk]), {"certificate": big}
    )

    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()


def test_the_submission_form_can_carry_a_certificate(alice_client, alice):
    pdf = SimpleUploadedFile("cert.pdf", PDF_BYTES, "application/pdf")

    response = alice_client.post(reverse("credits:new"), {**form_data(), "certificate": pdf})

    assert response.status_code == 302
    assert CreditEntry.objects.get(member=alice).certificate.name.endswith(".pdf")


def test_the_entries_list_filters_by_cycle_and_date_range(alice_client, alice):
    CreditEntryFactory(member=alice, title="In this cycle", end_date=shifted(dt.date(2025, 5, 1)))
    CreditEntryFactory(member=alice, title="Last cycle", end_date=shifted(dt.date(2023, 5, 1)))

    current = alice_client.get(reverse("credits:list")).content.decode()
    previous = alice_client.get(reverse("credits:list") + "?cycle=previous").content.decode()
    start, end = shifted_iso("2023-01-01"), shifted_iso("2023-12-31")
    ranged = alice_client.get(reverse("credits:list") + f"?start={start}&end={end}")

    assert "In this cycle" in current and "Last cycle" not in current
    assert "Last cycle" in previous and "In this cycle" not in previous
    assert "Last cycle" in ranged.content.decode()


def test_a_bad_date_range_gets_a_message_not_an_error(alice_client):
    response = alice_client.get(reverse("credits:list") + "?start=2024-05-01&end=2024-01-01")

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.parametrize("url_name", ["dashboard", "credits:list"])
def test_pages_run_the_same_number_of_queries_for_10_and_1000_entries(
    alice_client, alice, url_name
):
    def queries_with(count: int) -> int:
        CreditEntry.objects.filter(member=alice).delete()
        # Short of patient safety either way: the dashboard's "Ways to earn patient-safety
        # credits" shows (and reads the catalogue) for a member short of them only.
        CreditEntryFactory.create_in_bulk(count, member=alice, patient_safety_credits=Decimal(0))
        return page_queries(alice_client, reverse(url_name))

    assert queries_with(10) == queries_with(1000)
