"""Celery tasks of the credits app: reading a member's certificate for Submit CME, and clearing
the certificates kept for forms that were never submitted."""

from __future__ import annotations

from celery import shared_task

from credits import certificate_reading, pending_certificates


# Reading is CPU work of a few seconds (OCR): a hard limit stops a runaway document, and a
# reading lost with its worker is not retried (the page gives up and the member types it in).
@shared_task(soft_time_limit=45, time_limit=60, ignore_result=True)
def read_certificate(user_id: int, token: str) -> str:
    return certificate_reading.read_kept(user_id=user_id, token=token)


@shared_task(ignore_result=True)
def purge_kept_certificates() -> int:
    """Delete the certificates kept for a form (or a reading) longer than their tokens last."""
    return pending_certificates.purge_stale()
