"""What an ASPS ID may look like: the one pattern the admin, the model and the imports use.

ASPS member numbers are digits (e.g. 22428); letters are allowed too, so that test and load
data can carry IDs that never collide with real members (e.g. ``L0000001``). Nothing else:
no spaces, quotes, slashes or line breaks, since an ASPS ID goes into URLs, file names and
download headers.
"""

from __future__ import annotations

from django.core.validators import RegexValidator

ASPS_ID_MAX_LENGTH = 20
ASPS_ID_PATTERN = rf"\A[A-Za-z0-9]{{1,{ASPS_ID_MAX_LENGTH}}}\Z"
ASPS_ID_RULE = f"1 to {ASPS_ID_MAX_LENGTH} letters or digits, e.g. 22428"

validate_asps_id = RegexValidator(
    ASPS_ID_PATTERN, message=f"Enter an ASPS ID of {ASPS_ID_RULE}.", code="invalid_asps_id"
)


def is_asps_id(value: str) -> bool:
    return validate_asps_id.regex.fullmatch(value) is not None


def asps_id_problem(asps_id: str) -> str:
    """Why a cell is not an ASPS ID, quoting it only when it is safe to show as it is."""
    shown = f"“{asps_id}” is" if asps_id.isprintable() and len(asps_id) <= 40 else "This is"
    return f"{shown} not an ASPS ID ({ASPS_ID_RULE})."
