from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from members import access


@dataclass(frozen=True)
class SiteFromSettings:
    """What allauth's email templates call ``current_site``: the site's name and its host
    from ``SITE_URL``, never from the request's Host header."""

    name: str
    domain: str


def site_url(path: str) -> str:
    """An absolute link to ``path`` on this site, from ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}"


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

    # Links in emails come from SITE_URL: a request's Host header is the client's to choose.

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        site = SiteFromSettings(name="CME Track", domain=urlsplit(settings.SITE_URL).netloc)
        super().send_mail(template_prefix, email, {**context, "current_site": site})

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(
        self, request: HttpRequest | None, emailconfirmation: EmailConfirmation
    ) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Staff who verified their address so as to set up two-factor go back to it."""
        user = self.request.user
        if user.is_authenticated and access.needs_two_factor(user):
            return reverse("mfa_activate_totp")
        return super().get_email_verification_redirect_url(email_address)
