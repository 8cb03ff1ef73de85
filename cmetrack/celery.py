"""The Celery application, wired the standard way (settings namespace ``CELERY``)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")

app = Celery("cmetrack")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
