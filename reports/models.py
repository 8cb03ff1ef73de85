"""A record of every PDF report issued, so a board can verify a printed copy."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from members.models import Member


def new_verification_code() -> str:
    """128 random bits, URL-safe: unguessable."""
    return secrets.token_urlsafe(16)


class IssuedReport(models.Model):
    """What a CME report PDF said when it was generated, looked up by its printed code."""

    code = models.CharField(max_length=32, unique=True, default=new_verification_code)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="issued_reports")
    window_start = models.DateField()
    window_end = models.DateField()
    compliant = models.BooleanField()
    summary = models.JSONField(help_text="The requirements as printed: counted, required, met.")
    generated_at = models.DateTimeField(auto_now_add=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-generated_at"]

    def __str__(self) -> str:
        return f"CME report {self.code} for {self.member}"
