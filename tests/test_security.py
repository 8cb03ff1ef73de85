"""Security headers, request size limits and login rate limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_content_security_policy_without_inline_script(alice_client):
    response = alice_client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "<script>" not in response.content.decode()


def test_the_api_docs_load_their_script_from_a_file(alice_client):
    response = alice_client.get("/api/v1/docs/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode().replace("<script src", "")


@pytest.mark.parametrize("path", ["/credits/new/", "/api/v1/credits/"])
def test_oversized_bodies_are_refused_before_they_are_read(alice_client, path):
    response = alice_client.post(
        path,
        data=b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(12 * 1024 * 1024),
    )

    assert response.status_code == 413


def test_login_attempts_are_rate_limited(client, alice, password):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice@example.org", "password": "wrong"})

    locked = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": password}
    )

    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_rate_limited(client, alice):
    statuses = [
        client.post(reverse("account_reset_password"), {"email": "alice@example.org"}).status_code
        for _ in range(8)
    ]

    assert statuses[0] == 302
    assert 429 in statuses


def test_the_admin_login_is_allauths_and_shares_its_limits(client, alice, password):
    """The admin login is allauth's (secure_admin_login), so the same limits apply."""
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/accounts/login/")
    for _ in range(5):
        client.post(
            "/accounts/login/?next=/admin/", {"login": "alice@example.org", "password": "x"}
        )

    locked = client.post(
        "/accounts/login/?next=/admin/", {"login": "alice@example.org", "password": password}
    )

    assert "Too many failed login attempts" in locked.content.decode()


def test_a_new_session_key_at_login_and_none_after_logout(client, alice, password):
    client.get(reverse("account_login"))
    before = client.session.session_key

    client.post(reverse("account_login"), {"login": "alice@example.org", "password": password})
    during = client.session.session_key
    client.post(reverse("account_logout"))

    from django.contrib.sessions.models import Session

    assert during != before
    assert not Session.objects.filter(session_key=during).exists()


def test_changing_the_password_ends_other_sessions(client, alice, password):
    from django.test import Client

    other = Client()
    other.post(reverse("account_login"), {"login": "alice@example.org", "password": password})
    assert other.get("/").status_code == 200
    client.post(reverse("account_login"), {"login": "alice@example.org", "password": password})

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )

    assert client.get("/").status_code == 200
    assert other.get("/").status_code == 302


def test_the_session_ends_after_its_absolute_lifetime(alice_client, settings):
    settings.SESSION_ABSOLUTE_SECONDS = -1

    response = alice_client.get("/")

    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302


def session_writes(client, path="/") -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_using_the_site_renews_the_session_at_most_once_a_minute(alice_client, settings):
    """The idle timeout moves on with use, without a session write on every page."""
    from django.contrib.sessions.models import Session

    key = alice_client.session.session_key
    first = session_writes(alice_client)
    renewed = Session.objects.get(session_key=key).expire_date
    again = session_writes(alice_client)

    assert any("django_session" in sql for sql in first)
    assert again == []
    assert Session.objects.get(session_key=key).expire_date == renewed

    settings.SESSION_RENEW_SECONDS = 0  # a minute later
    later = session_writes(alice_client)

    assert any("django_session" in sql for sql in later)
    assert Session.objects.get(session_key=key).expire_date > renewed


def test_a_session_left_idle_ends(alice_client):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert alice_client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    assert alice_client.get("/").status_code == 302


def test_long_passphrases_are_accepted(alice_client, password):
    passphrase = "correct horse battery staple on a long winter evening " * 2

    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": passphrase, "password2": passphrase},
    )

    assert response.status_code == 302


def test_common_passwords_are_refused(alice_client, password):
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "qwerty123456", "password2": "qwerty123456"},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
