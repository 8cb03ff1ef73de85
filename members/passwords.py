"""Password rules beyond Django's: no blank passwords, no words an attacker would try first.

Listed in ``AUTH_PASSWORD_VALIDATORS``, so every place a password is chosen — the emailed
set-password and reset links, the change-password page, the admin, ``createsuperuser`` —
checks them with the user at hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError

# The product's and the societies' names: the first guesses against a CME Track password.
SITE_WORDS = ("cmetrack", "cme", "track", "asaps", "asps")
# Shorter pieces of a name or an email address are too common to forbid ("li", "jo").
MIN_PERSONAL_WORD = 3
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def _personal_words(user: object) -> set[str]:
    """The user's names, ASPS ID and email local part, whole and in pieces, lower-cased."""
    texts: list[str] = []
    email = getattr(user, "email", "") or ""
    texts.append(email.split("@", 1)[0])
    member = None
    if getattr(user, "pk", None) is not None:
        member = getattr(user, "member", None)  # the reverse one-to-one raises if absent
    for source in (user, member):
        for attribute in ("first_name", "last_name", "asps_id"):
            texts.append(str(getattr(source, attribute, "") or ""))
    words: set[str] = set()
    for text in texts:
        lowered = text.lower()
        pieces = [piece for piece in _SEPARATORS.split(lowered) if piece]
        words.update(pieces)
        words.add("".join(pieces))
    return {word for word in words if len(word) >= MIN_PERSONAL_WORD}


def _found(password: str, words: Iterable[str]) -> list[str]:
    lowered = password.lower()
    squeezed = _SEPARATORS.sub("", lowered)  # "Cme-Track" contains "cmetrack"
    return sorted({word for word in words if word in lowered or word in squeezed})


class ContextWordsValidator:
    """Refuses passwords that are only spaces, or that contain the user's name, email
    address or ASPS ID, or the site's or a society's name (CME Track, ASPS, ASAPS)."""

    def validate(self, password: str, user: object | None = None) -> None:
        if not password.strip():
            raise ValidationError(
                "Your password can't be only spaces: choose one with letters, numbers or symbols.",
                code="password_blank",
            )
        personal = _found(password, _personal_words(user)) if user is not None else []
        if personal:
            raise ValidationError(
                "Your password can't contain your name, email address or ASPS ID "
                "(it contains “%(words)s”).",
                code="password_has_personal_words",
                params={"words": "”, “".join(personal)},
            )
        site = _found(password, SITE_WORDS)
        if site:
            raise ValidationError(
                "Your password can't contain the name of this site or of the society "
                "(it contains “%(words)s”).",
                code="password_has_site_words",
                params={"words": "”, “".join(site)},
            )

    def get_help_text(self) -> str:
        return (
            "Your password can't be only spaces, and can't contain your name, email address, "
            "ASPS ID, or the words CME Track, ASPS or ASAPS."
        )
