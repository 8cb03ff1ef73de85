from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.http import HttpRequest
from django.urls import reverse

from cmetrack.http import site_url

SITE_NAME = "CME Track"


class _SiteFromSettings(RequestSite):
    """What allauth's emails call ``current_site``: our name and SITE_URL's host."""

    def __init__(self) -> None:
        self.domain = urlsplit(settings.SITE_URL).netloc
        self.name = SITE_NAME


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts come from the society's roster or from staff, never from a public form."""
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The password-reset link in the email, on SITE_URL (not the request's host)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

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
