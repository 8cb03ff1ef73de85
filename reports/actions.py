"""The dashboard's "Action needed" strip: what the member has to do, each with a count and a
link to where to do it. Built from what the dashboard already read plus two queries (the
entries to act on, the held meeting credits): a constant number whatever the record's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from credits import rules
from credits.models import CreditEntry
from members import formatting

# Public pages of the societies a member knows from the ASPS member portal.
EARN_CME_URL = "https://www.plasticsurgery.org/for-medical-professionals/education"
PATIENT_SAFETY_URL = (
    "https://www.plasticsurgery.org/for-medical-professionals/education/patient-safety"
)
AMA_URL = "https://www.ama-assn.org"
ABPS_URL = "https://www.abplasticsurgery.org"


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    external: bool = False


@dataclass(frozen=True)
class Action:
    """One line of the strip: ``kind`` (documentation, rejected, evaluation, provisional),
    a ``title`` with its count in words, what to do (``hint``), and where (``links``)."""

    kind: str
    count: int | Decimal
    title: str
    hint: str
    links: tuple[Link, ...]


def counted(count: int, one: str, many: str) -> str:
    """``"1 documentation request"``, ``"3 documentation requests"``."""
    return f"{count} {one if count == 1 else many}"


def _entry_links(entries: Iterable[CreditEntry], count: int) -> tuple[Link, ...]:
    links = [
        Link(
            f"{entry.title} ({formatting.day(entry.end_date)})",
            reverse("credits:detail", args=[entry.pk]),
        )
        for entry in entries
    ]
    if count > len(links):
        links.append(Link(f"All your entries ({count - len(links)} more)", reverse("credits:list")))
    return tuple(links)


def actions_needed(
    *,
    reviews: Mapping[str, int],
    entries: Sequence[CreditEntry],
    held_count: int,
    held: Sequence[Mapping[str, object]],
    verdicts: Iterable[tuple[str, rules.Verdict]],
) -> list[Action]:
    """The strip's lines, most urgent first; empty when nothing is needed.

    ``entries``: :func:`credits.selectors.entries_needing_action`; ``verdicts``: (society,
    verdict) of the current cycle, one per distinct verdict shown on the dashboard.
    """
    actions: list[Action] = []
    requested = reviews.get("documentation_requested", 0)
    if requested:
        actions.append(
            Action(
                "documentation",
                requested,
                counted(requested, "documentation request", "documentation requests"),
                "Upload the certificate on the entry; the review goes on once it is there.",
                _entry_links((e for e in entries if e.wants_documentation), requested),
            )
        )
    rejected = reviews.get("rejected", 0)
    if rejected:
        actions.append(
            Action(
                "rejected",
                rejected,
                counted(
                    rejected,
                    "patient-safety claim not accepted",
                    "patient-safety claims not accepted",
                ),
                "Read the reviewer's note on the entry, then correct the claim or remove it.",
                _entry_links(
                    (
                        e
                        for e in entries
                        if not e.wants_documentation and e.review_status == "rejected"
                    ),
                    rejected,
                ),
            )
        )
    if held_count:
        titles = "; ".join(str(row["title"]) for row in held)
        more = f" and {held_count - len(held)} more" if held_count > len(held) else ""
        actions.append(
            Action(
                "evaluation",
                held_count,
                counted(
                    held_count,
                    "meeting credit waiting for your CME evaluation",
                    "meeting credits waiting for your CME evaluation",
                ),
                f"Complete the meeting's CME evaluation ({titles}{more}); the society posts "
                "the credits to your record after that.",
                (Link("Complete the evaluation on the ASPS education site", EARN_CME_URL, True),),
            )
        )
    for society, verdict in verdicts:
        if verdict.provisional:
            whose = f"{society}: " if society else ""
            actions.append(
                Action(
                    "provisional",
                    verdict.pending,
                    f"{whose}{rules.pending_sentence(verdict.pending)}",
                    "Staff are reviewing these claims. Keep the certificates at hand; more "
                    "patient-safety CME would make the requirement safe either way.",
                    (
                        Link("Your entries", reverse("credits:list")),
                        Link("Patient-safety CME", PATIENT_SAFETY_URL, True),
                    ),
                )
            )
    return actions


# The links members know from the ASPS member portal (the dashboard and the report).
MEMBER_LINKS = (
    Link("Where to earn CME (ASPS education)", EARN_CME_URL, True),
    Link("Patient-safety CME resources (ASPS)", PATIENT_SAFETY_URL, True),
    Link("AMA physician resources", AMA_URL, True),
    Link("American Board of Plastic Surgery (ABPS)", ABPS_URL, True),
)
