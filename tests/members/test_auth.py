"""Logging in with an email address, through django-allauth."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_member_logs_in_with_email_and_password(client, alice, password):
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": password}
    )

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").context["user"] == alice.user


def test_the_email_is_matched_whatever_its_case(client, alice, password):
    response = client.post(
        reverse("account_login"), {"login": "  Alice@Example.ORG ", "password": password}
    )

    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_message_and_keeps_the_email(client, alice):
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": "not it at all"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    body = response.content.decode()
    assert "The email address and/or password you specified are not correct." in body
    assert 'value="alice@example.org"' in body


def test_pages_need_a_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_logout_ends_the_session(alice_client):
    response = alice_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in alice_client.session
    assert alice_client.get("/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, alice, settings):
    response = client.post(reverse("account_reset_password"), {"email": "alice@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    # The link is built from SITE_URL, never from the request's host.
    site = re.escape(settings.SITE_URL)
    link = re.search(rf"{site}(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    form_page = client.get(link.group(1), follow=True)
    new_password = "a long new passphrase for her"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password(new_password)


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert all("nobody@example.org" not in m.to for m in mail.outbox if "reset" in m.body)


def test_a_member_changes_their_password(alice_client, password):
    new_password = "another long passphrase"
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    from members.models import User

    assert User.objects.get(email="alice@example.org").check_password(new_password)


def test_short_and_common_passwords_are_refused(alice_client, password):
    response = alice_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "password123", "password2": "password123"},
    )

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_nobody_can_sign_up_from_the_public_site(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.org", "password1": "x" * 20, "password2": "x" * 20},
    )

    from members.models import User

    assert not User.objects.filter(email="new@example.org").exists()
    assert response.status_code == 200


def test_the_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
