from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


def login_attempts_key(email: str) -> str:
    """The key of an account's failed-login lock, shared by the web login and the API's
    token endpoint (members.tokens)."""
    return f"login:{email.strip().lower()}"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from the society's roster or from staff, never from a public form."""
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """By the email alone. allauth's own key starts with the request's host, port
        included, so a guesser could start a fresh count with every ``Host: site:<port>``."""
        return login_attempts_key(str(credentials.get("email", credentials.get("username", ""))))
