"""The checks of an entry that names a catalogue activity (docs/rules.md §3 "Designated
maximum", §4 "Decided by the catalogue").

- :func:`check_activity` (with the other checks of one entry, no query but the lookup): the
  activity exists, the content areas are known ones (the activity's fill in an empty list),
  and the credits stay within what the activity (and the whole it is part of) designates;
- :func:`check_claimed` (at save, with the member locked): the same, counting what the member
  already claimed on the activity in other entries;
- :func:`vouching_designation`: the designation that approves a patient-safety claim without a
  reviewer, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from credits import catalogue_selectors, rules
from credits.models import CONTENT_AREAS, Activity, CreditEntry, ReviewStatus
from members.models import Member

UNKNOWN_ACTIVITY = (
    "No activity in the catalogue has the code {code}: find it again, or leave it out."
)
UNKNOWN_AREAS = "Choose content areas from the list."


def resolve(value: object, lookup: Callable[[str], Activity | None]) -> Activity | str | None:
    """The activity named by ``value`` (an activity, its code, or nothing); the code itself
    when no activity has it."""
    if value is None or isinstance(value, Activity):
        return value
    code = " ".join(str(value).split())
    if not code:
        return None
    if "\x00" in code:  # no code holds one (and the database refuses to look it up)
        return code.replace("\x00", "")
    return lookup(code) or code


def _any_activity(code: str) -> Activity | None:
    return catalogue_selectors.by_code(code, offered_only=False)


def own_designations(activity: Activity) -> list[rules.Designation]:
    """The designations a claim on ``activity`` falls under, with nothing claimed yet."""
    designations = [activity.designation()]
    if activity.parent_id is not None:
        designations.append(activity.parent.designation())
    return designations


def check_activity(
    cleaned: dict[str, Any],
    errors: Any,
    lookup: Callable[[str], Activity | None] | None = None,
) -> None:
    """Resolve ``cleaned["activity"]`` and check the claim against its designation (no query
    but the lookup); fill in the content areas."""
    found = resolve(cleaned.get("activity"), lookup or _any_activity)
    if isinstance(found, str):
        errors.add("activity", UNKNOWN_ACTIVITY.format(code=found[:50]))
        found = None
    cleaned["activity"] = found
    areas = cleaned.get("content_areas")
    if areas in (None, ""):
        areas = []
    if isinstance(areas, str):
        areas = [area for area in areas.replace(",", ";").split(";") if area.strip()]
    if not isinstance(areas, list | tuple) or any(
        not isinstance(area, str) or area.strip() not in CONTENT_AREAS for area in areas
    ):
        errors.add("content_areas", UNKNOWN_AREAS)
        areas = []
    areas = list(dict.fromkeys(area.strip() for area in areas))
    if not areas and found is not None:
        areas = list(found.content_areas)
    cleaned["content_areas"] = areas
    credits = cleaned.get("credits")
    if found is None or not isinstance(credits, Decimal) or "credits" in errors:
        return
    problem = rules.credits_problem(own_designations(found), credits)
    if problem:
        errors.add("credits", problem)


def check_claimed(*, member: Member, values: dict[str, Any], entry: CreditEntry | None) -> None:
    """The designated maximum, counting the member's other entries for the same activity."""
    activity = values.get("activity")
    if not isinstance(activity, Activity):
        return
    designations = catalogue_selectors.designations_for(
        member=member, activity=activity, exclude_entry_id=entry.pk if entry else None
    )
    problem = rules.credits_problem(designations, values["credits"])
    if problem:
        raise ValidationError({"credits": [problem]})


def vouching_designation(entry: CreditEntry) -> rules.Designation | None:
    """The designation that approves this self-reported patient-safety claim without a
    reviewer: the entry names a catalogue activity that designates patient-safety credits of
    the same topic, and the claim (with the member's others on it) stays within them."""
    activity = entry.activity
    if (
        activity is None
        or entry.review_status != ReviewStatus.PENDING
        or entry.patient_safety_kind != activity.patient_safety_kind
    ):
        return None
    designations = catalogue_selectors.designations_for(
        member=entry.member, activity=activity, exclude_entry_id=entry.pk
    )
    return rules.patient_safety_within_designation(designations, entry.patient_safety_credits)
