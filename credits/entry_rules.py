"""What one entry may claim: direct credit, how long one entry may span, and the State.

Pure Python (no Django, no clock): each function takes plain values and answers with the
message for the member, or ``None`` when the entry keeps the rule. The one validation service
(:func:`credits.services.validate_values`) applies them to the form, the API and the imports.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from credits.rules import ActivityType, Category, add_years
from members.formatting import day

# --- Direct credit ---------------------------------------------------------------------------

DIRECT_CREDIT_TYPES: Mapping[ActivityType, str] = MappingProxyType(
    {
        # ASPS CME requirements, "Direct Credit": "AMA PRA Category 1 Credit™ for certain
        # activities may ONLY be awarded directly by the AMA, such as: Teaching in Live CME
        # Activities, Poster Presentation, Published Articles, Medically Related Advanced
        # Degree, ABMS/ABPS Certification, Recertification and Maintenance of Certification".
        ActivityType.TEACHING: "Teaching",
        ActivityType.POSTER: "A poster presentation",
        ActivityType.PUBLICATION: "A published article",
        ActivityType.ADVANCED_DEGREE: "A medically related advanced degree",
        ActivityType.BOARD_CERTIFICATION: "Board certification or recertification",
    }
)
AMA_ABBREVIATION = "AMA"
AMA_NAMES = frozenset(
    {"american medical association", "american medical association (direct credit)"}
)


@functools.lru_cache(maxsize=4_096)
def names_the_ama(name: str, abbreviation: str = "") -> bool:
    """Whether a provider's name or abbreviation is the American Medical Association's
    (cached: an import asks it twice per row about the same few providers)."""
    return (
        " ".join(abbreviation.split()).upper() == AMA_ABBREVIATION
        or " ".join(name.split()).upper() == AMA_ABBREVIATION
        or " ".join(name.casefold().split()) in AMA_NAMES
    )


def direct_credit_problem(activity_type: str, category: int | None, *, by_ama: bool) -> str | None:
    """AMA PRA Category 1 credit for teaching in live CME, posters, published articles,
    medically related advanced degrees and ABMS/ABPS certification or recertification "may
    ONLY be awarded directly by the AMA" (ASPS CME requirements, "Direct Credit"). Such an
    entry claims Category 1 only with the American Medical Association as the provider;
    the same activity may always be claimed as Category 2 (the AMA's Category 2 list
    includes "Teaching health professionals" and "Medical writings")."""
    if category != Category.CATEGORY_1 or by_ama or activity_type not in DIRECT_CREDIT_TYPES:
        return None
    what = DIRECT_CREDIT_TYPES[ActivityType(activity_type)]
    return (
        f"{what} is AMA PRA Category 1 only when awarded directly by the AMA: choose the "
        "American Medical Association as provider, or Category 2."
    )


# --- How long one entry may span -------------------------------------------------------------


@dataclass(frozen=True)
class SpanLimit:
    """The longest date range one entry of an activity type may cover (both days included):
    ``days`` days, or ``years`` years (from a date to the day before its anniversary)."""

    what: str
    days: int | None = None
    years: int | None = None
    advice: str = "Enter each activity as its own entry."

    def last_day(self, start: date) -> date:
        if self.years is not None:
            return add_years(start, self.years) - timedelta(days=1)
        return start + timedelta(days=(self.days or 1) - 1)

    @property
    def words(self) -> str:
        if self.years is not None:
            return "one year" if self.years == 1 else f"{self.years} years"
        return f"{self.days} days"


LIVE_ACTIVITY_DAYS = 31
_ONE_YEAR_ADVICE = "Enter each year as its own entry, or each activity separately."
SPAN_LIMITS: Mapping[ActivityType, SpanLimit] = MappingProxyType(
    {
        # The ASPS portal's submission instructions: "Enter each Continuing Medical Education
        # activity in the form. Only credits for a series of sessions within the same
        # year-long CME activity (Regularly Scheduled Sessions/RSS, such as weekly Grand
        # Rounds or M&M conferences) may be combined into one submission."
        ActivityType.RSS: SpanLimit(
            "A regularly scheduled series",
            years=1,
            advice="Enter each year of the series as its own entry.",
        ),
        # Decision: a meeting, course or workshop (and teaching or a poster in one, and an
        # in-service exam) is one activity of days, not months; a month bounds the longest
        # courses while refusing a year of meetings added up into one entry.
        ActivityType.LIVE_ACTIVITY: SpanLimit(
            "A live activity (meeting, course, workshop)", days=LIVE_ACTIVITY_DAYS
        ),
        ActivityType.TEACHING: SpanLimit(
            "Teaching in a live CME activity", days=LIVE_ACTIVITY_DAYS
        ),
        ActivityType.POSTER: SpanLimit("A poster presentation", days=LIVE_ACTIVITY_DAYS),
        ActivityType.IN_SERVICE_EXAM: SpanLimit("An in-service exam", days=LIVE_ACTIVITY_DAYS),
        # Decision: self-paced work (an online course, a journal CME article, self-assessment,
        # writing an article, preparing for certification, other Category 2 learning) may
        # take months, but one entry covers at most a year, like a series.
        ActivityType.ENDURING_MATERIAL: SpanLimit(
            "An enduring material (online course, recording)", years=1, advice=_ONE_YEAR_ADVICE
        ),
        ActivityType.JOURNAL_ARTICLE: SpanLimit(
            "A journal CME article", years=1, advice=_ONE_YEAR_ADVICE
        ),
        ActivityType.SELF_ASSESSMENT: SpanLimit(
            "A self-assessment activity", years=1, advice=_ONE_YEAR_ADVICE
        ),
        ActivityType.PUBLICATION: SpanLimit("A published article", years=1),
        ActivityType.BOARD_CERTIFICATION: SpanLimit(
            "ABMS/ABPS certification or recertification", years=1
        ),
        ActivityType.OTHER: SpanLimit("An activity", years=1, advice=_ONE_YEAR_ADVICE),
        # Decision: a medically related degree is one activity however long its study; it is
        # bounded by the longest usual course of study (a doctorate), and the AMA awards its
        # credit once, on completion.
        ActivityType.ADVANCED_DEGREE: SpanLimit(
            "A medically related advanced degree",
            years=7,
            advice="Enter the dates of the degree's course of study.",
        ),
        # Residency and fellowship are bounded by their own rule: 50 credits per full year.
    }
)


def span_problem(activity_type: str, start: date, end: date) -> str | None:
    """One entry is one activity; only a regularly scheduled series (grand rounds, M&M) may
    combine sessions, within one year (the ASPS portal's submission instructions). Other
    activity types are bounded by :data:`SPAN_LIMITS`; residency has its own rule."""
    limit = SPAN_LIMITS.get(activity_type)  # type: ignore[call-overload]
    if limit is None or end < start or end <= limit.last_day(start):
        return None
    if activity_type == ActivityType.RSS:
        return (
            f"Only a year-long regularly scheduled series may be combined into one entry: "
            f"{day(start)} to {day(end)} is more than one year (at most until "
            f"{day(limit.last_day(start))}). {limit.advice}"
        )
    return (
        f"{limit.what} spans at most {limit.words} in one entry: {day(start)} to "
        f"{day(end)} is longer (at most until {day(limit.last_day(start))}). "
        f"{limit.advice} Only a regularly scheduled series may combine sessions, for up to a "
        "year."
    )


# --- State -----------------------------------------------------------------------------------

UNITED_STATES = frozenset({"unitedstates", "unitedstatesofamerica", "usa", "us"})


def is_united_states(country: str) -> bool:
    """``United States``, ``USA``, ``U.S.``, ``us`` ... whatever the case and dots."""
    return "".join(country.casefold().replace(".", "").split()) in UNITED_STATES


def state_problem(country: str, state: str) -> str | None:
    """The ASPS portal's submission form: "All fields required", State among them ("Your home
    state is acceptable"). Outside the United States a region may have no state, so it is
    optional there (Decision)."""
    if state.strip() or not is_united_states(country):
        return None
    return "State is required for an activity in the United States (your home state is acceptable)."
