"""How CME Track writes dates, credits and statuses: the one home of presentation.

Pages, the PDF, emails and the messages of the rules write a day as ``Jun 15, 2026``
(:func:`day`) and a moment as ``Jun 15, 2026 14:05`` (:func:`moment`, in UTC); CSV exports and
the API write ``2026-06-15`` (:func:`iso_day`). Credits are written as people write them:
``12``, ``1.5``, ``7.25`` (:func:`credits`). The review of a patient-safety claim and the
membership standing have one label each (:data:`REVIEW_LABELS`, :data:`STANDING_LABELS`), and
an entry's badges are derived here once (:func:`entry_badges`), for the template tag
``{% review_badge %}`` and the PDF alike.

Pure Python (no Django, no locale): the rules (``members.standing``, ``credits.rules``) and the
charts use it too, which is why it sits in the lowest app and not in the ``cmetrack`` package
(importing anything under ``cmetrack`` loads Celery; see docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# --- Dates ------------------------------------------------------------------------------------


def day(value: dt.date | None) -> str:
    """``Jun 15, 2026``: a day on pages, in the PDF, in emails and in messages."""
    if value is None:
        return ""
    return f"{MONTHS[value.month - 1][:3]} {value.day}, {value.year}"


def day_span(start: dt.date, end: dt.date) -> str:
    """``Jun 15, 2026`` for one day, ``Jun 15, 2026 – Jun 17, 2026`` for several."""
    return day(start) if start == end else f"{day(start)} – {day(end)}"


def moment(value: dt.datetime | None) -> str:
    """``Jun 15, 2026 14:05``: a moment on pages (the caller says "UTC")."""
    if value is None:
        return ""
    return f"{day(value)} {value:%H:%M}"


def iso_day(value: dt.date | None) -> str:
    """``2026-06-15``: a day in CSV exports and the API."""
    return value.isoformat() if value is not None else ""


def iso_moment(value: dt.datetime | None) -> str:
    """``2026-06-15T14:05:09+00:00``: a moment in the audit log and CSV exports."""
    return value.isoformat(timespec="seconds") if value is not None else ""


def month(value: dt.date) -> str:
    """``Jun 2026``: a month on the axis of a chart."""
    return f"{MONTHS[value.month - 1][:3]} {value.year}"


# --- Credits ----------------------------------------------------------------------------------


def credits(value: Decimal | int | float | str | None) -> str:
    """``1.50`` → ``1.5``, ``150`` → ``150`` (never ``1.5E+2``), ``None`` → ``0``."""
    if value is None or value == "":
        return "0"
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise ValueError(f"Not a number of credits: {value!r}")
        number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + 0
    except (InvalidOperation, TypeError) as error:
        raise ValueError(f"Not a number of credits: {value!r}") from error
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


# --- Statuses ---------------------------------------------------------------------------------

# The values of credits.models.ReviewStatus and members.models.Standing, and their labels.
REVIEW_LABELS = {
    "not_required": "No review needed",
    "pending": "Pending review",
    "approved": "Approved",
    "rejected": "Patient-safety credits rejected",
    "documentation_requested": "Documentation requested",
}
STANDING_LABELS = {
    "good": "In good standing",
    "probation": "On probation",
    "suspended": "Suspended",
    "dropped": "Dropped from membership",
}


def review_label(status: str | None) -> str:
    """The label of a review status; an unknown value as it is, none as "—"."""
    if not status:
        return "—"
    return REVIEW_LABELS.get(status, status)


# The subject of the email a member gets when staff decide on a claim (credits.review_services).
DECISION_SUBJECTS = {
    "approve": "Your patient-safety claim was approved",
    "reject": "Your patient-safety claim was not accepted",
    "request_documentation": "Documentation needed for your patient-safety claim",
}


def decision_subject(decision: str, entry_title: str) -> str:
    """``[CME Track] Your patient-safety claim was approved: “Safe Sedation”``."""
    words = DECISION_SUBJECTS.get(decision, "Your patient-safety claim was reviewed")
    return f"[CME Track] {words}: “{entry_title}”"


@dataclass(frozen=True)
class Badge:
    """A short label next to an entry; ``tone`` is "ok", "warn", "bad" or "" (neutral)."""

    label: str
    tone: str = ""
    title: str = ""


def review_badge(status: str, patient_safety_credits: Decimal | int | None) -> Badge | None:
    """The badge of an entry's review, or None when there is nothing to say."""
    claims = bool(patient_safety_credits)
    if status == "pending" and claims:
        return Badge("PS pending review", "warn")
    if status == "documentation_requested":
        return Badge("Documentation requested", "warn")
    if status == "rejected":
        return Badge("PS rejected", "bad")
    if status == "approved" and claims:
        return Badge("PS approved", "ok")
    return None


def entry_badges(
    *,
    status: str,
    patient_safety_credits: Decimal | int | None,
    imported: bool,
    replaced: bool,
    repeats: bool,
) -> list[Badge]:
    """Every badge of an entry, in the order pages show them: imported, review, replaced."""
    badges = [Badge("Imported")] if imported else []
    review = review_badge(status, patient_safety_credits)
    if review:
        badges.append(review)
    if replaced:
        title = "Replaced by the society's record of this activity: it does not count"
        badges.append(Badge("Replaced", "warn", title))
    elif repeats:
        title = "Same title, provider and dates as another entry"
        badges.append(Badge("Repeats your entry" if imported else "Duplicate", "warn", title))
    return badges
