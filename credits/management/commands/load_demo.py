"""``load_demo``: a demo member with a CME record and a staff user, passwords printed once."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from credits import compliance_snapshots
from credits.demo import load_demo_certification, load_demo_entries
from members.models import User
from members.services import member_create, user_by_email

DEMO_MEMBER_EMAIL = "member@example.org"
DEMO_STAFF_EMAIL = "staff@example.org"


def new_password() -> str:
    """Readable but unguessable: four groups of five characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def demo_cycle_start(today: dt.date) -> dt.date:
    """A cycle that ends this year, so the demo always shows a cycle well under way."""
    return dt.date(today.year - 2, 1, 1)


class Command(BaseCommand):
    help = "Create (or refresh) the demo member and staff user and print their passwords."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        member_password, staff_password = new_password(), new_password()
        today = timezone.localdate()

        member_user = user_by_email(DEMO_MEMBER_EMAIL)
        if member_user is None:
            member = member_create(
                email=DEMO_MEMBER_EMAIL,
                asps_id="22428",
                first_name="Steve",
                last_name="Sample",
                credentials="MD, FACS",
                joined_on=dt.date(2011, 3, 9),
                cycle_start=demo_cycle_start(today),
                city="Arlington Heights",
                state="IL",
                password=member_password,
            )
            member_user = member.user
        else:
            member_user.set_password(member_password)
            member_user.save(update_fields=["password"])
            member_user.member.cycle_start = demo_cycle_start(today)
            member_user.member.save(update_fields=["cycle_start"])
        entries = load_demo_entries(member_user.member, today=today)
        tracer_procedures = load_demo_certification(member_user.member, today=today)

        staff_user = user_by_email(DEMO_STAFF_EMAIL)
        if staff_user is None:
            staff_user = User.objects.create_user(
                email=DEMO_STAFF_EMAIL, password=staff_password, is_staff=True
            )
        else:
            staff_user.set_password(staff_password)
            staff_user.is_staff = True
            staff_user.save(update_fields=["password", "is_staff"])

        staff_user.groups.add(Group.objects.get(name="CME staff"))
        # The staff overview's chart of the last three years' month ends.
        compliance_snapshots.backfill(months=36, today=today)
        self.stdout.write(
            f"Demo member: {entries} CME entries in the current cycle; ABPS diplomate with "
            f"{tracer_procedures} tracer procedures."
        )
        self.stdout.write(
            self.style.SUCCESS("Demo logins (passwords are new each time load_demo runs):")
        )
        self.stdout.write(f"  member: {DEMO_MEMBER_EMAIL}  password: {member_password}")
        self.stdout.write(f"  staff:  {DEMO_STAFF_EMAIL}  password: {staff_password}")
