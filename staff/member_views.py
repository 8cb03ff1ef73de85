"""Staff pages: finding a member, and one member's record, standing and requirement sets.

The reads are in ``members.selectors``, ``credits.selectors`` and ``credits.review_selectors``;
the writes (a standing set by hand, the bodies whose requirements apply) in
``members.standing_services`` and ``members.services``.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from credits import review_selectors, rules, selectors
from members import security_log, services, standing_services
from members import selectors as member_selectors
from members.access import staff_page
from staff.forms import MemberBodiesForm, MemberSearchForm, StandingOverrideForm


@staff_page
@require_GET
def member_search(request: HttpRequest) -> HttpResponse:
    form = MemberSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "staff/member_search.html",
        {"form": form, "query": query, "members": member_selectors.member_search(query)},
    )


@staff_page
@require_http_methods(["GET", "POST"])
def member_detail(request: HttpRequest, asps_id: str) -> HttpResponse:
    member = member_selectors.member_by_asps_id(asps_id)
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
            standing_services.standing_override(
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
        try:
            services.member_bodies_update(
                member=copy.copy(member),  # a refused change must not reach the page either
                values=bodies.cleaned_data,
                by=request.user,
                ip=security_log.client_ip(request),
            )
        except ValidationError as error:
            bodies.add_error(None, error)
        else:
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
            "decisions": review_selectors.member_decisions(member),
            "standing_changes": member_selectors.standing_changes(member),
            "override": override,
            "bodies": bodies,
        },
        status=400 if override.errors or bodies.errors else 200,
    )
