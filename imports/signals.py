"""Sent when a run finishes or fails, so the app that keeps the audit log records it without
:mod:`imports` importing that app (``members`` connects to it in its ``ready()``)."""

from __future__ import annotations

from django.dispatch import Signal

# Arguments: run (the ImportRun, its status set) and details (a dict of strings: "counts"
# for a finished run, "error" for a failed one).
run_finished = Signal()
