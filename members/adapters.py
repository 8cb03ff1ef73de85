from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress, EmailConfirmation
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.http import HttpRequest
from django.urls import reverse

from cmetrack.http import site_url
from members import access

SITE_NAME = "CME Track"


class _SiteFromSettings(RequestSite):
    """What allauth's emails call ``current_site``: our name and SITE_URL's host."""

    def __init__(self) -> None:
        self.domain = urlsplit(settings.SITE_URL).netloc
        self.name = SITE_NAME


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

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The password-reset link in the email, on SITE_URL (not the request's host)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(
        self, request: HttpRequest | None, emailconfirmation: EmailConfirmation
    ) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every link allauth puts in an email (``*_url``) and the site's name and domain come
        from SITE_URL, whatever Host the request that triggered the email carried."""
        site_context = {
            key: site_url(value)
            for key, value in context.items()
            if key.endswith("_url") and isinstance(value, str) and value
        }
        super().send_mail(
            template_prefix, email, {**context, **site_context, "current_site": _SiteFromSettings()}
        )

    def get_email_verification_redirect_url(self, email_address: EmailAddress) -> str:
        """Staff who verified their address so as to set up two-factor go back to it."""
        user = self.request.user
        if user.is_authenticated and access.needs_two_factor(user):
            return reverse("mfa_activate_totp")
        return super().get_email_verification_redirect_url(email_address)
