"""Smaller holes closed in what the site answers: password rules, caching of private answers,
the site's own links, and the health check's cache.
"""

from __future__ import annotations

import io
import os
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.cache import never_cache
from pypdf import PdfReader

from cmetrack.middleware import PrivateResponsesMiddleware
from tests.conftest import require_service
from tests.factories import PASSWORD, CreditEntryFactory, MemberFactory
from tests.security.hardening_helpers import PNG_BYTES, SITE, SPOOFED_HOST
from tests.test_health import healthz_in_a_process

pytestmark = pytest.mark.django_db


# --- Passwords ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "word"),
    [
        ("Alice loves long walks", "alice"),
        ("my surname is ABLE indeed", "able"),
        ("the best cme of the year!", "cme"),
        ("Cme-Track is the place to be", "cmetrack"),
        ("a society called asaps rocks", "asaps"),
        ("running on the race track", "track"),
    ],
)
def test_passwords_with_context_words_are_refused(alice, password, word):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, alice.user)

    assert word in " ".join(refused.value.messages).lower()


def test_passwords_with_the_asps_id_or_the_email_are_refused(alice):
    with pytest.raises(ValidationError):
        validate_password(f"my number is {alice.asps_id} ok", alice.user)
    staff = MemberFactory(user__email="j.random-hacker@example.org").user
    with pytest.raises(ValidationError):
        validate_password("random stuff for a passphrase", staff)


def test_whitespace_only_passwords_are_refused(alice):
    with pytest.raises(ValidationError) as refused:
        validate_password(" " * 20, alice.user)

    assert "only spaces" in " ".join(refused.value.messages)
    validate_password("correct horse battery staple", alice.user)  # still fine


NAMED = "alice in wonderland"
PRODUCT = "CME track forever"


def test_the_reset_and_change_forms_show_the_new_rules(client, alice, alice_client):
    changed = alice_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "alice in wonderland",
            "password2": "alice in wonderland",
        },
    )
    assert changed.status_code == 200
    assert "can&#x27;t contain your name" in changed.content.decode()

    client.logout()
    client.post(reverse("account_reset_password"), {"email": alice.user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    target = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1)
    blank = " " * 16
    refused = client.post(target, {"password1": blank, "password2": blank})
    assert refused.status_code == 200
    assert "only spaces" in refused.content.decode()
    named = client.post(
        target, {"password1": "CME track forever", "password2": "CME track forever"}
    )
    assert named.status_code == 200
    assert "name of this site or of the society" in named.content.decode()
    alice.user.refresh_from_db()
    assert alice.user.check_password(PASSWORD)


def test_the_set_password_form_shows_the_new_rules(client):
    member = MemberFactory(user__email="newcomer@example.org", first_name="Nadia")
    member.user.set_unusable_password()
    member.user.save()
    client.force_login(member.user)

    for password, message in [
        (" " * 14, "only spaces"),
        ("nadia the surgeon", "can&#x27;t contain your name"),
        ("newcomer at heart", "can&#x27;t contain your name"),
    ]:
        refused = client.post(
            reverse("account_set_password"), {"password1": password, "password2": password}
        )
        assert refused.status_code == 200, password
        assert message in refused.content.decode(), password
    member.user.refresh_from_db()
    assert not member.user.has_usable_password()


# --- Cache-Control on authenticated answers -------------------------------------------------


def assert_private(response) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, response.get("Cache-Control")


def test_authenticated_pages_and_files_are_not_stored(alice_client, alice):
    entry = CreditEntryFactory(
        member=alice, certificate=SimpleUploadedFile("c.png", PNG_BYTES, "image/png")
    )
    for url in [
        "/",
        "/reports/cme/",
        "/reports/cme/pdf/",
        "/reports/cme/csv/",
        reverse("credits:certificate", args=[entry.pk]),
        reverse("credits:detail", args=[entry.pk]),
        "/api/v1/me/",
    ]:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_private(response)


def test_api_answers_to_a_token_are_not_stored(client, alice):
    token = client.post(
        "/api/v1/auth/token/", {"email": alice.user.email, "password": PASSWORD}
    ).json()["token"]

    for url in ["/api/v1/me/", "/api/v1/credits/", "/api/v1/compliance/"]:
        response = client.get(url, HTTP_AUTHORIZATION=f"Token {token}")
        assert response.status_code == 200, url
        assert_private(response)


def test_the_answer_to_a_login_is_not_stored(client, alice):
    response = client.post(
        reverse("account_login"), {"login": alice.user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert_private(response)
    assert_private(client.get("/"))


def test_anonymous_public_pages_are_left_alone(client):
    response = client.get(reverse("account_login"))

    assert "no-store" not in response.get("Cache-Control", "") or "max-age=0" in response.get(
        "Cache-Control", ""
    )  # allauth's own never_cache, not ours


def test_a_stricter_cache_control_is_kept(alice):
    @never_cache
    def view(request):
        return HttpResponse("private")

    request = RequestFactory().get("/")
    request.user = alice.user
    response = PrivateResponsesMiddleware(view)(request)

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache", "must-revalidate", "max-age=0"} <= directives


def test_a_public_directive_becomes_private(alice):
    def view(request):
        response = HttpResponse("mine")
        response["Cache-Control"] = "public, max-age=600"
        return response

    request = RequestFactory().get("/")
    request.user = alice.user
    response = PrivateResponsesMiddleware(view)(request)

    assert "public" not in response["Cache-Control"]
    assert_private(response)


# --- Links from SITE_URL, never from the Host header --------------------------------------


@pytest.fixture
def spoofable(settings):
    settings.ALLOWED_HOSTS = ["testserver", SPOOFED_HOST]
    settings.SITE_URL = SITE


def test_the_pdf_verify_link_uses_site_url(spoofable, alice_client):
    response = alice_client.get(reverse("reports:cme_pdf"), HTTP_HOST=SPOOFED_HOST)

    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"{SITE}/verify/" in text.replace("\n", "")
    assert SPOOFED_HOST not in text


def test_the_password_reset_email_links_to_site_url(spoofable, client, alice):
    response = client.post(
        reverse("account_reset_password"), {"email": alice.user.email}, HTTP_HOST=SPOOFED_HOST
    )

    assert response.status_code == 302
    body = mail.outbox[-1].body
    assert f"{SITE}/accounts/password/reset/key/" in body
    assert SPOOFED_HOST not in body and "testserver" not in body
    assert "cme.example.org" in body  # the site's name/domain allauth signs with


# --- /healthz checks the cache ------------------------------------------------------------


def test_healthz_checks_the_cache(client):
    body = client.get("/healthz").json()

    assert body["cache"] == "ok"


def test_healthz_reports_the_cache_down_when_redis_is():
    answer = healthz_in_a_process(REDIS_URL="redis://127.0.0.1:1/0")

    assert answer["status_code"] == 503
    assert answer["status"] == "error"
    assert answer["cache"] == "error"
    assert answer["database"] == "ok"


def test_healthz_says_ok_when_redis_answers():
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "Redis (REDIS_URL)")

    answer = healthz_in_a_process(REDIS_URL=redis_url)

    assert answer["cache"] == "ok"
    assert answer["database"] == "ok"
