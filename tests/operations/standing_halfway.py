"""Run the standing job as of a day and stop half-way, to be killed there (the standing test).

``python tests/operations/standing_halfway.py 2025-01-01 MAIL_DIR``: the job records its
changes of standing and their audit events, prints "halfway" and waits inside its transaction,
before the members are updated and the transaction commits. Emails, were any sent, would be
files in MAIL_DIR.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))


def main(day: str, mail_dir: str) -> None:
    import django

    django.setup()
    from django.conf import settings

    from reports import standing_job

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    record_many = standing_job.security_log.record_many

    def then_wait(events):
        record_many(events)
        print("halfway", flush=True)
        time.sleep(120)

    standing_job.security_log.record_many = then_wait
    standing_job.evaluate_standing(as_of=dt.date.fromisoformat(day))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cmetrack.settings")
    main(sys.argv[1], sys.argv[2])
