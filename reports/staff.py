"""Staff pages: the review queue, decisions, member lookup, documentation audits.

Anyone but CME staff gets a 404: members never learn these pages exist.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cmetrack.http import safe_next
from credits import reviews, rules, selectors
from credits.models import CreditEntry, DocumentationAudit, ReviewDecision
from members import access
from members import audit as audit_log
from members.models import Member, MembershipType
from reports import standing_job
from reports.staff_forms import (
    AuditForm,
    DecisionForm,
    MemberBodiesForm,
    MemberSearchForm,
    QueueFilterForm,
    StandingOverrideForm,
)

QUEUE_PAGE_SIZE = 50


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        access.require_cme_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapper


@staff_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return redirect("staff:reviews")


@staff_page
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    data = request.GET if request.GET else {"status": "pending"}
    filters = QueueFilterForm(data)
    cleaned = filters.cleaned_data if filters.is_valid() else {"status": "pending"}
    claims = reviews.review_queue(
        status=cleaned.get("status") or None,
        member_query=cleaned.get("member", ""),
        kind=cleaned.get("kind", ""),
        ended_from=cleaned.get("ended_from"),
        ended_to=cleaned.get("ended_to"),
    )
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/review_queue.html",
        {
            "filters": filters,
            "page": page,
            "claims": reviews.claims_in_context(list(page.object_list)),
            "return_to": request.get_full_path(),
        },
    )


QUEUE_URL = "/staff/reviews/"


def _safe_next(request: HttpRequest, fallback: str = QUEUE_URL) -> str:
    """Where to go back to: the posted or asked-for ``next`` if it is a path on this site."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), fallback)


@staff_page
@require_http_methods(["GET", "POST"])
def review_claim(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CreditEntry.objects.select_related("member__user", "provider"), pk=pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = reviews.review_decide(
                entry=entry,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
                ip=audit_log.client_ip(request),
                seen_status=form.cleaned_data["seen_status"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{decision.get_decision_display()}: {entry.title} ({entry.member})."
            )
            return redirect(_safe_next(request, "/staff/reviews/"))
    context = {
        "claim": reviews.claims_in_context([entry])[0],
        "form": form,
        "history": entry.decisions.select_related("decided_by"),
        "next": _safe_next(request),
    }
    return render(request, "staff/review_claim.html", context, status=400 if form.errors else 200)


@staff_page
@require_GET
def member_search(request: HttpRequest) -> HttpResponse:
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = (
        Member.objects.filter(reviews.member_matches(query)).select_related("user")
        if query
        else Member.objects.none()
    )
    return render(
        request,
        "staff/member_search.html",
        {"form": form, "query": query, "members": found.order_by("last_name", "first_name")[:100]},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, asps_id: str) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("user"), asps_id=asps_id)
    today = timezone.localdate()
    posted = request.POST.get("form", "standing") if request.method == "POST" else ""
    override = StandingOverrideForm(
        request.POST if posted == "standing" else None, initial={"standing": member.standing}
    )
    bodies = MemberBodiesForm(  # on a copy: invalid input must not reach the page's figures
        request.POST if posted == "bodies" else None, instance=copy.copy(member), prefix="bodies"
    )
    if posted == "standing" and override.is_valid():
        try:
            standing_job.standing_override(
                member=member,
                standing=override.cleaned_data["standing"],
                note=override.cleaned_data["note"],
                by=request.user,
                on=today,
            )
        except ValidationError as error:
            override.add_error(None, error)
        else:
            messages.success(request, f"Standing set to {member.get_standing_display()}.")
            return redirect("staff:member", asps_id=member.asps_id)
    if posted == "bodies" and bodies.is_valid():
        bodies.save()
        messages.success(request, "The bodies that apply to this member are saved.")
        return redirect("staff:member", asps_id=member.asps_id)
    cycle = rules.current_cycle(member.cycle_start, today)
    return render(
        request,
        "staff/member_detail.html",
        {
            "member": member,
            "cycle": cycle,
            "days_left": cycle.days_left(today),
            "compliance": rules.evaluate(selectors.totals_for(member, cycle)),
            "entries": selectors.member_entries(member, cycle),
            "decisions": ReviewDecision.objects.filter(member=member).select_related("decided_by")[
                :50
            ],
            "standing_changes": member.standing_changes.select_related("changed_by")[:50],
            "override": override,
            "bodies": bodies,
        },
        status=400 if override.errors or bodies.errors else 200,
    )


@staff_page
@require_http_methods(["GET", "POST"])
def audits(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = AuditForm(
        request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today}
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        window = rules.Window(cleaned["start"], cleaned["end"])
        if cleaned["asps_id_list"]:
            chosen = list(Member.objects.filter(asps_id__in=cleaned["asps_id_list"]))
            unknown = set(cleaned["asps_id_list"]) - {member.asps_id for member in chosen}
            if unknown:
                form.add_error("asps_ids", f"Unknown ASPS IDs: {', '.join(sorted(unknown))}.")
        else:
            candidates = Member.objects.filter(
                membership_type__in=[MembershipType.ACTIVE, MembershipType.CANDIDATE]
            )
            chosen = reviews.sample_members(candidates, cleaned["sample_size"], cleaned["seed"])
        if not form.errors:
            try:
                audit = reviews.audit_start(
                    members=chosen,
                    window=window,
                    note=cleaned["note"],
                    by=request.user,
                    sample_size=cleaned.get("sample_size"),
                    seed=cleaned.get("seed", ""),
                    ip=audit_log.client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Documentation requested from {len(chosen)} members.")
                return redirect("staff:audit", pk=audit.pk)
    return render(
        request,
        "staff/audits.html",
        {"form": form, "audits": DocumentationAudit.objects.select_related("created_by")[:50]},
        status=400 if form.errors else 200,
    )


@staff_page
@require_GET
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_object_or_404(DocumentationAudit, pk=pk)
    return render(
        request,
        "staff/audit_detail.html",
        {"audit": audit, "progress": reviews.audit_progress(audit)},
    )
