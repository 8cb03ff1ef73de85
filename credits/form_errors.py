"""A service's error as the web form shows it: the edge that renders structured errors.

A :class:`credits.counted.DuplicateEntry` carries the other entry; the page shows its message
with a link to that entry (templates/credits/_duplicate_error.html, escaped by the template).
The API renders the same error as plain text plus ``duplicate_of`` (credits/api/).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from credits.counted import DuplicateEntry


def form_error(error: ValidationError) -> ValidationError:
    """``error`` for ``form.add_error(None, ...)``; a duplicate links to the other entry."""
    if not isinstance(error, DuplicateEntry):
        return error
    html = render_to_string("credits/_duplicate_error.html", {"error": error}).strip()
    message = mark_safe(html)  # noqa: S308 - rendered by the template, which escapes the title
    return ValidationError({"confirm_duplicate": [ValidationError(message, code=error.error_code)]})
