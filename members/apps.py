from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from imports import registry
        from members import audit, email_verification, roster_import, tokens

        audit.connect_allauth_signals()
        audit.connect_import_signals()
        tokens.connect_signals()
        email_verification.connect_allauth_signals()
        registry.register(roster_import.KIND)
