"""The project's Celery app with a beat schedule of one entry every second, to a queue no worker
takes: the Redis test counts what beat sent (``celery -A tests.operations.beat_app beat``)."""

from __future__ import annotations

from cmetrack.celery import app

BEAT_QUEUE = "beat-drill"

app.conf.beat_schedule = {
    "drill": {
        "task": "reports.tasks.evaluate_standing",
        "schedule": 1.0,
        "options": {"queue": BEAT_QUEUE},
    }
}
