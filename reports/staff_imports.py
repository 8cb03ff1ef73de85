"""Staff pages for imports: upload a file, follow its run, read what was not taken.

Contract ("Import files"): rows that cannot be imported "are kept with the reason and shown
to staff". Anyone but CME staff gets a 404 (``staff_page``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cmetrack.http import attachment_disposition
from credits.import_selectors import flagged_duplicates
from credits.models import HeldMeetingCredit
from imports import registry, selectors, services, tasks
from imports.models import ImportRun
from imports.reading import MAX_FILE_BYTES, decode_file
from imports.stream import ImportFileError
from members import security_log as audit_log
from members.access import staff_page
from members.models import AuditEvent
from reports.cme_report import safe_cell

RUNS_PAGE_SIZE = 50
REJECTIONS_PAGE_SIZE = 200


class UploadForm(forms.Form):
    """One CSV file of a given kind: UTF-8, at most 20 MB, with the kind's header."""

    file = forms.FileField(
        label="CSV file", widget=forms.FileInput(attrs={"accept": ".csv,text/csv"})
    )

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        self.registered = registry.get(kind)  # its columns make the page's help text
        self.columns, self.optional = self.registered.required, self.registered.optional
        self.description, self.button = self.registered.description, self.registered.button

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1_048_576} MB. Split it into smaller files."
            )
        try:
            self.text = decode_file(upload.read())
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        try:
            services.check_file(self.kind, self.text)
        except ImportFileError as error:
            other = selectors.kind_of_file(self.text, other_than=self.kind)
            if other is None:
                raise forms.ValidationError(str(error)) from error
            raise forms.ValidationError(
                f"This looks like a {other.label[0].lower()}{other.label[1:]} file: choose "
                f"“{other.label}” on this page. {error}"
            ) from error
        return upload


@staff_page
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    forms_by_kind = {kind.key: UploadForm(kind=kind.key) for kind in registry.kinds()}
    posted_kind = request.POST.get("kind", "")
    if request.method == "POST" and posted_kind in forms_by_kind:
        form = UploadForm(request.POST, request.FILES, kind=posted_kind)
        forms_by_kind[posted_kind] = form
        if form.is_valid():
            with transaction.atomic():  # the upload is logged before its import runs
                run = tasks.import_enqueue(
                    kind=posted_kind,
                    file_name=form.cleaned_data["file"].name,
                    content=form.text,
                    uploaded_by=request.user,
                )
                audit_log.record(
                    AuditEvent.Action.IMPORT,
                    actor=request.user,
                    request=request,
                    target=f"import run {run.pk}",
                    kind=run.kind,
                    file=run.file_name,
                    status="uploaded",
                )
            messages.success(request, f"{run.file_name} is imported as run {run.pk}.")
            return redirect("staff:import", pk=run.pk)
    page = Paginator(selectors.runs(), RUNS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/imports.html",
        {
            "forms": [(form, form.registered.label) for form in forms_by_kind.values()],
            "page": page,
            "held_count": HeldMeetingCredit.objects.count(),
        },
        status=400 if request.method == "POST" else 200,
    )


def run_counts(run: ImportRun) -> list[tuple[str, int, str]]:
    """The counts that apply to the run's kind (the registry's, as the commands print them),
    each with a word on what it means."""
    things = {
        ImportRun.Kind.ROSTER: ("new member", "new members", "members whose details changed"),
        ImportRun.Kind.CATALOGUE: (
            "new activity",
            "new activities",
            "activities whose details changed",
        ),
    }.get(run.kind, ("new entry", "new entries", ""))
    words = {
        "created": things[0] if run.created == 1 else things[1],
        "updated": things[2],
        "unchanged": "already there as in the file",
        "held": "waiting for the CME evaluation",
        "rejected": "not imported, listed below" if run.rejected else "",
        "flagged_duplicates": "repeat a member's own entry",
    }
    return [
        (field.replace("_", " ").capitalize(), getattr(run, field), words[field])
        for field in registry.get(run.kind).counts
    ]


@staff_page
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.runs_with_uploader(), pk=pk)
    rejections = Paginator(run.rejections.all(), REJECTIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "staff/import_run.html",
        {
            "run": run,
            "counts": run_counts(run),
            "in_progress": run.status in (ImportRun.Status.QUEUED, ImportRun.Status.RUNNING),
            "rejections": rejections,
            "held": HeldMeetingCredit.objects.filter(first_seen_run=run).order_by("id")[:500],
            "held_still": HeldMeetingCredit.objects.filter(first_seen_run=run).count(),
            "duplicates": flagged_duplicates(run),
        },
    )


class _Echo:
    """A file-like object that hands back what the CSV writer writes (for streaming)."""

    def write(self, value: str) -> str:
        return value


def rejected_rows_csv(run: ImportRun) -> Iterator[str]:
    """The rejected rows of a run as CSV lines, one batch read at a time: line, reason, then
    the file's own columns (so that the corrected rows import again), every cell safe from
    spreadsheet formulas."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    columns = selectors.file_columns(run) or list(registry.get(run.kind).columns)
    if selectors.has_extra_values(run):
        columns.append(selectors.EXTRA_VALUES)
    yield writer.writerow(["line", "reason", *columns])
    for rejection in selectors.rejections_for_download(run):
        values = [rejection.row.get(column, "") for column in columns]
        yield writer.writerow(
            [rejection.line, safe_cell(rejection.reason), *(safe_cell(value) for value in values)]
        )


@staff_page
@require_GET
def import_rejections_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rejected rows of a run, to correct and import again (staff only)."""
    run = get_object_or_404(selectors.runs(), pk=pk)
    response = StreamingHttpResponse(rejected_rows_csv(run), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_disposition(f"import-{run.pk}-rejected-rows.csv")
    return response
