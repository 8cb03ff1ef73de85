"""A real Celery worker reads a member's certificate while Submit CME waits (CI): the page
shows progress, then the form comes back filled in."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credits import certificate_reading, tasks
from tests.certificate_files import TITLE, certificate_photo
from tests.worker_helpers import celery_worker, wait_until


@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_reads_the_photo_while_the_page_shows_progress(alice, client):
    # The worker runs on the real clock: the kept file's signed token must be signed on it too
    # (the suite's clock is set to its own "today", tests/conftest.py).
    with time_machine.travel(time_machine.escape_hatch.time.time(), tick=True):
        read_on_a_worker(alice, client)


def read_on_a_worker(alice, client) -> None:
    client.force_login(alice.user)
    photo = SimpleUploadedFile("photo.jpg", certificate_photo(), "image/jpeg")
    kept = certificate_reading.keep(user=alice.user, upload=photo)  # as the page does
    progress = reverse("credits:reading")

    assert "<progress" in client.get(progress, {"c": kept.token}).content.decode()

    with celery_worker() as queue:
        tasks.read_certificate.apply_async(args=[alice.user.pk, kept.token], queue=queue)
        wait_until(
            lambda: client.get(progress, {"c": kept.token, "status": "1"}).json()["next"],
            seconds=90,
        )

    status = client.get(progress, {"c": kept.token, "status": "1"}).json()
    assert status["status"] == "done"
    page = client.get(status["next"]).content.decode()
    assert f'value="{TITLE}"' in page
    assert "Read from your certificate" in page
    assert "photo.jpg</strong> is attached" in page
