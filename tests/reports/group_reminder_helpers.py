"""Members short of credits by known amounts, their summaries written, for the group
reminder tests."""

from __future__ import annotations

from decimal import Decimal

from credits import compliance_summary_services
from tests.factories import CreditEntryFactory, MemberFactory
from tests.today import TODAY


def short_member(email: str, *, credits: int = 0, patient_safety: int = 0, **fields):
    """A member with one Category 1 entry of ``credits`` (0: none) in the current cycle, its
    ``patient_safety`` credits approved."""
    member = MemberFactory(user__email=email, **fields)
    if credits:
        CreditEntryFactory(
            member=member,
            credits=Decimal(credits),
            plastic_surgery_credits=Decimal(credits),
            patient_safety_credits=Decimal(patient_safety),
            review_status="approved" if patient_safety else "not_required",
        )
    return member


def summarize(*members) -> None:
    compliance_summary_services.refresh([member.pk for member in members], today=TODAY)
