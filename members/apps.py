from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from members import email_verification, security_log, tokens

        security_log.connect_allauth_signals()
        tokens.connect_signals()
        email_verification.connect_allauth_signals()
