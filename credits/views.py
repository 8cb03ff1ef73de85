"""Member pages for credit entries: submit, list, view/edit, delete (with undo), certificates.

Tracer procedures have their own pages (credits/tracer_views.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from credits import (
    catalogue_form,
    certificate_reading,
    downloads,
    form_errors,
    pending_certificates,
    selectors,
    services,
)
from credits.forms import CertificateForm, CreditEntryForm, WindowForm
from credits.models import CreditEntry
from members import formatting, security_log
from members.selectors import member_of

ENTRIES_PER_PAGE = 100
MISSING_CERTIFICATE = "missing"


def form_context(
    form: CreditEntryForm | None,
    chosen_code: object = None,
    reading: certificate_reading.Result | None = None,
) -> dict:
    chosen = catalogue_form.chosen(chosen_code) if form is not None else None
    proposed = None
    if reading is not None and chosen is None:
        proposed = certificate_reading.matching_activity(reading.fields)
    return {
        "reading": reading,
        "proposed": proposed,
        "form": form,
        "known_providers": selectors.known_providers(),
        "chosen": chosen,
        "chosen_sentence": catalogue_form.designation_sentence(chosen) if chosen else "",
        "chosen_parts": catalogue_form.parts_of(chosen) if chosen else [],
        "chosen_automatic": catalogue_form.uploads_automatically(chosen) if chosen else False,
    }


@login_required
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    today = timezone.localdate()
    window_form = WindowForm(request.GET or None)
    window = window_form.window(cycle_start=member.cycle_start, today=today)
    missing = request.GET.get("certificate") == MISSING_CERTIFICATE
    entries = selectors.member_entries(
        member, window, newest_first=True, missing_certificate=missing
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "credits/entry_list.html",
        {
            "member": member,
            "window": window,
            "window_form": window_form,
            "page": page,
            "missing_certificate": missing,
            "totals": selectors.totals_for(member, window),
        },
    )


def _credited(value: object) -> str:
    number = formatting.credits(value)
    return f"{number} credit" if number == "1" else f"{number} credits"


@contextlib.contextmanager
def _certificate_of(form: CreditEntryForm) -> Iterator[object]:
    """The certificate to attach: a new file, or the one kept from the last try."""
    upload = form.cleaned_data.get("certificate")
    if upload or not form.pending:
        yield upload
        return
    with pending_certificates.open_file(form.pending) as kept:
        yield kept


def _saved(form: CreditEntryForm) -> None:
    """The entry is saved: the files kept for it are no longer needed."""
    pending_certificates.discard(form.pending)
    pending_certificates.discard(form.replaced)


def _keep_certificate(form: CreditEntryForm, user: object) -> None:
    """The form failed: keep a good certificate the member chose, for the next try."""
    upload = getattr(form, "cleaned_data", {}).get("certificate")
    if upload and "certificate" not in form.errors:
        pending_certificates.discard(form.replaced)
        form.pending = pending_certificates.stash(user=user, upload=upload)


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    if request.method == "GET":
        find = catalogue_form.Find.run(request.GET.get("find"))
        if request.GET.get("fragment"):  # the results as the member types (static/js/site.js)
            return render(request, "credits/_activity_results.html", {"find": find})
        initial = {
            "city": member.city,
            "state": member.state,
            "country": member.country or "United States",
        }
        reading = _reading(request, request.GET.get("reading"))
        if reading is not None and not reading.finished:
            return redirect(certificate_reading_url(reading.pending.token))
        chosen = catalogue_form.chosen(request.GET.get("activity"))
        if chosen is not None:
            initial.update(catalogue_form.initial_for(chosen))
        marks: dict[str, str] = {}
        if reading is not None:
            values, marks = certificate_reading.prefill(reading, activity_chosen=bool(chosen))
            initial.update(values)
        form = CreditEntryForm(initial=initial)
        if reading is not None:
            form.pending = reading.pending
            form.mark_read(marks)
        context = form_context(form, chosen and chosen.code, reading)
        return render(request, "credits/entry_form.html", {**context, "find": find})

    form = CreditEntryForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            with _certificate_of(form) as certificate:
                entry = services.entry_create(
                    member=member,
                    values=form.entry_values,
                    certificate=certificate,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                )
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            _saved(form)
            messages.success(request, f"Recorded: {entry.title} ({_credited(entry.credits)}).")
            return redirect("dashboard")
    _keep_certificate(form, request.user)
    reading = _reading(request, form.pending.token if form.pending else None)
    if reading is not None:
        form.mark_read(reading.marks(current=request.POST))
    context = form_context(form, request.POST.get("activity"), reading)
    return render(request, "credits/entry_form.html", context, status=400)


def certificate_reading_url(token: str) -> str:
    return f"{reverse('credits:reading')}?{urlencode({'c': token})}"


def _reading(request: HttpRequest, token: object) -> certificate_reading.Result | None:
    """The reading of the member's certificate named by ``token`` (None for none, another
    member's or an expired one)."""
    if not token or len(str(token)) > 1000:
        return None
    return certificate_reading.result_of(user=request.user, token=str(token))


def _entry_initial(entry: CreditEntry) -> dict:
    initial = {field: getattr(entry, field) for field in services.ENTRY_FIELDS}
    initial["provider"] = entry.provider.name if entry.provider else ""
    initial["activity"] = entry.activity.code if entry.activity_id else ""
    for field in services.CREDIT_FIELDS:  # "8", not "8.00"
        initial[field] = formatting.credits(getattr(entry, field))
    return initial


def _may_edit(entry: CreditEntry, request: HttpRequest) -> bool:
    return entry.member_may_edit and entry.member.user_id == request.user.pk


def _detail(
    request: HttpRequest,
    entry: CreditEntry,
    *,
    form: CreditEntryForm | None = None,
    certificate_form: CertificateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The entry's page: the edit form (when the member may edit) and the certificate card,
    whichever of the two came back with errors."""
    editable = _may_edit(entry, request)
    if editable and form is None:
        form = CreditEntryForm(initial=_entry_initial(entry))
    context = {
        "entry": entry,
        "editable": editable,
        "certificate_form": certificate_form or CertificateForm(),
        **form_context(
            form if editable else None,
            (form.data.get("activity") if form.is_bound else form.initial.get("activity"))
            if editable
            else None,
        ),
    }
    return render(request, "credits/entry_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_for(request.user, pk)
    if request.method == "GET":
        return _detail(request, entry)
    if not _may_edit(entry, request):
        raise Http404("This entry cannot be changed here.")
    form = CreditEntryForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        try:
            with _certificate_of(form) as certificate:
                services.entry_update(
                    entry=entry,
                    values=form.entry_values,
                    certificate=certificate,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                    by=request.user,
                    ip=security_log.client_ip(request),
                )
        except ValidationError as error:
            form.add_error(None, form_errors.form_error(error))
        else:
            _saved(form)
            messages.success(request, "Your changes are saved.")
            return redirect("credits:detail", pk=entry.pk)
    _keep_certificate(form, request.user)
    entry.refresh_from_db()  # the page shows the entry as stored, the form what was typed
    return _detail(request, entry, form=form, status=400)


def _editable_entry(request: HttpRequest, pk: int) -> CreditEntry:
    entry = selectors.entry_for(request.user, pk)
    if not _may_edit(entry, request):
        raise Http404("This entry cannot be deleted here.")
    return entry


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes and offers to undo for a few minutes."""
    entry = _editable_entry(request, pk)
    if request.method == "GET":
        return render(request, "credits/entry_confirm_delete.html", {"entry": entry})
    title = entry.title
    services.entry_delete(entry=entry)
    html = render_to_string(
        "credits/_deleted_message.html",
        {"title": title, "pk": pk, "minutes": services.UNDO_DELETE_MINUTES},
        request=request,
    )
    messages.success(request, mark_safe(html))  # noqa: S308 - the template escapes the title
    return redirect("credits:list")


@login_required
@require_POST
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the deletion of the member's own entry, within a few minutes; anyone else's entry
    (deleted or not) is a 404."""
    member = member_of(request.user)
    if selectors.is_own_entry(request.user, pk):
        messages.info(request, "This entry is already in your record.")
        return redirect("credits:detail", pk=pk)
    record = selectors.deleted_entry(member, pk)
    if record is None:
        raise Http404("No deleted entry of yours to restore.")
    try:
        entry = services.entry_undo_delete(record=record, now=timezone.now())
    except services.UndoWouldRepeat as repeat:
        messages.error(
            request,
            f"You recorded this activity again after deleting it (“{repeat.other.title}”): "
            "bringing the deleted entry back would count it twice.",
        )
        return redirect("credits:detail", pk=repeat.other.pk)
    except services.UndoTooLate:
        messages.error(
            request,
            f"“{record.title}” was deleted more than {services.UNDO_DELETE_MINUTES} minutes "
            "ago and can no longer be restored here. Member services can restore it.",
        )
        return redirect("credits:list")
    messages.success(request, f"Restored: {entry.title}.")
    return redirect("credits:detail", pk=entry.pk)


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
    entry.refresh_from_db()
    return _detail(request, entry, certificate_form=form, status=400)
