"""Small, safe building blocks for responses: file names, redirects, the site's own links.

Anything that puts request- or member-supplied text into a header, a link or an email goes
through here, so the rules are written once.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9_-]+")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_FILENAME = 120


def without_control_characters(text: str) -> str:
    """``text`` without NUL and the other control characters (C0, DEL, C1)."""
    return CONTROL_CHARACTERS.sub("", text)


def safe_slug(text: object, *, fallback: str = "file") -> str:
    """``text`` as ASCII letters, digits, hyphens and underscores only.

    Accents are folded (``é`` → ``e``); runs of anything else (dots and slashes included)
    become one hyphen, so the result is never hidden, never a path, never empty.
    """
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE_FILENAME.sub("-", folded).strip("-_")
    return slug[:MAX_FILENAME] or fallback


def safe_filename(*parts: object, extension: str) -> str:
    """A file name from parts (each made safe) joined by hyphens, with a safe extension."""
    stem = "-".join(safe_slug(part) for part in parts if str(part))
    ext = safe_slug(extension, fallback="bin").lower()
    return f"{stem or 'file'}.{ext}"


def attachment_disposition(filename: str, *, inline: bool = False) -> str:
    """A ``Content-Disposition`` value that cannot break the header (RFC 6266).

    The plain ``filename`` is ASCII with no quotes, backslashes or control characters;
    ``filename*`` carries the same name percent-encoded (RFC 5987) for clients that read it.
    """
    stem, dot, extension = filename.rpartition(".")
    plain = safe_filename(stem, extension=extension) if dot else safe_slug(filename)
    kind = "inline" if inline else "attachment"
    encoded = quote(CONTROL_CHARACTERS.sub("", filename), safe="")
    if encoded == plain:
        return f'{kind}; filename="{plain}"'
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{encoded}"


def safe_next(request: HttpRequest, target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site (``/…``, no scheme, no host), else ``fallback``.

    Used for ``?next=`` and the hidden "return to" fields: never a link to another site,
    never ``javascript:``, never ``//host`` or ``/\\host``.
    """
    target = (target or "").strip()
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or CONTROL_CHARACTERS.search(target)
        or urlsplit(target).netloc
    ):
        return fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def site_url(path: str = "/") -> str:
    """An absolute link to ``path`` on this site, from ``SITE_URL`` — never from the request's
    ``Host`` header, which the client chooses."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:  # already absolute: keep only what is on our site
        path = parts._replace(scheme="", netloc="").geturl()
    if not path.startswith("/"):
        path = f"/{path}"
    return f"{settings.SITE_URL}{path}"
