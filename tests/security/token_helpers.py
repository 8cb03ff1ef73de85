"""What the token tests share: asking for a token, a client holding one."""

from __future__ import annotations

import itertools

from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
)

TOKEN_URL = "/api/v1/auth/token/"


PDF_BYTES = b"%PDF-1.4 a certificate"


def ask(client: APIClient, email: str, password: str = PASSWORD, **extra: str):
    """Fields in lower case (``otp``) go in the body; META keys (``REMOTE_ADDR``,
    ``HTTP_X_FORWARDED_FOR``) describe the request."""
    fields = {key: value for key, value in extra.items() if key.islower()}
    meta = {key: value for key, value in extra.items() if not key.islower()}
    return client.post(
        TOKEN_URL, {"email": email, "password": password, **fields}, format="json", **meta
    )


def token_client(email: str, **extra: object) -> APIClient:
    client = APIClient()
    answer = ask(client, email, **extra)
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def addresses():
    """A different client address on every call: 10.0.0.1, 10.0.0.2, ..."""
    for n in itertools.count(1):
        yield f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
