from __future__ import annotations

from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "CME credits"

    def ready(self) -> None:
        from credits import (
            abps_import,
            catalogue_import,
            compliance_summary_services,
            meeting_import,
        )
        from imports import registry

        compliance_summary_services.connect_signals()

        registry.register(meeting_import.KIND)
        registry.register(abps_import.KIND)
        registry.register(catalogue_import.KIND)
