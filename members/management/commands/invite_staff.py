"""``python manage.py invite_staff EMAIL``: add a CME staff member.

Creates the login (or takes the existing one), makes it staff in the "CME staff" group and
emails a one-time link to choose a password. Staff then set up two-factor authentication,
which the staff pages ask for at their first visit.
"""

from __future__ import annotations

import smtplib

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from members import staff_invites


class Command(BaseCommand):
    help = "Make EMAIL a CME staff member and email them a link to choose their password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The staff member's email address (their login).")

    def handle(self, *args: object, email: str, **options: object) -> None:
        try:
            invitation = staff_invites.invite_staff(email)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(
                f"{email} is now CME staff, but the email could not be sent ({error}). "
                "Run the command again to send a new link."
            ) from error
        user = invitation.user
        what = "Created" if invitation.created else "Updated"
        self.stdout.write(
            f"{what} {user.email}: CME staff. A link to choose a password was emailed to them; "
            "they set up two-factor authentication at their first visit to the staff pages."
        )
