"""One row of the activity catalogue file (docs/imports.md "Activity catalogue"), read and
checked on its own: its cells typed, every problem of the row found at once.

:mod:`credits.catalogue_import` merges the typed cells with the activity already in the
catalogue, checks what needs both (:func:`merged_problems`) and what needs the rest of the
file (parts and wholes), and writes the batch.

A column the file has sets its field, an empty cell included: an empty ``max_credits``
means "not stated", an empty ``kind`` means ``activity``. A column the file does not have
leaves that field of an existing activity as it is and gives a new one the default
(:data:`DEFAULTS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from credits import rules
from credits.models import CONTENT_AREAS, Activity, CatalogueKind, Provider
from imports.reading import parse_date

CATALOGUE_REQUIRED = ("code", "title")
CATALOGUE_OPTIONAL = (
    "kind",
    "part_of",
    "provider",
    "activity_type",
    "category",
    "start_date",
    "end_date",
    "city",
    "state",
    "country",
    "max_credits",
    "patient_safety_credits",
    "patient_safety_kind",
    "plastic_surgery_credits",
    "content_areas",
    "url",
    "active",
)
CONTENT_AREA_SEPARATOR = ";"
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")

# Choices as tuples, built once (Django rebuilds ``Choices.values`` on every access).
KINDS = tuple(CatalogueKind.values)
ACTIVITY_TYPES = tuple(member.value for member in rules.ActivityType)
CATEGORIES = tuple(str(member.value) for member in rules.Category)
PATIENT_SAFETY_KINDS = tuple(member.value for member in rules.PatientSafetyKind)
CREDIT_COLUMNS = ("max_credits", "patient_safety_credits", "plastic_surgery_credits")
TEXT_COLUMNS = ("city", "state", "country")
MAX_CODE = Activity._meta.get_field("code").max_length
MAX_TITLE = Activity._meta.get_field("title").max_length
MAX_PLACE = Activity._meta.get_field("city").max_length
MAX_URL = Activity._meta.get_field("url").max_length
TOO_MANY_CREDITS = Decimal(10_000)  # the field holds at most 9,999.99

# What a new activity gets for a column its file does not have.
DEFAULTS: dict[str, Any] = {
    "kind": CatalogueKind.ACTIVITY.value,
    "part_of": "",
    "provider": None,
    "activity_type": rules.ActivityType.LIVE_ACTIVITY.value,
    "category": rules.Category.CATEGORY_1.value,
    "start_date": None,
    "end_date": None,
    "city": "",
    "state": "",
    "country": "",
    "max_credits": None,
    "patient_safety_credits": None,
    "patient_safety_kind": rules.PatientSafetyKind.GENERAL.value,
    "plastic_surgery_credits": None,
    "content_areas": [],
    "url": "",
    "active": True,
}
_valid_url = URLValidator(schemes=["http", "https"])

Problems = dict[str, list[str]]
FindProvider = Callable[[str], Provider | None]


def current_values(activity: Activity | None) -> dict[str, Any]:
    """An activity of the catalogue as the typed cells of a row (the defaults if ``None``).

    ``part_of`` is its whole's code (``select_related("parent")``), ``provider`` its id.
    """
    if activity is None:
        return dict(DEFAULTS)
    values = {
        column: getattr(activity, column)
        for column in DEFAULTS
        if column not in ("part_of", "provider")
    }
    values["part_of"] = activity.parent.code if activity.parent_id is not None else ""
    values["provider"] = activity.provider_id
    values["title"] = activity.title
    return values


def read_row(
    cells: Mapping[str, str], find_provider: FindProvider
) -> tuple[str, dict[str, Any], Problems]:
    """The row's code, its typed cells (only the columns it has) and its problems."""
    problems: Problems = {}

    def problem(column: str, message: str) -> None:
        problems.setdefault(column, []).append(message)

    code = cells.get("code", "")
    if not code:
        problem("code", "Empty: every activity needs its code.")
    elif len(code) > MAX_CODE:
        problem("code", f"Longer than {MAX_CODE} characters.")
    typed: dict[str, Any] = {"title": " ".join(cells.get("title", "").split())}
    if not typed["title"]:
        problem("title", "Empty.")
    elif len(typed["title"]) > MAX_TITLE:
        problem("title", f"Longer than {MAX_TITLE} characters.")
    for column in CATALOGUE_OPTIONAL:
        if column in cells:
            typed[column] = _read_cell(column, cells[column], problem, find_provider)
    return code, typed, problems


def _read_cell(
    column: str, text: str, problem: Callable[[str, str], None], find_provider: FindProvider
) -> Any:
    if not text:
        return DEFAULTS[column]
    if column in ("kind", "activity_type", "category", "patient_safety_kind"):
        allowed = {
            "kind": KINDS,
            "activity_type": ACTIVITY_TYPES,
            "category": CATEGORIES,
            "patient_safety_kind": PATIENT_SAFETY_KINDS,
        }[column]
        choice = text.lower()
        if choice not in allowed:
            problem(column, f"“{text}” is not one of {', '.join(allowed)}.")
            return DEFAULTS[column]
        return int(choice) if column == "category" else choice
    if column == "part_of":
        if len(text) > MAX_CODE:
            problem(column, f"Longer than {MAX_CODE} characters.")
        return text
    if column == "provider":
        provider = find_provider(text)
        if provider is None:
            problem(
                column,
                f"No provider is named “{text}”: use the name or abbreviation of a known "
                "provider (staff add new providers in the admin).",
            )
            return None
        return provider.pk
    if column in ("start_date", "end_date"):
        day = parse_date(text)
        if day is None:
            problem(column, f"“{text}” is not a date (YYYY-MM-DD).")
        return day
    if column in TEXT_COLUMNS:
        text = " ".join(text.split())
        if len(text) > MAX_PLACE:
            problem(column, f"Longer than {MAX_PLACE} characters.")
        return text
    if column in CREDIT_COLUMNS:
        return _read_credits(column, text, problem)
    if column == "content_areas":
        return _read_content_areas(text, problem)
    if column == "url":
        return _read_url(text, problem)
    if column == "active":
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        problem(column, f"“{text}” is not yes or no.")
        return DEFAULTS[column]
    raise KeyError(column)


def _read_credits(column: str, text: str, problem: Callable[[str, str], None]) -> Any:
    """Credits in steps of 0.25 (docs/rules.md §1–§2); more than 0 for a maximum, 0 or more
    for the other designations."""
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        problem(column, f"“{text}” is not a number of credits, e.g. 1.25 or 7.5.")
        return None
    if column == "max_credits" and number <= 0:
        problem(column, "A designated maximum is more than 0 (leave it empty if not stated).")
    elif number < 0:
        problem(column, "Enter 0 or more (leave it empty if not stated).")
    elif number >= TOO_MANY_CREDITS:
        problem(column, "That is more credits than one activity can award.")
    elif not rules.is_quarter_step(number):
        problem(column, "Credits come in steps of 0.25 (e.g. 1, 1.25, 1.5, 1.75).")
    else:
        return rules.quantize_credits(number)
    return None


def _read_content_areas(text: str, problem: Callable[[str, str], None]) -> list[str]:
    codes = [code.strip().lower() for code in text.split(CONTENT_AREA_SEPARATOR)]
    codes = list(dict.fromkeys(code for code in codes if code))
    unknown = [code for code in codes if code not in CONTENT_AREAS]
    if unknown:
        problem(
            "content_areas",
            f"{', '.join(f'“{code}”' for code in unknown)} "
            f"{'is not a content area' if len(unknown) == 1 else 'are not content areas'}; "
            f"use {', '.join(CONTENT_AREAS)}, separated by “{CONTENT_AREA_SEPARATOR}”.",
        )
        return [code for code in codes if code in CONTENT_AREAS]
    return codes


def _read_url(text: str, problem: Callable[[str, str], None]) -> str:
    if len(text) > MAX_URL:
        problem("url", f"Longer than {MAX_URL} characters.")
        return ""
    try:
        _valid_url(text)
    except ValidationError:
        problem("url", f"“{text}” is not a web address (https://…).")
        return ""
    return text


def merged_problems(values: Mapping[str, Any], problems: Problems) -> None:
    """What an activity's values must hold together (the file's cells over what the
    catalogue has): designations within the maximum, an end after the start."""
    maximum = values["max_credits"]
    if maximum is not None and "max_credits" not in problems:
        for column, words in (
            ("patient_safety_credits", "patient-safety credits"),
            ("plastic_surgery_credits", "plastic-surgery credits"),
        ):
            part = values[column]
            if part is not None and column not in problems and part > maximum:
                problems.setdefault(column, []).append(
                    f"The designated {words} ({rules.format_credits(part)}) cannot be more "
                    f"than the designated maximum ({rules.format_credits(maximum)})."
                )
    start, end = values["start_date"], values["end_date"]
    dates_read = "start_date" not in problems and "end_date" not in problems
    if start is not None and end is not None and end < start and dates_read:
        problems.setdefault("end_date", []).append("The end date is before the start date.")
