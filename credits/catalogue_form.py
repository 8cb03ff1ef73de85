""" "Find the activity" on Submit CME: search the catalogue, and fill the form from the activity
chosen (docs/rules.md §3). Works without JavaScript: the search is a plain GET form and each
result a link (``?activity=<code>``); with JavaScript the results follow the typing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from credits import catalogue_selectors, rules
from credits.models import Activity

FIND_MAX_LENGTH = catalogue_selectors.QUERY_MAX_LENGTH


def designation_sentence(activity: Activity) -> str:
    """What the activity was designated for, in words ("" when the catalogue does not say)."""
    parts = []
    if activity.max_credits is not None:
        parts.append(
            f"Designated for at most {rules.format_credits(activity.max_credits)} "
            "AMA PRA Category 1 Credits™"
        )
    if activity.patient_safety_credits:
        words = f"{rules.format_credits(activity.patient_safety_credits)} patient safety"
        parts.append(f"of which {words}" if parts else f"Designated for {words} credits")
    return (", ".join(parts) + ".") if parts else ""


def uploads_automatically(activity: Activity) -> bool:
    """Its provider uploads its credits to members' records (they must not enter them)."""
    provider = activity.provider
    if provider is None or not provider.auto_uploaded:
        return False
    day = activity.end_date or timezone.localdate()
    return provider.auto_uploads(day)


@dataclass
class Result:
    activity: Activity
    sentence: str
    automatic: bool


@dataclass
class Find:
    """The search typed on the page and what it found."""

    query: str = ""
    results: list[Result] = field(default_factory=list)
    too_long: bool = False

    @classmethod
    def run(cls, query: object) -> Find:
        text = " ".join(str(query or "").split())
        if len(text) > FIND_MAX_LENGTH:
            return cls(query=text[:FIND_MAX_LENGTH], too_long=True)
        activities = catalogue_selectors.search(text) if text else []
        return cls(
            query=text,
            results=[
                Result(activity, designation_sentence(activity), uploads_automatically(activity))
                for activity in activities
            ],
        )


def chosen(code: object) -> Activity | None:
    """The activity a link or the form names (``None`` for none or an unknown code)."""
    if not code or len(str(code)) > 50:
        return None
    return catalogue_selectors.by_code(str(code), offered_only=False)


def initial_for(activity: Activity) -> dict[str, Any]:
    """The form's values from the catalogue. The credits are left to the member: "Physicians
    should claim only credit commensurate with the extent of their participation"."""
    initial: dict[str, Any] = {
        "activity": activity.code,
        "title": activity.full_title,
        "activity_type": activity.activity_type,
        "category": activity.category,
        "provider": activity.provider.name if activity.provider_id else "",
        "patient_safety_kind": activity.patient_safety_kind,
        "content_areas": list(activity.content_areas),
    }
    for name in ("start_date", "end_date", "city", "state", "country"):
        value = getattr(activity, name)
        if value:
            initial[name] = value
    return initial


def part_sentence(part: Activity) -> str:
    """A part's designation, short: "at most 21.25 credits, 12 of them patient safety"."""
    if part.max_credits is None:
        return ""
    words = f"at most {rules.format_credits(part.max_credits)} credits"
    if part.patient_safety_credits:
        words += f", {rules.format_credits(part.patient_safety_credits)} of them patient safety"
    return words


def parts_of(activity: Activity) -> list[tuple[str, str]]:
    """The parts of a whole activity (or the siblings of a part), each with its designation."""
    whole = activity.parent if activity.parent_id else activity
    parts = [(part.title, part_sentence(part)) for part in whole.parts.order_by("title")]
    if parts and activity.parent_id:
        parts.append((f"{whole.title} in all", part_sentence(whole)))
    return parts
