"""Member pages for credit entries (submit, list, view/edit, delete, certificates) and for
tracer procedures (ABPS Continuous Certification)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credits import (
    certification_selectors,
    certification_services,
    downloads,
    form_errors,
    rules,
    selectors,
    services,
)
from credits.forms import CertificateForm, CreditEntryForm, TracerProcedureForm, WindowForm
from credits.models import CompletedTracerProcedure, CreditEntry
from members import formatting, security_log
from members.models import Member
from members.selectors import member_of

ENTRIES_PER_PAGE = 100


def _form_context(form: CreditEntryForm) -> dict:
    return {"form": form, "known_providers": selectors.known_providers()}


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    today = timezone.localdate()
    window_form = WindowForm(request.GET or None)
    window = window_form.window(cycle_start=member.cycle_start, today=today)
    page = Paginator(selectors.member_entries(member, window), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "credits/entry_list.html",
        {
            "member": member,
            "window": window,
            "window_form": window_form,
            "page": page,
            "totals": selectors.totals_for(member, window),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    if request.method == "GET":
        form = CreditEntryForm(
            initial={
                "city": member.city,
                "state": member.state,
                "country": member.country or "United States",
            }
        )
        return render(request, "credits/entry_form.html", _form_context(form))

    form = CreditEntryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            entry = services.entry_create(
                member=member,
                values=form.entry_values,
                certificate=form.cleaned_data["certificate"],
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            )
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            messages.success(
                request, f"Recorded: {entry.title} ({rules.format_credits(entry.credits)} credits)."
            )
            return redirect("dashboard")
    return render(request, "credits/entry_form.html", _form_context(form), status=400)


def _entry_initial(entry: CreditEntry) -> dict:
    initial = {field: getattr(entry, field) for field in services.ENTRY_FIELDS}
    initial["provider"] = entry.provider.name if entry.provider else ""
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for(request.user, pk)
    editable = entry.member_may_edit and entry.member.user_id == request.user.pk
    form = CreditEntryForm(initial=_entry_initial(entry)) if editable else None
    status = 200
    if request.method == "POST":
        if not editable:
            raise Http404("This entry cannot be changed here.")
        form = CreditEntryForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.entry_update(
                    entry=entry,
                    values=form.entry_values,
                    certificate=form.cleaned_data["certificate"],
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                    by=request.user,
                    ip=security_log.client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, form_errors.form_error(error))
            else:
                messages.success(request, "Your changes are saved.")
                return redirect("credits:detail", pk=entry.pk)
        status = 400
    context = {
        "entry": entry,
        "editable": editable,
        "certificate_form": CertificateForm(),
        **_form_context(form),
    }
    return render(request, "credits/entry_detail.html", context, status=status)


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for(request.user, pk)
    if not (entry.member_may_edit and entry.member.user_id == request.user.pk):
        raise Http404("This entry cannot be deleted here.")
    title = entry.title
    services.entry_delete(entry=entry)
    messages.success(request, f"Deleted: {title}. Member services can restore it if needed.")
    return redirect("credits:list")


@login_required
@require_http_methods(["GET", "POST"])
def entry_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET downloads the certificate (owner or staff); POST uploads one (owner)."""
    entry = selectors.entry_for(request.user, pk)
    if request.method == "GET":
        return downloads.certificate_response(entry)
    if entry.member.user_id != request.user.pk:
        raise Http404("Only the member uploads certificates.")
    form = CertificateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.certificate_upload(
                entry=entry,
                certificate=form.cleaned_data["certificate"],
                by=request.user,
                ip=security_log.client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            messages.success(request, "Certificate uploaded.")
            return redirect("credits:detail", pk=entry.pk)
    context = {
        "entry": entry,
        "editable": False,
        "certificate_form": form,
        **_form_context(None),
    }
    return render(request, "credits/entry_detail.html", context, status=400)


# --- Tracer procedures (ABPS Continuous Certification) -----------------------------


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
