"""The security log: one function to record an event, and the signal receivers that call it.

Never store a password, a token or a secret: receivers pass only the email and the IP.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from members.models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the peer's, or with TRUSTED_PROXY_COUNT proxies in front, the
    one the outermost trusted proxy put in X-Forwarded-For (what the client wrote itself
    before that is never believed). The same address the rate limits use."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        candidate = addresses[-min(count, len(addresses))]
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_address(candidate))
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    target: str = "",
    email: str = "",
    ip: str | None = None,
    **details: Any,
) -> AuditEvent:
    """One event; ``ip`` is for services, which get the address from their caller."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_email=(actor.email if actor is not None else email)[:254],
        ip=ip or client_ip(request),
        target=str(target)[:255],
        details=details,
    )


def record_many(events: Iterable[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(list(events), batch_size=2000)


@receiver(user_logged_in)
def _logged_in(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(AuditEvent.Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: object, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(AuditEvent.Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django already masks the password; keep only the address that was tried.
    email = str(credentials.get("email") or credentials.get("username") or "")
    record(AuditEvent.Action.LOGIN_FAILED, request=request, email=email, target=email)


def connect_allauth_signals() -> None:
    from allauth.account.signals import password_changed, password_reset
    from allauth.mfa.signals import authenticator_added, authenticator_removed

    def on_password_changed(sender: object, request: HttpRequest, user: User, **kw: Any) -> None:
        record(AuditEvent.Action.PASSWORD_CHANGED, actor=user, request=request)

    def on_password_reset(sender: object, request: HttpRequest, user: User, **kw: Any) -> None:
        record(AuditEvent.Action.PASSWORD_RESET, actor=user, request=request)

    def on_mfa_added(
        sender: object, request: HttpRequest, user: User, authenticator: Any, **kw: Any
    ) -> None:
        record(AuditEvent.Action.MFA_ADDED, actor=user, request=request, kind=authenticator.type)

    def on_mfa_removed(
        sender: object, request: HttpRequest, user: User, authenticator: Any, **kw: Any
    ) -> None:
        record(AuditEvent.Action.MFA_REMOVED, actor=user, request=request, kind=authenticator.type)

    password_changed.connect(on_password_changed, weak=False, dispatch_uid="audit-password-changed")
    password_reset.connect(on_password_reset, weak=False, dispatch_uid="audit-password-reset")
    authenticator_added.connect(on_mfa_added, weak=False, dispatch_uid="audit-mfa-added")
    authenticator_removed.connect(on_mfa_removed, weak=False, dispatch_uid="audit-mfa-removed")


def connect_import_signals() -> None:
    """The audit log's line for a finished (or failed) import run (``imports`` sends it)."""
    from imports.signals import run_finished

    def on_run_finished(sender: object, run: Any, details: dict[str, str], **kw: Any) -> None:
        record(
            AuditEvent.Action.IMPORT,
            actor=run.uploaded_by,
            target=f"import run {run.pk}",
            kind=run.kind,
            file=run.file_name,
            status=run.status,
            **details,
        )

    run_finished.connect(on_run_finished, weak=False, dispatch_uid="audit-import-run-finished")
