"""What the tests of "Ways to earn patient-safety credits" share (the pages' and the browser's)."""

from __future__ import annotations

import importlib

TOPS = "PS-ASPS-TOPS"  # the quality-assurance resource
IHI = "PS-IHI-OPEN-SCHOOL"  # up to 10 credits, from a provider that does not upload them
ASPS_VTE = "PS-ASPS-VTE"  # ASPS: its credits arrive by themselves


def shipped_catalogue() -> None:
    """The known providers and the catalogue as the data migrations make them.

    A transactional test (the browser tests) empties the tables when it ends, the migrations'
    data included; they are made again here when that has happened (both are idempotent).
    """
    from django.apps import apps

    providers = importlib.import_module("credits.migrations.0002_known_providers")
    catalogue = importlib.import_module("credits.migrations.0013_catalogue_data")
    providers.add_known_providers(apps, None)
    catalogue.add_catalogue(apps, None)
