"""Celery tasks of the credits app: reading a member's certificate for Submit CME."""

from __future__ import annotations

from celery import shared_task

from credits import certificate_reading


# Reading is CPU work of a few seconds (OCR): a hard limit stops a runaway document, and a
# reading lost with its worker is not retried (the page gives up and the member types it in).
@shared_task(soft_time_limit=45, time_limit=60, ignore_result=True)
def read_certificate(user_id: int, token: str) -> str:
    return certificate_reading.read_kept(user_id=user_id, token=token)
