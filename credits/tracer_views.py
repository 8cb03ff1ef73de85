"""Member pages for tracer procedures (ABPS Continuous Certification)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from credits import certification_selectors, certification_services, form_errors, rules
from credits.forms import TracerProcedureForm
from credits.models import CompletedTracerProcedure
from members import formatting
from members.models import Member
from members.selectors import member_of


def _tracer_form(
    data: object = None, *, record: CompletedTracerProcedure | None = None, **kwargs: object
) -> TracerProcedureForm:
    return TracerProcedureForm(
        data,
        procedures=certification_selectors.procedure_choices(keep=record),
        activities=certification_selectors.activity_choices(keep=record),
        **kwargs,
    )


def _tracer_context(member: Member, form: TracerProcedureForm, **extra: object) -> dict:
    today = timezone.localdate()
    next_deadline = (
        rules.next_milestone(member.abps_certification_year, today)
        if member.is_abps_diplomate
        else None
    )
    return {
        "member": member,
        "form": form,
        "procedures": certification_selectors.tracer_procedures_of(member),
        "next_deadline": next_deadline,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def tracer_list(request: HttpRequest) -> HttpResponse:
    """The member's tracer procedures, and the form to record another."""
    member = member_of(request.user)
    if request.method == "GET":
        form = _tracer_form()
        return render(request, "credits/tracer_list.html", _tracer_context(member, form))
    form = _tracer_form(request.POST)
    if form.is_valid():
        try:
            record = certification_services.tracer_procedure_create(
                member=member, values=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            messages.success(request, f"Recorded: {record.procedure.name}.")
            return redirect("credits:tracer_list")
    return render(request, "credits/tracer_list.html", _tracer_context(member, form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def tracer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one of the member's tracer procedures; anyone else's is a 404."""
    record = certification_selectors.tracer_procedure_for(request.user, pk)
    if request.method == "GET":
        initial = {field: getattr(record, field) for field in certification_services.TRACER_FIELDS}
        form = _tracer_form(record=record, initial=initial)
        return render(request, "credits/tracer_detail.html", {"record": record, "form": form})
    form = _tracer_form(request.POST, record=record)
    if form.is_valid():
        try:
            certification_services.tracer_procedure_update(record=record, values=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("credits:tracer_list")
    return render(
        request, "credits/tracer_detail.html", {"record": record, "form": form}, status=400
    )


@login_required
@require_POST
def tracer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = certification_selectors.tracer_procedure_for(request.user, pk)
    name = record.procedure.name
    certification_services.tracer_procedure_delete(record=record)
    messages.success(request, f"Deleted: {name} of {formatting.day(record.completed_on)}.")
    return redirect("credits:tracer_list")
