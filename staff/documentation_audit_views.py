"""Staff pages: documentation audits — asking members for the certificates of a sample of
their entries, and how far each member has answered. (Not the security log of sign-ins and
staff actions: that page is ``staff.security_log_views``.)

The reads are in ``credits.review_selectors``, the write in ``credits.review_services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from credits import review_selectors, review_services, rules
from members import security_log
from members import selectors as member_selectors
from members.access import staff_page
from staff.forms import DocumentationAuditForm


@staff_page
@require_http_methods(["GET", "POST"])
def documentation_audits(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = DocumentationAuditForm(
        request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today}
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        window = rules.Window(cleaned["start"], cleaned["end"])
        if cleaned["asps_id_list"]:
            chosen, unknown = member_selectors.members_by_asps_ids(cleaned["asps_id_list"])
            if unknown:
                form.add_error("asps_ids", f"Unknown ASPS IDs: {', '.join(sorted(unknown))}.")
        else:
            chosen = review_selectors.sample_members(
                review_selectors.documentation_audit_candidates(),
                cleaned["sample_size"],
                cleaned["seed"],
            )
        if not form.errors:
            try:
                audit = review_services.audit_start(
                    members=chosen,
                    window=window,
                    note=cleaned["note"],
                    by=request.user,
                    sample_size=cleaned.get("sample_size"),
                    seed=cleaned.get("seed", ""),
                    ip=security_log.client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Documentation requested from {len(chosen)} members.")
                return redirect("staff:audit", pk=audit.pk)
    return render(
        request,
        "staff/audits.html",
        {"form": form, "audits": review_selectors.recent_documentation_audits()},
        status=400 if form.errors else 200,
    )


@staff_page
@require_GET
def documentation_audit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = review_selectors.documentation_audit(pk)
    return render(
        request,
        "staff/audit_detail.html",
        {"audit": audit, "progress": review_selectors.audit_progress(audit)},
    )
