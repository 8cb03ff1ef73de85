"""What the hardening tests share."""

from __future__ import annotations

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


SITE = "https://cme.example.org"


SPOOFED_HOST = "attacker.example"
