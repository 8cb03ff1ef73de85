from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from imports import registry
        from members import email_verification, roster_import, security_log, tokens

        security_log.connect_allauth_signals()
        security_log.connect_import_signals()
        tokens.connect_signals()
        email_verification.connect_allauth_signals()
        registry.register(roster_import.KIND)
