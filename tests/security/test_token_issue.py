"""API tokens, getting one: two-factor cannot be bypassed, and guessing is limited by the real
client address and by the web login's per-account lock.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members.models import AuditEvent
from tests.factories import (
    PASSWORD,
    CreditEntryFactory,
    UserFactory,
    in_cme_staff,
    totp_code,
    with_two_factor,
)
from tests.security.token_helpers import addresses, ask, token_client

pytestmark = pytest.mark.django_db


# --- Two-factor through the API ----------------------------------------------------------


def test_staff_with_two_factor_get_no_token_for_the_password_alone(reviewer):
    api = APIClient()

    missing = ask(api, reviewer.email)
    wrong = ask(api, reviewer.email, otp="000000")

    assert missing.status_code == 400
    assert "otp" in missing.json()
    assert wrong.status_code == 400
    assert "otp" in wrong.json()
    assert not Token.objects.filter(user=reviewer).exists()


def test_staff_get_a_token_with_the_code_of_their_authenticator_app(reviewer):
    api = token_client(reviewer.email, otp=totp_code(reviewer.totp_secret))

    assert api.get("/api/v1/reviews/").status_code == 200


def test_the_same_code_is_not_accepted_twice(reviewer):
    code = totp_code(reviewer.totp_secret)
    token_client(reviewer.email, otp=code)
    Token.objects.filter(user=reviewer).delete()

    again = ask(APIClient(), reviewer.email, otp=code)

    assert again.status_code == 400
    assert "otp" in again.json()


def test_a_recovery_code_works_once(reviewer):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(reviewer).generate_codes()[0]
    token_client(reviewer.email, otp=code)
    Token.objects.filter(user=reviewer).delete()

    assert ask(APIClient(), reviewer.email, otp=code).status_code == 400


def test_a_member_with_two_factor_needs_the_code_too(alice):
    with_two_factor(alice.user)

    assert "otp" in ask(APIClient(), alice.user.email).json()
    token_client(alice.user.email, otp=totp_code(alice.user.totp_secret))


def test_staff_without_two_factor_are_told_to_set_it_up_and_get_no_token(db):
    staff = in_cme_staff(UserFactory(email="new.staff@example.org", is_staff=True))

    answer = ask(APIClient(), staff.email)

    assert answer.status_code == 403
    assert "two-factor" in answer.json()["detail"]
    assert not Token.objects.filter(user=staff).exists()


def test_is_staff_outside_the_group_gets_a_token_that_sees_no_member_data(alice, staff_user):
    api = token_client(staff_user.email)
    entry = CreditEntryFactory(member=alice)

    assert api.get(f"/api/v1/credits/{entry.pk}/").status_code == 404
    assert api.get("/api/v1/reviews/").status_code == 403


# --- Guessing -------------------------------------------------------------------------------


def test_a_spoofed_forwarded_for_header_does_not_rotate_the_throttle(db):
    """200 guesses, each with a new X-Forwarded-For, each for a different (unknown) account
    so that only the address limits them: the configured 10 are evaluated, then 429."""
    api = APIClient()
    spoofed = addresses()

    statuses = [
        ask(api, f"guess{n}@example.org", "wrong", HTTP_X_FORWARDED_FOR=next(spoofed)).status_code
        for n in range(200)
    ]

    assert statuses[:10] == [400] * 10
    assert set(statuses[10:]) == {429}


def test_guessing_one_account_from_many_addresses_locks_it(alice):
    """A distributed guesser (a new real address and a new forwarded header each time) is
    stopped by the per-account lock the web login uses, and the right password then gets no
    token either."""
    api = APIClient()
    peers, spoofed = addresses(), addresses()

    statuses = [
        ask(
            api,
            "alice@example.org",
            f"guess {n}",
            REMOTE_ADDR=next(peers),
            HTTP_X_FORWARDED_FOR=next(spoofed),
        ).status_code
        for n in range(200)
    ]
    evaluated = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).count()
    right = ask(api, "alice@example.org", REMOTE_ADDR=next(peers))

    assert evaluated == 5
    assert statuses[:5] == [400] * 5
    assert set(statuses[5:]) == {429}
    assert right.status_code == 429
    assert "token" not in right.json()
    assert not Token.objects.filter(user=alice.user).exists()


def test_a_web_login_lock_refuses_a_token(client, alice):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "alice@example.org", "password": "no"})

    answer = ask(APIClient(), "alice@example.org")

    assert answer.status_code == 429
    assert not Token.objects.filter(user=alice.user).exists()


def test_failed_token_requests_lock_the_web_login(client, alice):
    for _ in range(5):
        assert ask(APIClient(), "alice@example.org", "wrong").status_code == 400

    client.post(reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_toward_the_lock(reviewer):
    for _ in range(5):
        assert ask(APIClient(), reviewer.email, otp="000000").status_code == 400

    answer = ask(APIClient(), reviewer.email, otp=totp_code(reviewer.totp_secret))

    assert answer.status_code == 429


def test_behind_a_proxy_the_address_it_saw_is_the_client(settings, db):
    """With one trusted proxy, the last X-Forwarded-For entry (the one the proxy added) is
    the client; what the client wrote before it is ignored."""
    # What TRUSTED_PROXY_COUNT=1 sets.
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    api = APIClient()
    spoofed = addresses()

    statuses = [
        ask(
            api,
            f"guess{n}@example.org",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"{next(spoofed)}, 203.0.113.9",
        ).status_code
        for n in range(12)
    ]
    other_client = ask(api, "x@example.org", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert statuses[-1] == 429
    assert other_client.status_code == 400
    event = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).first()
    assert event.ip == "203.0.113.10"
