"""The checks of one credit entry: one validation for the form, the API and the imports.

Every rule of docs/rules.md and §3 that concerns a single entry is checked in
:func:`check_entry`, which answers with messages keyed by the field they are about. Nothing
here writes; the writes that call these checks are in :mod:`credits.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone

from credits import catalogue_checks, counted, entry_rules, review_states, rules
from credits.models import (
    Activity,
    ActivityType,
    Category,
    CreditEntry,
    PatientSafetyKind,
    Provider,
    Source,
)
from members.formatting import day
from members.models import Member

# The fields a member fills in (the ASPS member portal's form, plus the patient-safety kind).
ENTRY_FIELDS = (
    "title",
    "activity_type",
    "category",
    "provider",
    "start_date",
    "end_date",
    "credits",
    "patient_safety_credits",
    "patient_safety_kind",
    "plastic_surgery_credits",
    "city",
    "state",
    "country",
    "activity",
    "content_areas",
)
CREDIT_FIELDS = ("credits", "patient_safety_credits", "plastic_surgery_credits")
CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
CERTIFICATE_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# Django rebuilds ``Choices.values`` on every access; imports check 50,000 rows against these
# (tuples, not sets: a value sent to the API may be unhashable).
ACTIVITY_TYPES = tuple(ActivityType.values)
CATEGORIES = tuple(Category.values)
PATIENT_SAFETY_KINDS = tuple(PatientSafetyKind.values)
# The society uploads these providers' credits "4-6 weeks after the completed CME evaluation".
AUTO_UPLOAD_DELAY = "4–6 weeks after you complete the activity's CME evaluation"


class Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


@dataclass(frozen=True)
class CheckedEntry:
    """Values that passed every rule, with the provider resolved (maybe new, unsaved)."""

    values: dict[str, Any]
    provider: Provider | None
    duplicate_of: CreditEntry | None


def parse_credits(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def find_provider(name: str) -> Provider | None:
    """A provider by its name or abbreviation, whatever the case."""
    name = " ".join(name.split())
    if not name:
        return None
    return (
        Provider.objects.filter(Q(name__iexact=name) | Q(abbreviation__iexact=name))
        .order_by("-verified", "id")
        .first()
    )


def validate_values(
    values: Mapping[str, Any],
    *,
    today: dt.date,
    source: str = Source.SELF_REPORTED,
    resolve_provider: Callable[[str], Provider | None] | None = None,
    resolve_activity: Callable[[str], Activity | None] | None = None,
) -> tuple[dict[str, Any], Provider | None, Errors]:
    """The rules of one entry that need no database but the provider and activity lookups.

    Imports pass a ``resolve_provider`` and a ``resolve_activity`` backed by dictionaries, so
    that validating 50,000 rows runs no query per row.
    """
    errors = Errors()
    cleaned = {field: values.get(field) for field in ENTRY_FIELDS}
    for field in ("title", "city", "state", "country"):
        cleaned[field] = " ".join(str(cleaned[field] or "").split())
    for field in ("title", "city", "country"):
        if not cleaned[field]:
            errors.add(field, "This field is required.")
    _check_choices(cleaned, errors)
    _check_credits(cleaned, errors)
    _check_dates(cleaned, errors, today)
    provider = _check_provider(cleaned, errors, source, resolve_provider or find_provider)
    _check_residency(cleaned, errors)
    _check_claim(cleaned, errors, source, provider)
    catalogue_checks.check_activity(cleaned, errors, resolve_activity)
    return cleaned, provider, errors


def check_entry(
    *,
    member: Member,
    values: Mapping[str, Any],
    entry: CreditEntry | None = None,
    today: dt.date | None = None,
    confirm_duplicate: bool = False,
    source: str = Source.SELF_REPORTED,
) -> CheckedEntry:
    """Apply docs/rules.md and §3 to one entry; raise ``ValidationError({field: [...]})``.

    ``values`` holds the typed values of :data:`ENTRY_FIELDS` (``provider`` as the text the
    member typed). Nothing is written.
    """
    cleaned, provider, errors = validate_values(
        values, today=today or timezone.localdate(), source=source
    )
    if errors:
        raise ValidationError(errors)

    catalogue_checks.check_claimed(member=member, values=cleaned, entry=entry)
    duplicate = find_duplicate(member=member, values=cleaned, provider=provider, entry=entry)
    counted.check_duplicate(duplicate, source=source, confirm_duplicate=confirm_duplicate)
    return CheckedEntry(values=cleaned, provider=provider, duplicate_of=duplicate)


def _check_choices(cleaned: dict[str, Any], errors: Errors) -> None:
    if cleaned["activity_type"] not in ACTIVITY_TYPES:
        errors.add("activity_type", "Choose the type of activity from the list.")
    try:
        cleaned["category"] = int(cleaned["category"])
    except (TypeError, ValueError):
        cleaned["category"] = None
    if cleaned["category"] not in CATEGORIES:
        errors.add("category", "Choose AMA PRA Category 1 or Category 2.")
    if not cleaned["patient_safety_kind"]:
        cleaned["patient_safety_kind"] = PatientSafetyKind.GENERAL
    if cleaned["patient_safety_kind"] not in PATIENT_SAFETY_KINDS:
        errors.add("patient_safety_kind", "Choose the kind of patient-safety topic from the list.")


def _check_credits(cleaned: dict[str, Any], errors: Errors) -> None:
    for field in CREDIT_FIELDS:
        value = cleaned[field]
        if value in (None, "") and field != "credits":
            value = Decimal(0)
        value = parse_credits(value) if value not in (None, "") else None
        if value is None or not value.is_finite():
            errors.add(field, "Enter a number, e.g. 1.25 or 7.5.")
            cleaned[field] = None
            continue
        if field == "credits" and value <= 0:
            errors.add(field, "Credits must be more than 0.")
        elif value < 0:
            errors.add(field, "Enter 0 or more (0 if you earned none).")
        elif not rules.is_quarter_step(value):
            errors.add(field, "Credits come in steps of 0.25 (e.g. 1, 1.25, 1.5, 1.75).")
        elif value >= Decimal("10000"):
            errors.add(field, "That is more credits than one activity can award.")
        cleaned[field] = rules.quantize_credits(value) if field not in errors else None

    credits = cleaned["credits"]
    if credits is not None and "credits" not in errors:
        for field, words in (
            ("patient_safety_credits", "Patient-safety"),
            ("plastic_surgery_credits", "Plastic-surgery"),
        ):
            part = cleaned[field]
            if part is not None and field not in errors and part > credits:
                errors.add(
                    field,
                    f"{words} credits cannot be more than the activity's "
                    f"{rules.format_credits(credits)} CME credits.",
                )


def _check_dates(cleaned: dict[str, Any], errors: Errors, today: dt.date) -> None:
    start, end = cleaned["start_date"], cleaned["end_date"]
    for field, value in (("start_date", start), ("end_date", end)):
        if not isinstance(value, dt.date):
            errors.add(field, "Enter a date (YYYY-MM-DD).")
        elif value > today:
            errors.add(field, "This date is in the future: record CME once you have earned it.")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors.add("end_date", "The end date is before the start date.")


def _check_provider(
    cleaned: dict[str, Any],
    errors: Errors,
    source: str,
    resolve_provider: Callable[[str], Provider | None],
) -> Provider | None:
    """Category 1 needs an accredited provider; Category 2 has none (the ASPS portal: "N/A")."""
    typed = " ".join(str(cleaned["provider"] or "").split())
    if typed.upper() in ("N/A", "NA", "NONE", "-"):
        typed = ""
    category = cleaned["category"]
    if category == 2:
        if typed:
            errors.add(
                "provider",
                "Category 2 credits are not awarded by an accredited provider: "
                "leave this empty (N/A).",
            )
        return None
    if category != 1:
        return None
    if not typed:
        errors.add(
            "provider",
            "Category 1 credits need the accredited provider that awarded them "
            '(see the activity\'s accreditation statement, "... is accredited by the ACCME").',
        )
        return None
    if entry_rules.names_the_ama(typed):  # "American Medical Association" is the known one
        provider = resolve_provider(entry_rules.AMA_ABBREVIATION) or resolve_provider(typed)
    else:
        provider = resolve_provider(typed)
    provider = provider or Provider(name=typed[:200], verified=False)
    end = cleaned["end_date"]
    if source == Source.SELF_REPORTED and isinstance(end, dt.date) and provider.auto_uploads(end):
        label = provider.abbreviation or provider.name
        until = (
            f" (for activities until {day(provider.auto_uploaded_until)})"
            if provider.auto_uploaded_until
            else ""
        )
        errors.add(
            "provider",
            f"{label} credits arrive in your record automatically{until}, "
            f"{AUTO_UPLOAD_DELAY}. Don't enter them yourself, to avoid counting them twice.",
        )
    return provider


def _check_residency(cleaned: dict[str, Any], errors: Errors) -> None:
    """ASPS CME policy: "50 Category 1 credits may be claimed for each full year" of residency."""
    if cleaned["activity_type"] != ActivityType.RESIDENCY:
        return
    if cleaned["category"] == 2:
        errors.add("category", "Residency and fellowship training earns Category 1 credits.")
    start, end, credits = cleaned["start_date"], cleaned["end_date"], cleaned["credits"]
    if not (isinstance(start, dt.date) and isinstance(end, dt.date) and credits) or end < start:
        return
    limit = rules.residency_credit_limit(start, end)
    if credits > limit:
        errors.add(
            "credits",
            f"Residency or fellowship earns 50 Category 1 credits per full year of training: "
            f"{day(start)} to {day(end)} allows at most "
            f"{rules.format_credits(limit)}.",
        )


# Imported rows carry no place: the entry takes the member's home, which may have no state.
STATE_REQUIRED_FOR = (Source.SELF_REPORTED, Source.STAFF)


def _check_claim(
    cleaned: dict[str, Any], errors: Errors, source: str, provider: Provider | None
) -> None:
    """What an entry may claim (:mod:`credits.entry_rules`): AMA direct credit, how long one
    entry may span, and the State of an activity in the United States."""
    by_ama = provider is not None and entry_rules.names_the_ama(
        provider.name, provider.abbreviation
    )
    kind = "" if "activity_type" in errors else cleaned["activity_type"]
    problem = entry_rules.direct_credit_problem(kind, cleaned["category"], by_ama=by_ama)
    if problem:
        errors.add("category", problem)
    start, end = cleaned["start_date"], cleaned["end_date"]
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        problem = entry_rules.span_problem(kind, start, end)
        if problem:
            errors.add("end_date", problem)
    if source in STATE_REQUIRED_FOR:
        problem = entry_rules.state_problem(cleaned["country"], cleaned["state"])
        if problem:
            errors.add("state", problem)


def find_duplicate(
    *,
    member: Member,
    values: Mapping[str, Any],
    provider: Provider | None,
    entry: CreditEntry | None = None,
) -> CreditEntry | None:
    """docs/rules.md: same member, title (ignoring case, spaces and punctuation), provider and
    dates; the society's record of the activity first (:mod:`credits.counted`)."""
    candidates = CreditEntry.objects.filter(
        member=member, start_date=values["start_date"], end_date=values["end_date"]
    )
    if provider is None or provider.pk is None:
        candidates = candidates.filter(provider__isnull=True) if provider is None else None
    else:
        candidates = candidates.filter(provider=provider)
    if candidates is None:
        return None
    if entry is not None and entry.pk:
        candidates = candidates.exclude(pk=entry.pk)
    return counted.pick_duplicate(candidates, values["title"])


def review_status_for(*, source: str, patient_safety_credits: Decimal) -> str:
    """docs/rules.md: self-reported patient-safety claims are reviewed; imports arrive approved."""
    return review_states.initial_status(
        source=source, patient_safety_credits=patient_safety_credits
    )


def check_certificate(upload: UploadedFile) -> str:
    """Accept a PDF, JPEG or PNG up to 10 MB, judged by its content, not its name.

    Returns the extension for the stored name; raises ``ValidationError`` otherwise.
    """
    if upload.size > CERTIFICATE_MAX_BYTES:
        raise ValidationError(
            {"certificate": [f"The file is {upload.size / 1_048_576:.1f} MB; the limit is 10 MB."]}
        )
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CERTIFICATE_TYPES:
        raise ValidationError(
            {"certificate": ["Upload the certificate as a PDF, JPEG or PNG file."]}
        )
    return CERTIFICATE_TYPES[kind.mime]
