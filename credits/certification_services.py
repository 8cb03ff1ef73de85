"""The writes of the ABPS Continuous Certification (docs/rules.md §6): a member's completed
tracer procedures, checked before they are saved. The reads are in
:mod:`credits.certification_selectors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from credits.models import ApprovedActivity, CompletedTracerProcedure, TracerProcedure
from members.models import Member


def check_tracer_procedure(
    values: Mapping[str, Any], *, today: dt.date, current: CompletedTracerProcedure | None = None
) -> dict[str, list[str]]:
    """Messages keyed by field; empty when the values may be saved.

    The activity must be aligned with the procedure (ABPS Continuous Certification:
    "aligned with the completed tracer procedure"); an activity and its date go together;
    nothing is dated in the future.
    Whether the dates fall in a deadline's window is for the rules to judge, not a reason to
    refuse the record.
    """
    errors: dict[str, list[str]] = {}
    procedure: TracerProcedure | None = values.get("procedure")
    activity: ApprovedActivity | None = values.get("approved_activity")
    completed_on = values.get("completed_on")
    activity_completed_on = values.get("activity_completed_on")
    keeps_procedure = current is not None and procedure == current.procedure
    if procedure is None:
        errors.setdefault("procedure", []).append("Choose the tracer procedure.")
    elif not procedure.active and not keeps_procedure:
        errors.setdefault("procedure", []).append(
            f"{procedure.name} is no longer on the ABPS list of tracer procedures."
        )
    if completed_on is None:
        errors.setdefault("completed_on", []).append("Give the date of the procedure.")
    elif completed_on > today:
        errors.setdefault("completed_on", []).append("The date cannot be in the future.")
    if (
        activity is not None
        and procedure is not None
        and activity.tracer_procedure_id != procedure.pk
    ):
        errors.setdefault("approved_activity", []).append(
            f"“{activity.title}” is aligned with {activity.tracer_procedure.name}, not with "
            f"{procedure.name}. Choose an activity aligned with {procedure.name}."
        )
    if activity is not None and activity_completed_on is None:
        errors.setdefault("activity_completed_on", []).append(
            "Give the date you completed the activity."
        )
    if activity is None and activity_completed_on is not None:
        errors.setdefault("approved_activity", []).append(
            "Choose the activity you completed on that date, or clear the date."
        )
    if activity_completed_on is not None and activity_completed_on > today:
        errors.setdefault("activity_completed_on", []).append("The date cannot be in the future.")
    return errors


TRACER_FIELDS = ("procedure", "completed_on", "approved_activity", "activity_completed_on")


@transaction.atomic
def tracer_procedure_create(
    *, member: Member, values: Mapping[str, Any], today: dt.date | None = None
) -> CompletedTracerProcedure:
    errors = check_tracer_procedure(values, today=today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    record = CompletedTracerProcedure(
        member=member, **{field: values.get(field) for field in TRACER_FIELDS}
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def tracer_procedure_update(
    *,
    record: CompletedTracerProcedure,
    values: Mapping[str, Any],
    today: dt.date | None = None,
) -> CompletedTracerProcedure:
    errors = check_tracer_procedure(values, today=today or timezone.localdate(), current=record)
    if errors:
        raise ValidationError(errors)
    for field in TRACER_FIELDS:
        setattr(record, field, values.get(field))
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def tracer_procedure_delete(*, record: CompletedTracerProcedure) -> None:
    record.delete()
