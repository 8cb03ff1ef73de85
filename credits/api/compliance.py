"""``/api/v1/compliance/`` and ``/api/v1/providers/``: where a member stands, and the known
providers.
"""

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import (
    certification_selectors,
    rules,
    selectors,
    summary_cache,
)
from credits.api.common import (
    ERROR_RESPONSES,
    WINDOW_PARAMETERS,
    CycleSerializer,
    request_window,
)
from credits.models import (
    Provider,
)
from members.models import Member
from members.selectors import member_of

# --- Compliance and providers ----------------------------------------------------------------


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.DecimalField(max_digits=8, decimal_places=2)
    earned = serializers.DecimalField(max_digits=8, decimal_places=2)
    counted = serializers.DecimalField(max_digits=8, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=8, decimal_places=2)
    met = serializers.BooleanField()


class PendingSerializer(serializers.Serializer):
    patient_safety_credits = serializers.DecimalField(max_digits=8, decimal_places=2)


class ContentAreaCreditsSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=rules.AREA_CODES, help_text="A content area's code, or not_recorded."
    )
    label = serializers.CharField()
    credits = serializers.DecimalField(max_digits=8, decimal_places=2)


class ComplianceSerializer(serializers.Serializer):
    requirement_set = serializers.ChoiceField(
        choices=list(rules.ALL_REQUIREMENT_SETS), help_text="The body whose rules were applied."
    )
    cycle = CycleSerializer(
        help_text="The window judged: the society's cycle or date range; for abps, the three "
        "years before the deadline."
    )
    deadline = serializers.DateField(
        allow_null=True,
        help_text="abps: the 1 December deadline of the window (year 3, 6 or 9 of the "
        "certification cycle); null for the societies' sets.",
    )
    compliant = serializers.BooleanField()
    requirements = RequirementSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField())
    hints = serializers.ListField(child=serializers.CharField())
    pending_review = PendingSerializer()
    credits_by_content_area = ContentAreaCreditsSerializer(
        many=True,
        help_text="The credits of the window's counted entries per content area, every area "
        "in order, then not_recorded: an entry covering two areas counts in both.",
    )


REQUIREMENT_SET_PARAMETER = OpenApiParameter(
    "requirement_set",
    str,
    enum=list(rules.ALL_REQUIREMENT_SETS),
    required=False,
    description="Whose requirements: asps (default, membership 3-year cycle), asaps (the "
    "same numbers), abps (Continuous Certification: the window before the next 1 December "
    "deadline; cycle=previous gives the deadline before it; start and end are refused). "
    "A set that does not apply to the member, or an unknown one, answers 400.",
)


def _requested_requirement_set(request: Request, member: Member) -> str:
    code = request.query_params.get("requirement_set", rules.ASPS.code)
    if code not in rules.ALL_REQUIREMENT_SETS:
        raise ValidationError(
            {"requirement_set": [f"Choose one of: {', '.join(rules.ALL_REQUIREMENT_SETS)}."]}
        )
    if code not in certification_selectors.requirement_set_codes(member):
        name = rules.ALL_REQUIREMENT_SETS[code].name
        raise ValidationError(
            {
                "requirement_set": [
                    f"{name} does not apply to you according to your member profile; "
                    "member services can change that."
                ]
            }
        )
    return code


def _board_milestone(request: Request, member: Member) -> rules.Milestone:
    """``?requirement_set=abps``: the next deadline, or with ``cycle=previous`` the one before."""
    params = request.query_params
    problems = {
        name: ["The ABPS judges fixed deadlines: leave start and end out (use cycle)."]
        for name in ("start", "end")
        if name in params
    }
    if "cycle" in params and params["cycle"] not in ("current", "previous"):
        problems["cycle"] = ["Choose current or previous."]
    if problems:
        raise ValidationError(problems)
    milestone = rules.next_milestone(member.abps_certification_year, timezone.localdate())
    if params.get("cycle") == "previous":
        milestone = rules.previous_milestone(milestone)
    return milestone


class ComplianceView(APIView):
    """Where the member stands in a window: the same numbers as the dashboard."""

    @extend_schema(
        summary="Where the member stands",
        description="Compliance with one body's requirements in a window: the same numbers "
        "as the dashboard.",
        parameters=[*WINDOW_PARAMETERS, REQUIREMENT_SET_PARAMETER],
        responses={
            200: ComplianceSerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            404: ERROR_RESPONSES[404],
        },
    )
    def get(self, request: Request) -> Response:
        member = member_of(request.user)
        code = _requested_requirement_set(request, member)
        if code == rules.ABPS.code:
            return Response(ComplianceSerializer(self._board(request, member)).data)
        window = request_window(request, member)
        # Cached while the member's entries are unchanged (credits.summary_cache).
        totals_values, by_area = summary_cache.cached(
            member,
            "api-compliance",
            (window.start, window.end),
            lambda: (
                summary_cache.plain_totals(selectors.totals_for(member, window)),
                _by_area(member, window),
            ),
        )
        totals = rules.Totals(**totals_values)
        compliance = rules.evaluate(totals, rules.REQUIREMENT_SETS[code])
        data = {
            "requirement_set": code,
            "cycle": {"start": window.start, "end": window.end},
            "deadline": None,
            "compliant": compliance.compliant,
            "requirements": compliance.requirements,
            "notes": list(compliance.notes),
            "hints": list(compliance.hints),
            "pending_review": {"patient_safety_credits": totals.patient_safety_pending},
            "credits_by_content_area": by_area,
        }
        return Response(ComplianceSerializer(data).data)

    def _board(self, request: Request, member: Member) -> dict[str, Any]:
        milestone = _board_milestone(request, member)
        result, facts = certification_selectors.milestone_result(
            member, milestone, as_of=timezone.localdate()
        )
        return {
            "requirement_set": rules.ABPS.code,
            "cycle": {"start": milestone.window.start, "end": milestone.window.end},
            "deadline": milestone.deadline,
            "compliant": result.compliant,
            "requirements": result.requirements,
            "notes": [f"Still needed: {missing}." for missing in result.missing]
            + list(result.notes),
            "hints": [],
            "pending_review": {"patient_safety_credits": facts.patient_safety_pending},
            "credits_by_content_area": _by_area(member, milestone.window),
        }


def _by_area(member: Member, window: rules.Window) -> list[rules.AreaCredits]:
    return list(selectors.credits_by_content_area(member, window).areas)


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "abbreviation",
            "accreditation",
            "auto_uploaded",
            "auto_uploaded_until",
        ]


@extend_schema(
    summary="Known accredited providers",
    description="The verified providers, by name; an entry's provider may be given by name or "
    "abbreviation.",
    responses={200: ProviderSerializer(many=True), **ERROR_RESPONSES},
)
class ProviderList(generics.ListAPIView):
    serializer_class = ProviderSerializer
    queryset = selectors.known_providers()
