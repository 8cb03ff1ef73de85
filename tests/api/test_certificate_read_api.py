"""``POST /api/v1/certificates/read/``: a certificate in, the fields it states out
(docs/api.md, docs/certificate-reading.md)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

import certificates
from credits import certificate_reading
from credits.models import CreditEntry
from tests.certificate_files import PROVIDER, TITLE, certificate_pdf

pytestmark = pytest.mark.django_db

URL = "/api/v1/certificates/read/"
FIELDS = set(certificates.FIELDS)


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice.user)
    return client


def post(client, data: bytes, name: str = "certificate.pdf", kind: str = "application/pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, kind)}, format="multipart")


def test_a_text_pdf_is_read_into_the_fields_of_an_entry(api, alice):
    answer = post(api, certificate_pdf())

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["method"] == "pdf_text"
    assert set(body["fields"]) == FIELDS
    assert body["fields"] == {
        "title": TITLE,
        "provider": PROVIDER,
        "start_date": "2025-03-03",
        "end_date": "2025-03-06",
        "credits": "12.50",
        "category": 1,
        "patient_safety_credits": "4.00",
    }
    assert set(body["confidence"]) <= FIELDS
    assert all(0 <= value <= 1 for value in body["confidence"].values())
    assert not CreditEntry.objects.filter(member=alice).exists()  # nothing is stored


def test_what_a_document_does_not_state_is_null(api):
    blank = io.BytesIO()
    Image.new("L", (600, 400), 255).save(blank, format="PNG")

    answer = post(api, blank.getvalue(), "blank.png", "image/png")

    assert answer.status_code == 200, answer.content
    assert answer.json()["method"] == "ocr"
    assert answer.json()["fields"] == dict.fromkeys(FIELDS)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03 an executable", "certificate.pdf"),
        (b"plain text pretending", "certificate.png"),
        (b"GIF89a\x01\x00\x01\x00", "photo.jpg"),
    ],
)
def test_a_file_that_is_not_a_pdf_png_or_jpeg_is_a_400_on_file(api, data, name):
    answer = post(api, data, name, "application/pdf")
    assert answer.status_code == 400
    assert list(answer.json()) == ["file"]


def test_a_damaged_pdf_is_a_400_on_file(api):
    answer = post(api, b"%PDF-1.7\n" + b"\x00broken" * 100)
    assert answer.status_code == 400
    assert list(answer.json()) == ["file"]


def test_a_file_over_10_mb_is_a_400_on_file(api):
    answer = post(api, b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024 + 1))
    assert answer.status_code == 400
    assert "10 MB" in answer.json()["file"][0]


def test_no_file_is_a_400_on_file(api):
    answer = api.post(URL, {}, format="multipart")
    assert answer.status_code == 400
    assert list(answer.json()) == ["file"]


def test_json_is_a_415(api):
    assert api.post(URL, {"file": "x"}, format="json").status_code == 415


def test_anonymous_is_a_401_and_an_account_without_a_member_profile_a_404(reviewer):
    assert post(APIClient(), certificate_pdf()).status_code == 401
    staff = APIClient()
    staff.force_authenticate(reviewer)
    assert post(staff, certificate_pdf()).status_code == 404


def test_readings_are_limited_per_member_per_hour(api, monkeypatch):
    monkeypatch.setattr(certificate_reading, "READINGS_PER_HOUR", 1)
    assert post(api, certificate_pdf()).status_code == 200
    assert post(api, certificate_pdf()).status_code == 429
