"""Email addresses proven by using a link sent to them.

allauth keeps an :class:`~allauth.account.models.EmailAddress` per login and refuses to
activate two-factor authentication while one of them is unverified. Accounts here come from
the society (the roster, or a staff invitation), and their owners set their password through
a one-time link emailed to that address: using it proves the address, so it is marked
verified then. An address added later is verified through allauth's own confirmation email,
which the two-factor page offers to send.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.http import HttpRequest

from members import security_log
from members.models import AuditEvent, User


@transaction.atomic
def verify_login_address(user: User, *, request: HttpRequest | None = None) -> None:
    """Mark the login's own address (``user.email``) verified and primary."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress(user=user, email=user.email)
    if address.verified and address.primary:
        return
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.verified = True
    address.primary = True
    address.save()
    security_log.record(
        AuditEvent.Action.EMAIL_VERIFIED,
        actor=user,
        request=request,
        target=user.email,
        how="one-time link",
    )


def unverified_addresses(user: User) -> list[EmailAddress]:
    return list(EmailAddress.objects.filter(user=user, verified=False).order_by("pk"))


def send_verifications(request: HttpRequest, user: User) -> tuple[list[str], list[str]]:
    """Email a confirmation link to each unverified address of ``user``.

    Returns (addresses sent to, addresses held back): allauth's rate limit on confirmation
    emails (``ACCOUNT_RATE_LIMITS["confirm_email"]``) applies, as on its own email page.
    """
    from allauth.account.internal.flows.email_verification import (
        send_verification_email_to_address,
    )

    sent, held = [], []
    for address in unverified_addresses(user):
        if send_verification_email_to_address(request, address):
            sent.append(address.email)
        else:
            held.append(address.email)
    return sent, held


def connect_allauth_signals() -> None:
    from allauth.account.signals import email_confirmed, password_reset

    def on_password_reset(sender: object, request: HttpRequest, user: User, **kw: Any) -> None:
        verify_login_address(user, request=request)

    def on_email_confirmed(
        sender: object, request: HttpRequest, email_address: EmailAddress, **kw: Any
    ) -> None:
        security_log.record(
            AuditEvent.Action.EMAIL_VERIFIED,
            actor=email_address.user,
            request=request,
            target=email_address.email,
            how="confirmation email",
        )

    password_reset.connect(on_password_reset, weak=False, dispatch_uid="verify-on-password-reset")
    email_confirmed.connect(on_email_confirmed, weak=False, dispatch_uid="audit-email-confirmed")
