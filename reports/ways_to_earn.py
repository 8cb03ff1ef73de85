"""The section "Ways to earn patient-safety credits": the catalogue's patient-safety
resources, offered on the dashboard and the CME report page to a member short of
patient-safety credits in the current cycle (docs/rules.md §1 and §6).

Built from what the page already read (the cycle's totals, the verdict of each body): nothing
is read when the member is not short, and one query (the resources) when they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from credits import catalogue_selectors, rules
from credits.certification_selectors import BodyStatus
from credits.models import Activity
from members.models import Member

SHOWN_FIRST = 5  # resources shown before "N more"

# What kind of resource it is, in a word or two ("Article", "Online course").
KIND_WORDS = {
    rules.ActivityType.JOURNAL_ARTICLE: "Article",
    rules.ActivityType.PUBLICATION: "Article",
    rules.ActivityType.ENDURING_MATERIAL: "Online course",
    rules.ActivityType.LIVE_ACTIVITY: "Course",
    rules.ActivityType.RSS: "Course",
    rules.ActivityType.SELF_ASSESSMENT: "Self-assessment",
}


@dataclass(frozen=True)
class Resource:
    """One resource as the section shows it. ``record_url`` opens Submit CME with the
    activity chosen; ``None`` when its provider posts the credits itself (``auto_posted``)."""

    code: str
    title: str
    provider: str
    kind: str
    credits: str
    url: str
    note: str
    record_url: str | None

    @property
    def auto_posted(self) -> bool:
        return self.record_url is None


@dataclass(frozen=True)
class WaysToEarn:
    """The section: what each body still wants, the resources, and why some are left out.

    The first few resources show; the others wait behind "N more" (a phone stays short)."""

    needed: tuple[tuple[str, str], ...]  # (bodies, what they still want)
    resources: tuple[Resource, ...]
    left_out: str

    @property
    def first(self) -> tuple[Resource, ...]:
        if len(self.resources) <= SHOWN_FIRST + 1:  # never "1 more"
            return self.resources
        return self.resources[:SHOWN_FIRST]

    @property
    def more(self) -> tuple[Resource, ...]:
        return self.resources[len(self.first) :]


def shortfalls(
    *,
    member: Member,
    totals: rules.Totals,
    compliance: rules.Compliance,
    bodies: Sequence[BodyStatus],
    window: rules.Window,
) -> list[rules.Shortfall]:
    """The bodies whose patient-safety requirement the member is short of in the current
    cycle ``window``: ASPS (``compliance``) for its members, ASAPS and the ABPS from
    ``bodies`` (certification_selectors.bodies_for)."""
    found = []
    if member.asps_member:
        found.append(rules.society_shortfall(compliance, totals, deadline=window.end))
    for body in bodies:
        if body.compliance is not None:
            found.append(rules.society_shortfall(body.compliance, totals, deadline=window.end))
        elif body.certification is not None:
            found.append(rules.board_shortfall(body.certification))
    return [shortfall for shortfall in found if shortfall is not None]


def _credits(activity: Activity) -> str:
    if activity.max_credits is None:
        return ""
    text = f"up to {rules.format_credits(activity.max_credits)} credits"
    safety = activity.patient_safety_credits
    if safety is not None and safety != activity.max_credits:
        text += f", {rules.format_credits(safety)} in patient safety"
    return text


def _most_credits_first(activity: Activity) -> tuple[bool, Decimal]:
    """Those stating the most credits first; the rest keep their order (by title)."""
    stated = activity.max_credits
    return (stated is None, -(stated or rules.ZERO_CREDITS))


def _resource(activity: Activity, found: Sequence[rules.Shortfall], *, as_of: dt.date) -> Resource:
    provider = activity.provider
    auto_posted = provider is not None and provider.auto_uploads(as_of)
    return Resource(
        code=activity.code,
        title=activity.full_title,
        provider=(provider.abbreviation or provider.name) if provider else "",
        kind=KIND_WORDS.get(activity.activity_type, "Activity"),
        credits=_credits(activity),
        url=activity.url,
        note=rules.topic_note(rules.PatientSafetyKind(activity.patient_safety_kind), found),
        record_url=None
        if auto_posted
        else f"{reverse('credits:new')}?{urlencode({'activity': activity.code})}",
    )


def ways_to_earn(
    *,
    member: Member,
    totals: rules.Totals,
    compliance: rules.Compliance,
    bodies: Sequence[BodyStatus],
    window: rules.Window,
    as_of: dt.date,
) -> WaysToEarn | None:
    """The section for a member in the current cycle ``window``, or ``None`` when no body
    wants more patient-safety credits (no query then) or no resource still counts."""
    found = shortfalls(
        member=member, totals=totals, compliance=compliance, bodies=bodies, window=window
    )
    if not found:
        return None
    used_up = rules.topics_used_up(found)
    activities = catalogue_selectors.patient_safety_resources(used_up=used_up)
    if not activities:
        return None
    needed: dict[str, list[str]] = {}
    for shortfall in found:  # ASPS and ASAPS wanting the same on one line
        needed.setdefault(shortfall.still_needed, []).append(shortfall.body)
    return WaysToEarn(
        needed=tuple((" and ".join(names), wanted) for wanted, names in needed.items()),
        resources=tuple(
            _resource(activity, found, as_of=as_of)
            for activity in sorted(activities, key=_most_credits_first)
        ),
        left_out=rules.left_out_sentence(used_up, found),
    )
