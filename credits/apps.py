from __future__ import annotations

from django.apps import AppConfig


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = "CME credits"
