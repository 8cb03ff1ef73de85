from __future__ import annotations

from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "CME credits"

    def ready(self) -> None:
        from credits import abps_import, catalogue_import, meeting_import
        from imports import registry

        registry.register(meeting_import.KIND)
        registry.register(abps_import.KIND)
        registry.register(catalogue_import.KIND)
