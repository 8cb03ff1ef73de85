"""What the counted-once tests share: a meeting-file row, an import run, a member's own entry,
the API as a member."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from rest_framework.test import APIClient

from credits import meeting_import, rules, selectors, services
from credits.models import CreditEntry
from imports import services as common
from imports.models import ImportRun
from tests.factories import PASSWORD

TODAY = dt.date(2026, 6, 1)


YEAR_2025 = rules.Window(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


HAND_COURSE = {
    "title": "Hand Course 2025",
    "activity_type": "live_activity",
    "category": 1,
    "provider": "ACS",
    "start_date": dt.date(2025, 3, 10),
    "end_date": dt.date(2025, 3, 10),
    "credits": Decimal("10"),
    "patient_safety_credits": Decimal("0"),
    "patient_safety_kind": "general",
    "plastic_surgery_credits": Decimal("10"),
    "city": "Chicago",
    "state": "IL",
    "country": "United States",
}


def row(member, **changes: str) -> dict[str, str]:
    """The meeting file's row of the Hand Course for ``member``."""
    return {
        "asps_id": member.asps_id,
        "activity_code": "HAND25-A",
        "activity_title": "Hand Course 2025",
        "provider": "ACS",
        "start_date": "2025-03-10",
        "end_date": "2025-03-10",
        "category": "1",
        "credits": "10",
        "patient_safety_credits": "0",
        "patient_safety_kind": "general",
        "plastic_surgery_credits": "10",
        "evaluation_completed_on": "2025-04-01",
        **changes,
    }


def run_import(*rows: dict[str, str], today: dt.date = TODAY) -> ImportRun:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=meeting_import.MEETING_REQUIRED, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    run = common.run_create(
        kind=ImportRun.Kind.MEETING_CREDITS, file_name="meeting.csv", content=out.getvalue()
    )
    run = common.perform_run(
        run.pk, lambda r: meeting_import.import_meeting_credits(r, today=today)
    )
    assert (run.status, run.rejected) == ("done", 0)
    return run


def own_entry(member, **changes: object) -> CreditEntry:
    return services.entry_create(member=member, values={**HAND_COURSE, **changes}, today=TODAY)


def category_1(member) -> Decimal:
    return selectors.totals_for(member, YEAR_2025).category_1


def api_for(member) -> APIClient:
    client = APIClient()
    answer = client.post(
        "/api/v1/auth/token/", {"email": member.user.email, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return client


def api_earned(client: APIClient, code: str = "category_1") -> Decimal:
    answer = client.get("/api/v1/compliance/", {"start": "2025-01-01", "end": "2025-12-31"})
    assert answer.status_code == 200, answer.content
    return next(Decimal(r["earned"]) for r in answer.json()["requirements"] if r["code"] == code)
