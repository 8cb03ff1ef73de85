"""Adding CME staff: one service for ``manage.py invite_staff`` and the superusers' page.

An invitation makes the login (or takes the existing one) staff in the "CME staff" group and
emails a one-time link to choose a password: the same link as a member's invitation
(:func:`members.invitations.password_link`), built from ``SITE_URL``. Using the link verifies
the address (:mod:`members.email_verification`), so the new staff member can then set up
two-factor authentication, which staff pages ask for before they show any member's data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from members import access, security_log
from members.invitations import password_link
from members.models import AuditEvent, User, normalize_email

SUBJECT = "[CME Track] You have been added as CME staff: choose your password"


@dataclass(frozen=True)
class StaffInvitation:
    user: User
    created: bool  # a new login (False: an existing one was made staff)


def staff_group() -> Group:
    try:
        return Group.objects.get(name=access.CME_STAFF_GROUP)
    except Group.DoesNotExist:
        raise ValidationError(
            f"The “{access.CME_STAFF_GROUP}” group is missing: run “manage.py migrate” first."
        ) from None


def clean_email(email: str) -> str:
    email = normalize_email(email or "")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [f"“{email}” is not an email address."]}) from None
    return email


def invitation_message(user: User, *, created: bool) -> EmailMessage:
    context = {
        "email": user.email,
        "created": created,
        "link": password_link(user),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
        "site_url": settings.SITE_URL,
        "login_path": reverse("account_login"),
        "reset_path": reverse("account_reset_password"),
        "two_factor_path": reverse("mfa_activate_totp"),
    }
    return EmailMessage(
        subject=SUBJECT,
        body=render_to_string("emails/staff_invitation.txt", context),
        to=[user.email],
    )


def invite_staff(
    email: str, *, invited_by: User | None = None, request: HttpRequest | None = None
) -> StaffInvitation:
    """Make ``email``'s login CME staff (creating it if needed) and email the link.

    A new login gets an unusable password: nobody can log in with it until the link is used.
    An existing login keeps its password (the link lets its owner choose a new one). The
    email is sent once the change is committed; an email that cannot be sent raises (the
    caller says so, and inviting again sends a new link).
    """
    email = clean_email(email)
    with transaction.atomic():
        group = staff_group()
        user = User.objects.select_for_update().filter(email=email).first()
        created = user is None
        if user is not None and not user.is_active:
            raise ValidationError(
                {
                    "email": [
                        f"The login {email} is deactivated: reactivate it in the admin first "
                        "if this person should have access again."
                    ]
                }
            )
        if created:
            user = User.objects.create_user(email=email, password=None, is_staff=True)
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)
        access.forget(user)
        security_log.record(
            AuditEvent.Action.STAFF_INVITED,
            actor=invited_by,
            request=request,
            target=email,
            new_login=created,
        )
    invitation_message(user, created=created).send()
    return StaffInvitation(user=user, created=created)
