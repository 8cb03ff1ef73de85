"""The fields of a credit entry read from a certificate's text: pure functions, no I/O.

Every field comes from a statement the certificate makes (docs/certificate-reading.md): the
accreditation statement names the provider, the designation or the claim gives the credits
and their category, a labelled or introduced line gives the title, the activity's dates are
the dates not labelled as something else (issued, released, expiring). What is not stated is
None. Amounts next to anything but "AMA PRA Category 1/2 Credit" (MOC points, contact hours,
ethics hours, prices) are never credits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from certificates.amounts import AMOUNT, parse_amount
from certificates.dates import DateMention, find_dates

# "AMA PRA Category 1 Credit(s)™", allowing what OCR does to it ("Mn PRA", "Categoryl").
CREDIT_NAME = r"\w{1,3}\s*PRA\s*Categ\w*\s*(?P<cat>[12lI|])\s*Credit"

DESIGNATION = re.compile(
    r"designates?\s+this\s+[^.]{0,80}?for\s+a\s+maximum\s+of\s+" + AMOUNT + r"\s*" + CREDIT_NAME,
    re.IGNORECASE,
)
CLAIMED = [
    re.compile(
        r"(?:claimed|awarded|earned)\s*:?\s*(?:a\s+total\s+of\s+)?"
        + AMOUNT
        + r"\s*(?:hours?\s+of\s+)?"
        + CREDIT_NAME,
        re.IGNORECASE,
    ),
    re.compile(
        CREDIT_NAME + r"\w*\W{0,4}\s*(?:claimed|awarded|earned)\s*:?\s*" + AMOUNT,
        re.IGNORECASE,
    ),
]
# "Credits earned: 12.00" on a certificate whose designation names the AMA PRA credit.
LABELLED_CLAIM = re.compile(r"\bcredits?\s+(?:claimed|earned|awarded)\s*:\s*" + AMOUNT, re.I)
OTHER_CREDITS = re.compile(
    r"MOC|nurs|contact|self-assessment|ethics|pharmac|\bCE\b|CNE|CPE|CEU|dental|psycholog", re.I
)
_SAFETY = r"(?:risk\s+management\s*/\s*)?patient[\s-]+safety"
PATIENT_SAFETY = [
    re.compile(
        r"of\s+which\s+" + AMOUNT + r"\s+(?:credits?\s+|hours?\s+)?(?:are|is|were|in|for)?\s*"
        r"(?:in\s+|for\s+)?" + _SAFETY,
        re.IGNORECASE,
    ),
    re.compile(
        r"including\s+" + AMOUNT + r"\s+(?:credits?\s+|hours?\s+)?(?:in|of|for|on)\s+" + _SAFETY,
        re.IGNORECASE,
    ),
    re.compile(
        _SAFETY + r"(?:\s+credits?|\s+hours?)?(?:\s+claimed|\s+awarded)?\s*:\s*" + AMOUNT, re.I
    ),
    re.compile(
        AMOUNT + r"\s+(?:of\s+these\s+)?(?:credits?|hours?)\s+(?:in|of|for|on)\s+" + _SAFETY,
        re.IGNORECASE,
    ),
]
ACCREDITED = re.compile(
    r"\s(?:is|are)\s+accredited\s+by\s+(?:the\s+)?(?:Accreditation\s+Council|ACCME|[A-Z][\w.]*"
    r"(?:\s+[A-Z][\w.]*){0,3}\s+(?:State\s+)?Medical\s+(?:Society|Association))",
)
DESIGNATES = re.compile(r"\sdesignates?\s+this\s")
# Words that end a sentence's subject before it: the provider's name starts after them.
HEADINGS = re.compile(
    r"^(?:(?:accreditation|designation|credit|statements?|and|of|joint|providership|cme)\b\s*:?\s*)+",
    re.IGNORECASE,
)
TITLE_LABEL = re.compile(
    r"^(?:activity(?:\s+title)?|course(?:\s+title)?|program(?:me)?(?:\s+title)?|"
    r"title(?:\s+of\s+(?:the\s+)?activity)?|event|session|article)\s*:\s*(?P<t>\S.{3,})$",
    re.IGNORECASE,
)
TITLE_QUOTED = re.compile(
    r"(?:attend\w*|participat\w*\s+in|complet\w*|entitled|titled)\s+(?:the\s+)?"
    r"[\"“](?P<t>[^\"”]{5,160})[\"”]",
    re.IGNORECASE,
)
TITLE_ENTITLED = re.compile(r"\b(?:entitled|titled)\s*:?\s*(?P<t>.*)$", re.IGNORECASE)
TITLE_INTRODUCED = re.compile(
    r"(?:participated\s+in|attended|completed|participation\s+in|for\s+attending)"
    r"(?:\s+the)?(?:\s+(?:live|enduring|journal-based|internet|online|regularly\s+scheduled))?"
    r"(?:\s+(?:activity|material|series|course|meeting|program))?\s*:?$",
    re.IGNORECASE,
)
# A date preceded (within a few words) by one of these is not the activity's date.
NOT_THE_ACTIVITY = re.compile(
    r"\b(releas\w*|expir\w*|issu\w*|printed|generated|invoice|due|valid\w*|review\w*|birth|"
    r"signed|dated|renewal)\b",
    re.IGNORECASE,
)
LABEL = re.compile(NOT_THE_ACTIVITY.pattern + r"|complet", re.IGNORECASE)
LOOKS_LIKE_CME = re.compile(
    r"certif(?:y|ies|icate)|AMA\s*PRA|continuing\s+(?:medical\s+)?education|\bCME\b|accredit"
    r"|\bMOC\b",
    re.IGNORECASE,
)
NOT_FOR_PHYSICIANS = re.compile(r"non-?\s?physician|allied\s+health\s+professional", re.I)
# A transcript's heading or total ("CME Transcript", "Transcript total: 40.50"), not a
# certificate's remark that the credits "will appear on your transcript".
TRANSCRIPT = re.compile(r"^(?!.*\byour\s+transcript).{0,40}\btranscript\b.{0,40}$", re.I | re.M)
EXACT_CREDIT_NAME = re.compile(r"AMA PRA Category [12] Credit", re.IGNORECASE)


@dataclass
class Parsed:
    """Fields read from text, and how sure each is (0..1) before OCR's doubts are applied."""

    fields: dict[str, object] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def set(self, name: str, value: object, confidence: float) -> None:
        if value is not None and value != "":
            self.fields[name] = value
            self.confidence[name] = confidence


def normalise(text: str) -> str:
    """Unicode folded, dashes and quotes made plain, ™ dropped, spaces collapsed per line."""
    text = text.replace("™", " ").replace("®", " ").replace("\u00ad", "")
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    lines = (re.sub(r"[ \t\f\v\u00a0]+", " ", line).strip() for line in text.splitlines())
    # Table borders and specks that OCR reads at the start of a line: | ' " : ~
    lines = (re.sub(r"^[|'‘’\"“”:;,_~]+\s*", "", line) for line in lines)
    return "\n".join(line for line in lines if line)


def flat(text: str) -> str:
    """The normalised text as one line: statements wrapped over lines read as one sentence."""
    return re.sub(r"\s+", " ", text)


CONNECTOR = re.compile(r"(?:\b(?:of|and|the|for|in|on|at|&)|[,-])$", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?:[.;:!?]\s|[.;:!?]$)")


def _wrapped(previous: str, longest: int) -> bool:
    """Whether ``previous`` runs on into the next line (a paragraph wrapped by the layout)."""
    if re.search(r"[.;:!?]$", previous):
        return False
    # A line with a year, a number at its end or a separator (a date and place line, an
    # address) is not the start of a provider's name.
    if re.search(r"[·•|]|\b(?:19|20)\d\d\b|\d\s*$", previous):
        return False
    return bool(CONNECTOR.search(previous)) or len(previous) >= 0.7 * longest


def _subject_before(text: str, position: int) -> str | None:
    """The subject of the sentence whose verb starts at ``position`` in the lined ``text``:
    the provider's name, followed back over the lines it wraps across."""
    lines = text[:position].split("\n")
    longest = max((len(line) for line in text.splitlines()), default=0)
    subject = lines[-1]
    for previous in reversed(lines[-4:-1]):
        if list(SENTENCE_END.finditer(subject)) or not _wrapped(previous, longest):
            break
        subject = previous + " " + subject
    ends = list(SENTENCE_END.finditer(subject))
    if ends:
        subject = subject[ends[-1].end() :]
    subject = HEADINGS.sub("", subject.strip())
    subject = re.sub(r"^the\s+", "", subject, flags=re.IGNORECASE).strip(" ,")
    if not 3 <= len(subject) <= 150 or not subject[0].isalpha():
        return None
    return subject


def read_provider(text: str) -> tuple[str | None, float]:
    """The accredited provider (the accredited one of a joint providership), else the one that
    designates the credits."""
    for match in ACCREDITED.finditer(text):
        subject = _subject_before(text, match.start())
        if subject and not re.match(r"(?:this|it|the activity)\b", subject, re.I):
            return subject, 0.95
    match = DESIGNATES.search(text)
    if match:
        subject = _subject_before(text, match.start())
        if subject and not re.match(r"(?:this|it|the activity)\b", subject, re.I):
            return subject, 0.75
    return None, 0.0


def _category(match: re.Match[str]) -> int:
    return 2 if match.group("cat") == "2" else 1


def _sureness(match: re.Match[str], confidence: float) -> float:
    """Lower when the credit's name was only nearly right ("Mn PRA Categoryl Credit")."""
    return confidence if EXACT_CREDIT_NAME.search(flat(match.group(0))) else confidence - 0.2


def read_credits(text: str) -> tuple[Decimal | None, int | None, float]:
    """What this physician claimed or was awarded, else the maximum designated, and the
    category; None when several activities disagree (a transcript) or nothing says AMA PRA."""
    flat_text = flat(text)
    claimed = [
        (amount, _category(match), _sureness(match, 0.95))
        for pattern in CLAIMED
        for match in pattern.finditer(flat_text)
        if (amount := parse_amount(match.group("n"))) is not None
    ]
    designated = [
        (amount, _category(match), _sureness(match, 0.9))
        for match in DESIGNATION.finditer(flat_text)
        if (amount := parse_amount(match.group("n"))) is not None
    ]
    named = [_category(match) for match in re.finditer(CREDIT_NAME, flat_text, re.IGNORECASE)]
    if not claimed and len(set(named)) == 1:
        claimed = [
            (amount, named[0], 0.8)
            for match in LABELLED_CLAIM.finditer(flat_text)
            if not OTHER_CREDITS.search(flat_text[max(0, match.start() - 30) : match.start()])
            and (amount := parse_amount(match.group("n"))) is not None
        ]
    for found in (claimed, designated):
        values = {(amount, category) for amount, category, _ in found}
        if len(values) == 1:
            amount, category = values.pop()
            return amount, category, max(sureness for *_, sureness in found)
        if len(values) > 1:
            return None, None, 0.0  # several activities, or a misread: never pick one
    return None, None, 0.0


def read_patient_safety(text: str, credits: Decimal) -> tuple[Decimal | None, float]:
    flat_text = flat(text)
    amounts = {
        amount
        for pattern in PATIENT_SAFETY
        for match in pattern.finditer(flat_text)
        if (amount := parse_amount(match.group("n"))) is not None and amount <= credits
    }
    if len(amounts) == 1:
        return amounts.pop(), 0.9
    return None, 0.0


def _clean_title(title: str) -> str | None:
    title = title.strip().strip("\"“”'‘’").strip()
    title = re.sub(r"[\s,;:.-]+$", "", title)
    dates = find_dates(title)
    if dates:  # "Breast Reconstruction Symposium, March 3-6, 2025": the date is not the title
        title = re.sub(r"[\s,;:-]+$", "", title[: dates[0].start])
    title = re.sub(r",?\s+(?:held|on|in)\s*$", "", title)
    if len(title) < 4 or not re.search(r"[A-Za-z]{3}", title):
        return None
    return title


def read_title(text: str) -> tuple[str | None, float]:
    lines = text.splitlines()
    for line in lines:
        match = TITLE_LABEL.match(line)
        if match and (title := _clean_title(match.group("t"))):
            return title, 0.9
    match = TITLE_QUOTED.search(flat(text))
    if match and (title := _clean_title(match.group("t"))):
        return title, 0.9
    for number, line in enumerate(lines):
        match = TITLE_ENTITLED.search(line)
        if match:
            rest = match.group("t") or (lines[number + 1] if number + 1 < len(lines) else "")
            if title := _clean_title(rest):
                return title, 0.85
        introduced = TITLE_INTRODUCED.search(line) and number + 1 < len(lines)
        if introduced and (title := _clean_title(lines[number + 1])):
            return title, 0.8
    return None, 0.0


def _activity_dates(text: str) -> tuple[DateMention | None, float]:
    flat_text = flat(text)
    mentions = find_dates(flat_text)
    # A letter's own date stands alone on a line above "Dear ...".
    heading = re.split(r"^Dear\b", text, maxsplit=1, flags=re.MULTILINE)
    alone = {
        mention.first
        for line in (heading[0].splitlines() if len(heading) == 2 else [])
        for mention in find_dates(line)
        if len(line) - (mention.end - mention.start) <= 2
    }
    chosen: list[DateMention] = []
    for mention in mentions:
        before = flat_text[max(0, mention.start - 45) : mention.start]
        labels = list(LABEL.finditer(before))
        last = labels[-1].group(0).lower() if labels else ""
        if last.startswith("complet"):
            return mention, 0.9
        if last:
            continue
        if mention.first in alone and mention.first == mention.last:
            continue  # the date a letter was written
        chosen.append(mention)
    if not chosen:
        return None, 0.0
    distinct = {(mention.first, mention.last) for mention in chosen}
    return chosen[0], (0.9 if len(distinct) == 1 else 0.65)


def parse_text(text: str) -> Parsed:
    """All the fields ``text`` states, each with its confidence."""
    text = normalise(text)
    parsed = Parsed()
    if not LOOKS_LIKE_CME.search(text) or TRANSCRIPT.search(text):
        return parsed  # not a certificate, or several activities: nothing to fill in
    title, confidence = read_title(text)
    parsed.set("title", title, confidence)
    provider, confidence = read_provider(text)
    mention, date_confidence = _activity_dates(text)
    if mention is not None:
        parsed.set("start_date", mention.first, date_confidence)
        parsed.set("end_date", mention.last, date_confidence)
    if NOT_FOR_PHYSICIANS.search(text):
        parsed.set("provider", provider, confidence)
        return parsed  # credits for physicians only
    credits, category, credit_confidence = read_credits(text)
    if credits is not None:
        parsed.set("credits", credits, credit_confidence)
        parsed.set("category", category, credit_confidence)
        if category == 1:
            parsed.set("provider", provider, confidence)
        safety, safety_confidence = read_patient_safety(text, credits)
        parsed.set("patient_safety_credits", safety, safety_confidence)
    elif provider is not None:
        parsed.set("provider", provider, confidence)
    return parsed
