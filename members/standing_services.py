"""Writes of a member's standing by hand, and the email that tells a member their standing.

The nightly job that judges standing (the rules, "Standing") is ``reports.standing_job``; it
sends its changes with :func:`send_standing_emails` too, so a member reads the same email
either way.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string

from members import security_log
from members.models import AuditEvent, Member, Standing, StandingChange, User

Email = tuple[str, str, str | None, list[str]]


@transaction.atomic
def standing_override(
    *, member: Member, standing: str, note: str, by: User, on: dt.date
) -> StandingChange:
    """Staff set a member's standing by hand, with a note (the rules, "Standing": "Staff may
    override with a note"). The job respects it from that day (members.standing)."""
    if standing not in Standing.values:
        raise ValidationError({"standing": ["Choose a standing from the list."]})
    if not note.strip():
        raise ValidationError({"note": ["Say why: the note is kept in the member's history."]})
    change = StandingChange.objects.create(
        member=member,
        from_standing=member.standing,
        to_standing=standing,
        effective_on=on,
        reason=note.strip(),
        changed_by=by,
    )
    member.standing, member.standing_since = standing, on
    member.save(update_fields=["standing", "standing_since"])
    security_log.record(
        AuditEvent.Action.STANDING_CHANGED,
        actor=by,
        target=member.asps_id,
        to=standing,
        effective_on=on.isoformat(),
        override=True,
    )
    message = standing_email(change)
    transaction.on_commit(lambda: send_emails([message]))
    return change


def standing_email(change: StandingChange) -> Email:
    """The email telling the member of one change of standing (for ``send_mass_mail``)."""
    member = change.member
    body = render_to_string(
        "emails/standing_change.txt",
        {"change": change, "member": member, "site_url": settings.SITE_URL},
    )
    subject = f"[CME Track] Your membership standing: {change.get_to_standing_display()}"
    return (subject, body, None, [member.user.email])


def send_emails(messages: list[Email]) -> None:
    if messages:
        send_mass_mail(messages, fail_silently=False, connection=get_connection())
