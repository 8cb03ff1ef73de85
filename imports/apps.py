from __future__ import annotations

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Import files: the CSV reading, the run lifecycle and the registry of kinds.

    The lowest app: it imports no other app of the project. Each app registers its kinds of
    import from its own ``AppConfig.ready()`` (:mod:`imports.registry`).
    """

    name = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from imports import tasks  # noqa: F401 -- registers the Celery task by its name
