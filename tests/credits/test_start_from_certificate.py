"""Submit CME, "Start from a certificate": upload, read, the form filled and marked, the file
attached to the entry saved (credits/certificate_views.py, docs/certificate-reading.md)."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credits import certificate_reading
from credits.models import CreditEntry
from tests.certificate_files import PROVIDER, TITLE, certificate_pdf

pytestmark = pytest.mark.django_db

READ_URL = "/credits/new/read/"


def upload(data: bytes, name: str = "certificate.pdf", kind: str = "application/pdf"):
    return SimpleUploadedFile(name, data, kind)


def read(client, data: bytes, name: str = "certificate.pdf", kind: str = "application/pdf"):
    return client.post(READ_URL, {"file": upload(data, name, kind)})


def value_of(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else ""


def test_submit_cme_offers_to_start_from_a_certificate(alice_client):
    page = alice_client.get("/credits/new/").content.decode()
    assert "Start from a certificate" in page
    assert 'accept="application/pdf,image/png,image/jpeg"' in page


def test_a_certificate_fills_the_form_marks_what_was_read_and_is_attached(alice_client, alice):
    pdf = certificate_pdf()
    answer = read(alice_client, pdf, name="breast-course.pdf")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/credits/new/?reading=")  # read at once: no broker

    page = alice_client.get(answer["Location"]).content.decode()

    assert "We read breast-course.pdf" in page
    assert value_of(page, "title") == TITLE
    assert value_of(page, "provider") == PROVIDER
    assert value_of(page, "start_date") == "2025-03-03"
    assert value_of(page, "end_date") == "2025-03-06"
    assert value_of(page, "credits") == "12.5"  # claimed wins over the maximum of 21.25
    assert value_of(page, "patient_safety_credits") == "4"
    marked = re.findall(r'<label for="id_(\w+)">[^<]*<span class="read-mark', page)
    assert set(marked) >= {"title", "provider", "start_date", "end_date", "credits"}
    assert "breast-course.pdf</strong> is attached" in page
    token = value_of(page, "pending_certificate")
    assert token

    saved = alice_client.post(
        "/credits/new/",
        {
            "title": TITLE,
            "activity_type": "live_activity",
            "category": "1",
            "provider": PROVIDER,
            "start_date": "2025-03-03",
            "end_date": "2025-03-06",
            "credits": "12.5",
            "plastic_surgery_credits": "0",
            "patient_safety_credits": "4",
            "patient_safety_kind": "general",
            "city": "Chicago",
            "state": "IL",
            "country": "United States",
            "pending_certificate": token,
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    entry = CreditEntry.objects.get(member=alice)
    assert (entry.title, entry.credits, entry.patient_safety_credits) == (
        TITLE,
        Decimal("12.50"),
        Decimal("4.00"),
    )
    with entry.certificate.open("rb") as stored:
        assert stored.read() == pdf  # the very file that was read


def test_a_field_changed_after_a_failed_submit_loses_its_mark(alice_client):
    location = read(alice_client, certificate_pdf())["Location"]
    token = value_of(alice_client.get(location).content.decode(), "pending_certificate")

    page = alice_client.post(
        "/credits/new/",
        {"title": "My own title", "credits": "12.5", "pending_certificate": token},
    ).content.decode()

    marked = re.findall(r'<label for="id_(\w+)">[^<]*<span class="read-mark', page)
    assert "credits" in marked
    assert "title" not in marked  # the member changed it: no longer what the certificate said
    assert "certificate.pdf</strong> is attached" in page


def test_a_file_that_is_not_a_certificate_is_refused_next_to_the_file_field(alice_client):
    answer = read(alice_client, b"MZ\x90\x00 not a certificate", "virus.pdf")

    assert answer.status_code == 400
    page = answer.content.decode()
    assert 'id="id_read_file_error"' in page
    assert "Upload the certificate as a PDF, JPEG or PNG file." in page


def test_no_file_is_refused_next_to_the_file_field(alice_client):
    answer = alice_client.post(READ_URL, {})
    assert answer.status_code == 400
    assert "Choose the certificate" in answer.content.decode()


def test_a_damaged_pdf_opens_the_form_with_the_file_attached_and_nothing_guessed(alice_client):
    answer = read(alice_client, b"%PDF-1.7\n" + b"\x00garbage" * 50, "damaged.pdf")
    page = alice_client.get(answer["Location"]).content.decode()

    assert "We couldn" in page
    assert "damaged.pdf</strong> is attached" in page
    assert value_of(page, "title") == ""


def test_another_members_reading_is_not_theirs(alice_client, bob, client):
    location = read(alice_client, certificate_pdf())["Location"]
    token = location.split("reading=")[1]
    client.force_login(bob.user)

    page = client.get(location).content.decode()
    assert TITLE not in page  # bob's own empty form: alice's reading is not his
    status = client.get(reverse("credits:reading"), {"c": token.replace("%3A", ":")})
    assert status.status_code == 404


def test_the_page_shows_progress_until_the_reading_is_done(alice_client, alice):
    kept = certificate_reading.keep(user=alice.user, upload=upload(certificate_pdf()))

    waiting = alice_client.get(reverse("credits:reading"), {"c": kept.token})
    assert waiting.status_code == 200
    assert "<progress" in waiting.content.decode()
    status = alice_client.get(reverse("credits:reading"), {"c": kept.token, "status": "1"})
    assert status.json() == {"status": "reading", "next": None}
    # Asked for the form too early: back to the progress page.
    early = alice_client.get("/credits/new/", {"reading": kept.token})
    assert early.status_code == 302 and "/credits/new/reading/" in early["Location"]

    certificate_reading.read_kept(user_id=alice.user.pk, token=kept.token)

    done = alice_client.get(reverse("credits:reading"), {"c": kept.token, "status": "1"}).json()
    assert done["status"] == "done"
    assert done["next"].startswith("/credits/new/?reading=")
    assert alice_client.get(reverse("credits:reading"), {"c": kept.token}).status_code == 302


def test_a_reading_that_never_finishes_is_given_up_and_the_form_opens(alice_client, alice):
    kept = certificate_reading.keep(user=alice.user, upload=upload(certificate_pdf()))
    key = certificate_reading._key(kept)
    cache.set(key, {"status": "reading", "started": time.time() - 3600})

    page = alice_client.get("/credits/new/", {"reading": kept.token})
    assert page.status_code == 200
    assert "We couldn" in page.content.decode()


def test_readings_are_limited_per_member_per_hour(alice_client, monkeypatch):
    monkeypatch.setattr(certificate_reading, "READINGS_PER_HOUR", 2)
    assert read(alice_client, certificate_pdf()).status_code == 302
    assert read(alice_client, certificate_pdf()).status_code == 302
    third = read(alice_client, certificate_pdf())
    assert third.status_code == 400
    assert "in the last hour" in third.content.decode()


def test_a_reading_that_names_a_catalogue_activity_proposes_it(alice_client, alice):
    from credits.models import Activity

    Activity.objects.create(
        code="NU-BREAST-2025",
        title=TITLE,
        max_credits=Decimal("21.25"),
    )
    location = read(alice_client, certificate_pdf())["Location"]
    page = alice_client.get(location).content.decode()
    assert "in the society&#x27;s catalogue" in page or "in the society's catalogue" in page
    assert "activity=NU-BREAST-2025" in page

    token = location.split("reading=")[1]
    chosen = alice_client.get(f"/credits/new/?reading={token}&activity=NU-BREAST-2025")
    html = chosen.content.decode()
    assert value_of(html, "activity") == "NU-BREAST-2025"
    assert value_of(html, "credits") == "12.5"  # what the member claimed, from the certificate
