"""The group reminder's email (plain text and HTML): the member's own deficit per requirement
and the day their cycle ends, with links to the dashboard and to Submit CME."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse

from credits import rules
from credits.models import ComplianceSummary
from credits.rules.amounts import plural
from credits.rules.requirements import MISSING_NOUNS
from members.formatting import day

# The requirements short, in the order the email lists them (docs/rules.md §1).
SHORTS = (
    ("total_short", rules.RequirementCode.TOTAL),
    ("category_1_short", rules.RequirementCode.CATEGORY_1),
    ("plastic_surgery_short", rules.RequirementCode.PLASTIC_SURGERY),
    ("patient_safety_short", rules.RequirementCode.PATIENT_SAFETY),
)
# "of which 12 patient safety": the parts of the total still needed of each kind.
PART_WORDS = {
    "category_1_short": "AMA PRA Category 1",
    "plastic_surgery_short": "plastic surgery",
    "patient_safety_short": "patient safety",
}


def missing_lines(summary: ComplianceSummary) -> list[str]:
    """E.g. ``["34 more credits (Category 1 or 2)", "12 more patient-safety credits"]``."""
    return [
        plural(getattr(summary, field), MISSING_NOUNS[code])
        for field, code in SHORTS
        if getattr(summary, field) > 0
    ]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def headline(summary: ComplianceSummary, *, today: dt.date) -> str:
    """One sentence with the member's deficit, e.g. "You still need 34 more credits, of which
    12 patient safety, by Dec 31, 2026." (a credit may count toward several requirements, so
    the parts are "of which", never added to the total). A cycle already ended: "... for the
    cycle that ended on Dec 31, 2024."."""
    by = (
        f"by {day(summary.cycle_end)}"
        if summary.cycle_end >= today
        else f"for the cycle that ended on {day(summary.cycle_end)}"
    )
    if summary.total_short > 0:
        parts = [
            f"{rules.format_credits(getattr(summary, field))} {words}"
            for field, words in PART_WORDS.items()
            if getattr(summary, field) > 0
        ]
        needed = plural(summary.total_short, "more credit{s}")
        of_which = f", of which {_join(parts)}," if parts else ""
        return f"You still need {needed}{of_which} {by}."
    return f"You still need {_join(missing_lines(summary))} {by}."


def subject(summary: ComplianceSummary, *, today: dt.date) -> str:
    needed = plural(max(summary.short_by, Decimal(0)), "more credit{s}")
    if summary.cycle_end < today:
        return f"[CME Track] Your CME cycle that ended on {day(summary.cycle_end)}: {needed} needed"
    return f"[CME Track] Your CME: {needed} needed by {day(summary.cycle_end)}"


def links() -> dict[str, str]:
    """The dashboard's and Submit CME's addresses (the same in every email: worked out once
    per batch)."""
    return {
        "dashboard_url": f"{settings.SITE_URL}{reverse('dashboard')}",
        "submit_url": f"{settings.SITE_URL}{reverse('credits:new')}",
    }


def context(
    summary: ComplianceSummary, *, today: dt.date, urls: dict[str, str] | None = None
) -> dict[str, object]:
    days_left = (summary.cycle_end - today).days
    return {
        "member": summary.member,
        "summary": summary,
        "headline": headline(summary, today=today),
        "ended": summary.cycle_end < today,
        "missing": missing_lines(summary),
        "days_left": max(days_left, 0),
        **(urls or links()),
    }


@dataclass(frozen=True)
class Parts:
    """What every email of a batch shares: the links and the two templates, loaded once."""

    urls: dict[str, str]
    text: Any
    html: Any

    @classmethod
    def load(cls) -> Parts:
        return cls(
            urls=links(),
            text=get_template("emails/group_reminder.txt"),
            html=get_template("emails/group_reminder.html"),
        )


def message(
    summary: ComplianceSummary, *, today: dt.date, parts: Parts | None = None, connection=None
) -> EmailMultiAlternatives:
    """The email to the member of ``summary`` (its member and user loaded)."""
    parts = parts or Parts.load()
    values = context(summary, today=today, urls=parts.urls)
    email = EmailMultiAlternatives(
        subject=subject(summary, today=today),
        body=parts.text.render(values),
        to=[summary.member.user.email],
        connection=connection,
    )
    email.attach_alternative(parts.html.render(values), "text/html")
    return email
