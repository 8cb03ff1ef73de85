"""API tokens, keeping one: tokens expire and are revoked (password change or reset, logout,
two-factor), issuing one is in the security log, and the API's certificate URL answers the
token it was given to.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members.models import AuditEvent
from tests.factories import (
    PASSWORD,
    CreditEntryFactory,
    totp_code,
    with_two_factor,
)
from tests.security.token_helpers import PDF_BYTES, TOKEN_URL, ask, token_client

pytestmark = pytest.mark.django_db


# --- Lifetime and revocation ----------------------------------------------------------------


def test_issuing_a_token_is_an_audit_event_with_the_address(alice):
    ask(APIClient(), "alice@example.org", REMOTE_ADDR="198.51.100.7")

    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_ISSUED)
    assert (event.actor, event.ip) == (alice.user, "198.51.100.7")
    assert event.details["second_factor"] is None


def test_the_token_answer_says_when_it_expires(alice, settings):
    settings.API_TOKEN_DAYS = 30

    answer = ask(APIClient(), "alice@example.org").json()

    expires = dt.datetime.fromisoformat(answer["expires"].replace("Z", "+00:00"))
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


def test_an_expired_token_is_refused_with_a_clear_message(alice, settings):
    settings.API_TOKEN_DAYS = 30
    api = token_client("alice@example.org")
    Token.objects.filter(user=alice.user).update(
        created=timezone.now() - dt.timedelta(days=30, seconds=1)
    )

    answer = api.get("/api/v1/me/")

    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]
    assert not Token.objects.filter(user=alice.user).exists()


def test_a_new_token_is_issued_after_the_old_one_expired(alice):
    old = token_client("alice@example.org")
    Token.objects.filter(user=alice.user).update(created=timezone.now() - dt.timedelta(days=31))

    new = token_client("alice@example.org")

    assert old.get("/api/v1/me/").status_code == 401
    assert new.get("/api/v1/me/").status_code == 200


def test_delete_revokes_the_token_used(alice):
    api = token_client("alice@example.org")

    deleted = api.delete(TOKEN_URL, REMOTE_ADDR="198.51.100.8")

    assert deleted.status_code == 204
    assert api.get("/api/v1/me/").status_code == 401
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_REVOKED)
    assert (event.actor, event.ip, event.details["reason"]) == (
        alice.user,
        "198.51.100.8",
        "deleted",
    )


def test_delete_needs_a_token(alice):
    assert APIClient().delete(TOKEN_URL).status_code == 401


def test_a_password_change_revokes_the_token(alice, alice_client):
    api = token_client("alice@example.org")

    alice_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase 42",
            "password2": "a brand new passphrase 42",
        },
    )

    assert api.get("/api/v1/me/").status_code == 401


def test_a_password_reset_revokes_the_token(alice):
    api = token_client("alice@example.org")

    alice.user.set_password("another passphrase entirely")
    alice.user.save()

    assert api.get("/api/v1/me/").status_code == 401


def test_saving_the_user_without_a_new_password_keeps_the_token(alice):
    api = token_client("alice@example.org")

    alice.user.first_name = "Alice"
    alice.user.save()

    assert api.get("/api/v1/me/").status_code == 200


def test_a_web_logout_revokes_the_token(alice, alice_client):
    api = token_client("alice@example.org")

    alice_client.post(reverse("account_logout"))

    assert api.get("/api/v1/me/").status_code == 401


def test_enabling_two_factor_revokes_tokens_issued_without_it(alice):
    api = token_client("alice@example.org")

    with_two_factor(alice.user)

    assert api.get("/api/v1/me/").status_code == 401


# --- The certificate URL answers the token -----------------------------------------------


@pytest.fixture
def alice_entry(alice):
    return CreditEntryFactory(
        member=alice,
        certificate=SimpleUploadedFile("c.pdf", PDF_BYTES, "application/pdf"),
    )


def test_the_api_certificate_url_answers_the_token(alice, alice_entry):
    api = token_client("alice@example.org")
    url = api.get(f"/api/v1/credits/{alice_entry.pk}/").json()["certificate"]

    answer = api.get(url)

    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PDF_BYTES
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == (
        f'attachment; filename="certificate-{alice_entry.pk}.pdf"'
    )
    assert answer["X-Content-Type-Options"] == "nosniff"


def test_another_members_certificate_is_a_404(alice_entry, bob):
    api = token_client("bob@example.org")

    assert api.get(f"/api/v1/credits/{alice_entry.pk}/certificate/").status_code == 404


def test_an_entry_without_a_certificate_is_a_404(alice):
    api = token_client("alice@example.org")
    entry = CreditEntryFactory(member=alice)

    assert api.get(f"/api/v1/credits/{entry.pk}/").json()["certificate"] is None
    assert api.get(f"/api/v1/credits/{entry.pk}/certificate/").status_code == 404


def test_cme_staff_fetch_a_claims_certificate_with_their_token(reviewer, alice_entry):
    api = token_client(reviewer.email, otp=totp_code(reviewer.totp_secret))
    claims = api.get("/api/v1/reviews/").json()["results"]
    claim = next(claim for claim in claims if claim["id"] == alice_entry.pk)

    assert api.get(claim["certificate"]).status_code == 200


def test_the_certificate_needs_a_token(alice_entry):
    assert APIClient().get(f"/api/v1/credits/{alice_entry.pk}/certificate/").status_code == 401


def test_a_new_host_port_does_not_start_a_new_count(client, alice):
    """allauth's own lock key starts with the request's host, port included: a guesser
    changing ``Host: testserver:<port>`` would start a fresh count each time."""
    for port in range(8001, 8006):
        client.post(
            reverse("account_login"),
            {"login": "alice@example.org", "password": "no"},
            HTTP_HOST=f"testserver:{port}",
        )

    client.post(
        reverse("account_login"),
        {"login": "alice@example.org", "password": PASSWORD},
        HTTP_HOST="testserver:8006",
    )

    assert "_auth_user_id" not in client.session
    assert ask(APIClient(), "alice@example.org", HTTP_HOST="testserver:8007").status_code == 429
