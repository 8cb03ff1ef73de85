"""The entry form checks everything in one pass and keeps the chosen certificate across a failed
submit (credits/forms.py, credits/pending_certificates.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from credits import pending_certificates
from credits.forms import CreditEntryForm
from credits.models import CreditEntry
from tests.credits.test_views import PDF_BYTES, form_data
from tests.factories import CreditEntryFactory
from tests.today import shifted_iso

pytestmark = pytest.mark.django_db

FIVE_MISTAKES = {
    "title": "",
    "credits": "1.3",
    "provider": "",
}


def pdf(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")


def not_a_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.pdf", b"just some text, not a PDF", "application/pdf")


def token_in(body: str) -> str:
    found = re.search(r'name="pending_certificate" value="([^"]+)"', body)
    assert found, "no pending certificate in the page"
    return found.group(1)


def token_and_path(token: str) -> str:
    return signing.loads(token, salt=pending_certificates.SALT)["path"]


def test_five_mistakes_show_at_once_a_bad_certificate_included(alice_client):
    mistakes = {**FIVE_MISTAKES, "start_date": shifted_iso("2026-03-21")}
    mistakes["end_date"] = shifted_iso("2026-03-20")
    response = alice_client.post(
        reverse("credits:new"), {**form_data(**mistakes), "certificate": not_a_pdf()}
    )

    assert response.status_code == 400
    body = response.content.decode()
    for field, message in [
        ("title", "This field is required."),
        ("credits", "Credits come in steps of 0.25"),
        ("end_date", "The end date is before the start date."),
        ("provider", "Category 1 credits need the accredited provider"),
        ("certificate", "Upload the certificate as a PDF, JPEG or PNG file."),
    ]:
        assert f'id="id_{field}_error"' in body, field
        assert message in body, field
        assert f'href="#id_{field}"' in body, field  # the summary links to the field
        assert re.search(f'id="id_{field}"[^>]*aria-invalid="true"', body) or re.search(
            f'aria-invalid="true"[^>]*id="id_{field}"', body
        ), field
    assert "There are 5 problems with this entry" in body
    assert 'role="alert"' in body and 'id="error-summary"' in body
    assert 'value="1.3"' in body and 'value="Chicago"' in body
    assert not CreditEntry.objects.exists()


def test_fields_point_to_their_error_for_screen_readers(alice_client):
    body = alice_client.post(reverse("credits:new"), form_data(title="")).content.decode()

    title = re.search(r"<input[^>]*id=\"id_title\"[^>]*>", body).group(0)
    assert 'aria-invalid="true"' in title
    assert "id_title_error" in re.search(r'aria-describedby="([^"]*)"', title).group(1)


def test_a_good_certificate_is_kept_across_a_failed_submit(alice_client, alice):
    failed = alice_client.post(
        reverse("credits:new"), {**form_data(title=""), "certificate": pdf("cert-2026.pdf")}
    )
    body = failed.content.decode()
    assert failed.status_code == 400
    assert "cert-2026.pdf</strong> is attached — choose another file below to replace it" in body
    token = token_in(body)

    saved = alice_client.post(reverse("credits:new"), {**form_data(), "pending_certificate": token})

    assert saved.status_code == 302
    entry = CreditEntry.objects.get(member=alice)
    assert entry.certificate.read() == PDF_BYTES
    assert pending_certificates.find(user=alice.user, token=token) is None  # file removed


def test_the_kept_certificate_can_be_dropped_or_replaced(alice_client, alice):
    token = token_in(
        alice_client.post(
            reverse("credits:new"), {**form_data(title=""), "certificate": pdf()}
        ).content.decode()
    )

    dropped = alice_client.post(
        reverse("credits:new"),
        {**form_data(), "pending_certificate": token, "pending_certificate_drop": "1"},
    )

    assert dropped.status_code == 302
    assert not CreditEntry.objects.get(member=alice).certificate


def test_another_users_token_is_refused(alice_client, client, alice, bob):
    token = token_in(
        alice_client.post(
            reverse("credits:new"), {**form_data(title=""), "certificate": pdf()}
        ).content.decode()
    )
    client.force_login(bob.user)

    response = client.post(reverse("credits:new"), {**form_data(), "pending_certificate": token})

    assert response.status_code == 400
    assert CreditEntryForm.PENDING_GONE in response.content.decode()
    assert not CreditEntry.objects.filter(member=bob).exists()
    assert pending_certificates.find(user=bob.user, token=token) is None
    assert pending_certificates.find(user=alice.user, token=token) is not None


def test_a_kept_certificate_expires(alice_client, alice):
    token = token_in(
        alice_client.post(
            reverse("credits:new"), {**form_data(title=""), "certificate": pdf()}
        ).content.decode()
    )
    later = timezone.now() + dt.timedelta(hours=pending_certificates.PENDING_HOURS, minutes=1)

    with time_machine.travel(later, tick=False):
        assert pending_certificates.find(user=alice.user, token=token) is None
        alice_client.force_login(alice.user)  # the session would have expired too
        response = alice_client.post(
            reverse("credits:new"), {**form_data(), "pending_certificate": token}
        )
        assert response.status_code == 400
        path = token_and_path(token)
        assert pending_certificates.purge_stale() >= 1
        assert not default_storage.exists(path)


def test_a_forged_token_is_refused(alice, alice_client):
    response = alice_client.post(
        reverse("credits:new"), {**form_data(), "pending_certificate": "forged:token"}
    )

    assert response.status_code == 400
    assert not CreditEntry.objects.exists()


def test_the_edit_form_checks_everything_in_one_pass_too(alice_client, alice):
    entry = CreditEntryFactory(member=alice, title="Kept title")

    response = alice_client.post(
        reverse("credits:detail", args=[entry.pk]),
        {**form_data(title="", city=""), "certificate": not_a_pdf()},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "There are 3 problems with this entry" in body
    for field in ("title", "city", "certificate"):
        assert f'id="id_{field}_error"' in body
    assert "Kept title" in body  # the heading shows the entry as stored
    entry.refresh_from_db()
    assert entry.title == "Kept title"


def test_the_hourly_task_clears_certificates_kept_for_forms_never_submitted(alice_client):
    from django.conf import settings

    from credits import tasks

    token = token_in(
        alice_client.post(
            reverse("credits:new"), {**form_data(title=""), "certificate": pdf()}
        ).content.decode()
    )
    path = token_and_path(token)
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "credits.tasks.purge_kept_certificates" in scheduled

    tasks.purge_kept_certificates.delay().get()
    assert default_storage.exists(path)  # not yet expired: kept
    later = timezone.now() + dt.timedelta(hours=pending_certificates.PENDING_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        assert tasks.purge_kept_certificates.delay().get() >= 1
    assert not default_storage.exists(path)
