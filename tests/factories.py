from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from members.models import Member, MembershipType, User
from tests.today import shifted

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password(PASSWORD)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    asps_id = factory.Sequence(lambda n: f"{10000 + n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    credentials = "MD"
    membership_type = MembershipType.ACTIVE
    # With the default "today" (2026-06-15) the member is in the cycle 2025-2027.
    joined_on = shifted(dt.date(2015, 6, 1))
    cycle_start = shifted(dt.date(2016, 1, 1))
    city = "Chicago"
    state = "IL"
    country = "United States"


class ProviderFactory(DjangoModelFactory):
    class Meta:
        model = "credits.Provider"
        django_get_or_create = ("name",)

    name = "Baker Gordon Educational Foundation"
    abbreviation = "BGEF"
    accreditation = "ACCME"
    verified = True


class CreditEntryFactory(DjangoModelFactory):
    """A self-reported Category 1 entry in the member's current cycle, a year before "today"
    (2025-05-01 in the cycle 2025-2027 with the default "today")."""

    class Meta:
        model = "credits.CreditEntry"

    member = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Plastic Surgery Course {n}")
    activity_type = "live_activity"
    category = 1
    provider = factory.SubFactory(ProviderFactory)
    start_date = factory.LazyAttribute(lambda entry: entry.end_date)
    end_date = shifted(dt.date(2025, 5, 1))
    credits = Decimal("5")
    patient_safety_credits = Decimal("1")
    patient_safety_kind = "general"
    plastic_surgery_credits = Decimal("4")
    city = "Chicago"
    state = "IL"
    country = "United States"
    source = "self_reported"
    review_status = factory.LazyAttribute(
        lambda entry: "pending" if entry.patient_safety_credits else "not_required"
    )

    @classmethod
    def create_in_bulk(cls, count: int, **fields: object) -> list:
        """Many entries in one INSERT, for tests that need volume."""
        from credits.models import CreditEntry

        fields.setdefault("provider", ProviderFactory())
        return CreditEntry.objects.bulk_create(cls.build_batch(count, **fields))


class TracerProcedureFactory(DjangoModelFactory):
    """An ABPS tracer procedure (ABPS Continuous Certification)."""

    class Meta:
        model = "credits.TracerProcedure"
        django_get_or_create = ("name",)

    name = "Breast reduction"


class ApprovedActivityFactory(DjangoModelFactory):
    """An ABPS-approved educational activity aligned with a tracer procedure."""

    class Meta:
        model = "credits.ApprovedActivity"

    title = factory.Sequence(lambda n: f"Approved course {n}")
    tracer_procedure = factory.SubFactory(TracerProcedureFactory)
    format = "course"
    offered_by = "ASPS"


class CompletedTracerProcedureFactory(DjangoModelFactory):
    """A tracer procedure a diplomate completed; no activity linked unless given."""

    class Meta:
        model = "credits.CompletedTracerProcedure"

    member = factory.SubFactory(MemberFactory)
    procedure = factory.SubFactory(TracerProcedureFactory)
    completed_on = shifted(dt.date(2025, 3, 1))


def on_fixed_cycles(member):
    """Give a member the cycles that tests on given dates are written for (the first one
    starting 2016-01-01, then 2019, 2022, 2025, ...), whatever the suite's "today"."""
    member.joined_on = dt.date(2015, 6, 1)
    member.cycle_start = dt.date(2016, 1, 1)
    member.save(update_fields=["joined_on", "cycle_start"])
    return member


def in_cme_staff(user):
    """Put a user in the "CME staff" group that migration credits 0004 creates."""
    user.groups.add(cme_staff_group())
    return user


def cme_staff_group():
    """The "CME staff" group that migration credits 0004 creates.

    A transactional test (the browser tests) empties the tables when it ends, the group and
    the permissions included; they are made again here when that has happened.
    """
    import importlib

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("credits.migrations.0004_cme_staff_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP)
    if created:
        for app_config in apps.get_app_configs():
            create_permissions(app_config, verbosity=0)
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in migration.PERMISSIONS
            )
        )
    return group


def with_two_factor(user):
    """Give a user an authenticator app (staff pages require one)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
