"""The standing job killed half-way through (SIGKILL, inside its transaction): nothing of it
stays, and the rerun reaches the same final state with each change of standing recorded once,
each audit event written once and each email sent once (CI: PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail

from members.models import AuditEvent, Member, StandingChange
from reports import standing_job
from tests.factories import MemberFactory, on_fixed_cycles
from tests.worker_helpers import ROOT, worker_database_url

DAY = dt.date(2025, 1, 1)
MEMBERS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_standing_job_killed_half_way_is_rerun_to_the_same_end(postgres, tmp_path, capsys):
    members = [on_fixed_cycles(MemberFactory()) for _ in range(MEMBERS)]
    job = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("standing_halfway.py")),
            DAY.isoformat(),
            str(tmp_path / "mail"),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": worker_database_url()},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert job.stdout.readline().strip() == "halfway"
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=10)
    finally:
        if job.poll() is None:
            job.kill()
    killed_at = time.monotonic()

    # The kill undid the half-done run: no change, no audit event, no email, nobody moved.
    assert not StandingChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.STANDING_CHANGED).exists()
    assert not (tmp_path / "mail").exists() or not any((tmp_path / "mail").iterdir())
    assert set(Member.objects.values_list("standing", flat=True)) == {"good"}

    run = standing_job.evaluate_standing(as_of=DAY)
    rerun_seconds = time.monotonic() - killed_at
    assert len(run.transitions) == MEMBERS
    final = set(Member.objects.values_list("pk", "standing", "standing_since"))
    assert final == {(member.pk, "probation", DAY) for member in members}
    assert StandingChange.objects.count() == MEMBERS
    assert AuditEvent.objects.filter(action=AuditEvent.Action.STANDING_CHANGED).count() == MEMBERS
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        member.user.email for member in members
    )

    # Run once more, as the night's schedule or staff would: nothing changes, nobody is emailed.
    assert standing_job.evaluate_standing(as_of=DAY).transitions == []
    assert set(Member.objects.values_list("pk", "standing", "standing_since")) == final
    assert StandingChange.objects.count() == MEMBERS and len(mail.outbox) == MEMBERS
    with capsys.disabled():
        print(f"\nStanding job killed half-way: rerun to the same end in {rerun_seconds:.1f} s")
