"""API tokens: who gets one, for how long, and what ends one.

- **Getting one** (:func:`obtain`): the email and password, checked against the same
  per-account lock as the web login (failures on either count for both; a locked account
  gets no token, even with the right password). An account with two-factor enabled — any
  member who turned it on, and every CME staff user — also gives a code from its
  authenticator app or one of its recovery codes (``otp``). CME staff who have not set up
  two-factor get no token until they do.
- **One token per account** (DRF's ``Token``): asking again while it is valid returns the
  same token and its expiry; it is revoked when it expires (``API_TOKEN_DAYS`` after it was
  issued), when the password changes or is reset, when two-factor is turned on, on a web
  logout, and by ``DELETE /api/v1/auth/token/``.
- Issuing and revoking are kept in the security log, with the client's address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_out
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from members import access
from members.adapters import login_attempts_key
from members.models import AuditEvent, User
from members.security_log import record

BAD_CREDENTIALS = "The email address and/or password are not correct."
LOCKED = "Too many failed login attempts. Try again later."
CODE_NEEDED = (
    "This account uses two-factor authentication: give the code from your authenticator "
    "app (or one of your recovery codes) as otp."
)
CODE_WRONG = "That code is not correct (or was used already): give a current code as otp."
EXPIRED = "This token has expired: ask for a new one at POST /api/v1/auth/token/."


class TokenRefused(Exception):
    """Why no token: ``errors`` as the API answers them and the HTTP status (400, 403, 429)."""

    def __init__(self, status: int, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.status = status
        self.errors = errors


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=settings.API_TOKEN_DAYS)


def expires_at(token: Token) -> dt.datetime:
    return token.created + lifetime()


def is_expired(token: Token) -> bool:
    return expires_at(token) <= timezone.now()


# --- Getting a token ------------------------------------------------------------------------


def _consume(request: HttpRequest, key: str) -> ratelimit.RateLimitUsage:
    """One attempt against allauth's ``login_failed`` limits for ``key`` (the same limits
    and cache entries as the web login); refused when the key is locked."""
    usage = ratelimit.consume(request, app="allauth.account", action="login_failed", key=key)
    if not usage:
        raise TokenRefused(429, {"detail": LOCKED})
    return usage


def _second_factor(user: User, code: str) -> Authenticator | None:
    """The authenticator (TOTP or recovery codes) that accepts ``code``, validated by
    allauth itself (a TOTP code is accepted once; a recovery code is used up)."""
    with transaction.atomic():  # recovery codes lock their row while a code is used up
        authenticators = Authenticator.objects.filter(user=user).exclude(
            type=Authenticator.Type.WEBAUTHN
        )
        for authenticator in authenticators:
            if authenticator.wrap().validate_code(code):
                authenticator.record_usage()
                return authenticator
    return None


def obtain(request: HttpRequest, *, email: str, password: str, otp: str = "") -> Token:
    """A token for these credentials, or :class:`TokenRefused`.

    Every refused attempt counts toward the account's lock; a successful one takes its own
    count back (as the web login does), so a guesser cannot reset the count by logging in.
    """
    email = email.strip().lower()
    usage = _consume(request, login_attempts_key(email))
    user = authenticate(request, email=email, password=password)
    if user is None or not user.is_active:
        raise TokenRefused(400, {"non_field_errors": [BAD_CREDENTIALS]})
    if access.needs_two_factor(user):
        usage.rollback()
        raise TokenRefused(403, {"detail": access.TWO_FACTOR_MESSAGE})
    method = None
    if is_mfa_enabled(user):
        if not otp.strip():
            raise TokenRefused(400, {"otp": [CODE_NEEDED]})
        # The key allauth's own two-factor step counts wrong codes under.
        code_usage = _consume(request, f"mfa-auth-user-{user.pk}")
        authenticator = _second_factor(user, otp.strip())
        if authenticator is None:
            record(
                AuditEvent.Action.LOGIN_FAILED,
                request=request,
                email=user.email,
                target=user.email,
                reason="wrong two-factor code (API token)",
            )
            raise TokenRefused(400, {"otp": [CODE_WRONG]})
        code_usage.rollback()
        method = authenticator.type
    usage.rollback()
    return issue(user, request=request, second_factor=method)


def issue(user: User, *, request: HttpRequest | None = None, second_factor: str | None) -> Token:
    """The account's valid token (a new one if it had none or it expired); in the security log."""
    token = Token.objects.filter(user=user).first()
    if token is not None and is_expired(token):
        revoke(user, reason="expired")
        token = None
    if token is None:
        try:
            with transaction.atomic():
                token = Token.objects.create(user=user)
        except IntegrityError:  # issued at the same moment by another request
            token = Token.objects.get(user=user)
    record(
        AuditEvent.Action.TOKEN_ISSUED,
        actor=user,
        request=request,
        target=user.email,
        second_factor=second_factor,
        expires=expires_at(token).isoformat(),
    )
    return token


# --- Ending a token ------------------------------------------------------------------------


def revoke(user: User, *, reason: str, request: HttpRequest | None = None) -> bool:
    """Delete the account's token (if any); the security log says why."""
    if user is None or user.pk is None:
        return False
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        record(
            AuditEvent.Action.TOKEN_REVOKED,
            actor=user,
            request=request,
            target=user.email,
            reason=reason,
        )
    return bool(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing (and revoking) a token past its lifetime."""

    def authenticate_credentials(self, key: str) -> tuple[User, Token]:
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            revoke(user, reason="expired")
            raise AuthenticationFailed(EXPIRED)
        return user, token


def _password_saved(sender: type, instance: User, created: bool, **kwargs: Any) -> None:
    # set_password() keeps the new raw password on the user until save() has finished, for
    # the password validators' password_changed(): present means the password changed (a
    # change, a reset, the admin, a management command).
    if not created and getattr(instance, "_password", None) is not None:
        revoke(instance, reason="password_changed")


def _logged_out(sender: object, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        revoke(user, reason="logout", request=request)


def _authenticator_saved(
    sender: type, instance: Authenticator, created: bool, **kwargs: Any
) -> None:
    # Tokens issued without a second factor end when the account gets one.
    if created and instance.type != Authenticator.Type.RECOVERY_CODES:
        revoke(instance.user, reason="two_factor_added")


def connect_signals() -> None:
    post_save.connect(_password_saved, sender=User, dispatch_uid="tokens-password-saved")
    post_save.connect(
        _authenticator_saved, sender=Authenticator, dispatch_uid="tokens-authenticator-added"
    )
    user_logged_out.connect(_logged_out, dispatch_uid="tokens-logged-out")
