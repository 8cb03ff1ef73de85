"""Invitations: the one-time links new members and new staff get to choose a password, and
the member's invitation email (sent by ``members.tasks.send_invitations`` after a roster
import creates logins).

Both links carry allauth's password-reset token (``EmailAwarePasswordResetTokenGenerator``):
it hashes the password, the last login and the email addresses, so it works once, and it
expires after ``PASSWORD_RESET_TIMEOUT``. A member's link opens the welcome page
(``members.views.WelcomeView``), which logs them in and opens the dashboard; a staff
member's opens allauth's "set a new password" page (staff then set up two-factor).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import User

logger = logging.getLogger(__name__)


def password_link(user: User) -> str:
    """An absolute one-time link to allauth's "set a new password" page (staff invitations).

    allauth's token (``EmailAwarePasswordResetTokenGenerator``) hashes the password, the
    last login and the email addresses: once a password is chosen, the link stops working.
    It expires after ``PASSWORD_RESET_TIMEOUT`` (3 days by default).
    """
    return _token_link(user, "account_reset_password_from_key")


def invitation_link(user: User) -> str:
    """An absolute one-time link to the member's welcome page (``members.views.WelcomeView``):
    the same token as :func:`password_link`, single-use and expiring alike, on a page that
    welcomes the member and opens the dashboard once the password is chosen."""
    return _token_link(user, "account_welcome")


def _token_link(user: User, url_name: str) -> str:
    path = reverse(
        url_name,
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invitation_message(user: User) -> EmailMessage:
    member = user.member
    context = {
        "member": member,
        "email": user.email,
        "link": invitation_link(user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
        "site_url": settings.SITE_URL,
        "login_path": reverse("account_login"),
        "reset_path": reverse("account_reset_password"),
    }
    return EmailMessage(
        subject="[CME Track] Your CME record is ready: choose your password",
        body=render_to_string("emails/invitation.txt", context),
        to=[user.email],
    )


def send_invitations(user_ids: Sequence[int]) -> list[int]:
    """Email each new member their invitation; return the ids that could not be sent.

    Members who already chose a password (a retry after they did) are skipped, so a member is
    invited once.
    """
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in=user_ids, member__isnull=False).select_related(
            "member"
        )
    }
    pending = [users[pk] for pk in user_ids if pk in users and not users[pk].has_usable_password()]
    with get_connection() as mail_connection:
        for index, user in enumerate(pending):
            try:
                mail_connection.send_messages([invitation_message(user)])
            except (OSError, smtplib.SMTPException):
                logger.exception("Invitation to user %s not sent; will retry", user.pk)
                return [u.pk for u in pending[index:]]
    return []
