"""``/api/v1/staff/compliance/``: the membership's compliance for CME staff (with two-factor
only; a 404 for everyone else): the members a filter picks, and the overview's counts.

Read from the per-member summaries (``credits.membership_selectors``), never by evaluating
everyone on a request. :class:`MembershipFilterSerializer` reads the filter from a query
string; the staff pages' GET form can use it too (:func:`read_filter` with ``form=True``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import membership_selectors, rules
from credits.api.common import ERROR_RESPONSES
from credits.models import ComplianceSummary
from credits.rules import pace
from members import access
from members.models import MembershipType, Standing

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a cycle ending outside these is a typing mistake
MAX_DAYS = 3650  # ten years: further than any cycle (as on the staff pages' form)
CREDITS = {"max_digits": 8, "decimal_places": 2}
REQUIRED = {
    code: getattr(rules.ASPS, f"{code}_required") for code in membership_selectors.REQUIREMENTS
}
STATUSES = [(value.value, value.label) for value in rules.Pace]
BODIES = [("asps", "ASPS members"), ("asaps", "ASAPS members"), ("abps", "ABPS diplomates")]
SORTS = [("days_left", "Days left, fewest first"), ("deficit", "Deficit, largest first")]
REQUIREMENT_CHOICES = [
    (code, rules.RequirementCode(code).label) for code in membership_selectors.REQUIREMENTS
]


class CmeStaffOnly(permissions.BasePermission):
    """CME staff with two-factor; staff without it are told to set it up (403, as on every
    staff endpoint); for anyone else the endpoint does not exist (404). members/access.py
    decides."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if access.needs_two_factor(request.user):
            self.message = access.TWO_FACTOR_MESSAGE
            return False
        if not access.is_cme_staff(request.user):
            raise NotFound()
        return True


# --- The filter --------------------------------------------------------------------------------


class MembershipFilterSerializer(serializers.Serializer):
    """The filter of :class:`credits.membership_selectors.MembershipFilter`, typed and checked.

    :meth:`from_query` reads it from a query string; a wrong value is a ``ValidationError``
    naming its field. :meth:`membership_filter` gives the selectors' filter."""

    years = serializers.ListField(
        child=serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR),
        required=False,
        max_length=10,
        help_text="The years the cycle ends in (repeat the parameter for several); "
        "default: this year and next.",
    )
    ends_within_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DAYS,
        required=False,
        help_text="Only cycles ending within this many days from today (and not ended yet).",
    )
    requirement = serializers.ChoiceField(
        choices=REQUIREMENT_CHOICES, required=False, help_text="Only members short of it."
    )
    status = serializers.ChoiceField(
        choices=STATUSES,
        required=False,
        help_text="compliant, on_track, at_risk (behind the cycle's pace) or short (the cycle "
        "ended unmet).",
    )
    membership_type = serializers.ChoiceField(
        choices=MembershipType.choices,
        required=False,
        help_text="Default: the types held to the requirement (active, candidate).",
    )
    # No maximum length: the query's control characters are dropped before the view reads it
    # (cmetrack.middleware), so a length in the schema would not be the length checked.
    state = serializers.CharField(
        required=False, help_text="The member's state, e.g. IL (any case)."
    )
    body = serializers.ChoiceField(choices=BODIES, required=False)
    standing = serializers.ChoiceField(choices=Standing.choices, required=False)
    pending_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only members whose verdict depends on claims still under review.",
    )
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="days_left")

    def membership_filter(self) -> membership_selectors.MembershipFilter:
        values = self.validated_data
        return membership_selectors.MembershipFilter(
            years=tuple(sorted(set(values.get("years", ())))),
            ends_within_days=values.get("ends_within_days"),
            requirement=values.get("requirement", ""),
            status=values.get("status", ""),
            membership_type=values.get("membership_type", ""),
            state=values.get("state", "").strip(),
            body=values.get("body", ""),
            standing=values.get("standing", ""),
            pending_only=values.get("pending_only", False),
            sort=values.get("sort", "days_left"),
        )


def read_filter(
    params: QueryDict, *, form: bool = False
) -> tuple[membership_selectors.MembershipFilter, dict[str, list[str]]]:
    """The filter a query string (``request.GET``, ``request.query_params``) chooses, and the
    mistakes in it as ``{parameter: [messages]}`` (the default filter when there are some).

    An empty value is a mistake for the API (its schema types every parameter); a page's GET
    form sends its empty fields, so ``form=True`` reads them as not chosen."""
    fields = MembershipFilterSerializer().fields
    data: dict[str, object] = {}
    for name, field in fields.items():
        values = [value for value in params.getlist(name) if not (form and value == "")]
        if values:
            data[name] = values if isinstance(field, serializers.ListField) else values[-1]
    given = MembershipFilterSerializer(data=data)
    if not given.is_valid():
        return membership_selectors.MembershipFilter(), _flat(given.errors)
    return given.membership_filter(), {}


def requested_filter(request: Request) -> membership_selectors.MembershipFilter:
    """The API's filter: a 400 naming each wrong parameter."""
    chosen, errors = read_filter(request.query_params)
    if errors:
        raise ValidationError(errors)
    return chosen


def _flat(errors: Mapping[str, Any]) -> dict[str, list[str]]:
    """``{field: [messages]}``: a list field's per-item errors become its own messages."""
    flat: dict[str, list[str]] = {}
    for name, messages in errors.items():
        if isinstance(messages, Mapping):
            flat[name] = [str(m) for item in messages.values() for m in item]
        else:
            flat[name] = [str(m) for m in messages]
    return flat


# --- The list ------------------------------------------------------------------------------------


class SummaryMemberSerializer(serializers.Serializer):
    asps_id = serializers.CharField()
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField(source="user.email")
    membership_type = serializers.ChoiceField(choices=MembershipType.choices)
    state = serializers.CharField()
    standing = serializers.ChoiceField(choices=Standing.choices)


class SummaryRequirementSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=REQUIREMENT_CHOICES)
    label = serializers.CharField()
    required = serializers.DecimalField(**CREDITS)
    counted = serializers.DecimalField(
        help_text="Counted after the caps; pending patient-safety claims count provisionally.",
        **CREDITS,
    )
    short = serializers.DecimalField(help_text="Still needed (0 when met).", **CREDITS)


class MemberComplianceSerializer(serializers.Serializer):
    """One member's cycle, as the summary holds it; ``status`` and ``days_left`` as of today
    (``context["today"]``)."""

    member = SummaryMemberSerializer()
    cycle_start = serializers.DateField()
    cycle_end = serializers.DateField()
    days_left = serializers.SerializerMethodField(
        help_text="Days from today to the cycle's end (0 once it has ended)."
    )
    status = serializers.SerializerMethodField(help_text="compliant, on_track, at_risk or short.")
    met = serializers.BooleanField(help_text="Every requirement met.")
    depends_on_pending = serializers.BooleanField(
        help_text="Met only if the patient-safety claims under review are approved."
    )
    short_by = serializers.DecimalField(
        help_text="The largest shortfall of the four (0 when met).", **CREDITS
    )
    patient_safety_pending = serializers.DecimalField(
        help_text="Patient-safety credits still under review (counted provisionally).", **CREDITS
    )
    requirements = serializers.SerializerMethodField()

    def _today(self) -> dt.date:
        return self.context["today"]

    def get_days_left(self, row: ComplianceSummary) -> int:
        return max((row.cycle_end - self._today()).days, 0)

    @extend_schema_field(serializers.ChoiceField(choices=STATUSES))
    def get_status(self, row: ComplianceSummary) -> str:
        return pace.status(
            met=row.met, cycle_end=row.cycle_end, behind=row.behind_from, as_of=self._today()
        ).value

    @extend_schema_field(SummaryRequirementSerializer(many=True))
    def get_requirements(self, row: ComplianceSummary) -> list[dict[str, object]]:
        return SummaryRequirementSerializer(self._requirements(row), many=True).data

    @staticmethod
    def _requirements(row: ComplianceSummary) -> list[dict[str, object]]:
        return [
            {
                "code": code,
                "label": rules.RequirementCode(code).label,
                "required": REQUIRED[code],
                "counted": getattr(row, code),
                "short": getattr(row, f"{code}_short"),
            }
            for code in membership_selectors.REQUIREMENTS
        ]


class RequirementCountSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=REQUIREMENT_CHOICES)
    label = serializers.CharField()
    short_count = serializers.IntegerField(help_text="Members short of it.")
    short_credits = serializers.DecimalField(
        help_text="What they lack in all, in credits.", **CREDITS
    )


StandingCountsSerializer = type(
    "StandingCountsSerializer",
    (serializers.Serializer,),
    {value: serializers.IntegerField() for value in Standing.values},
)


class SummaryCountsSerializer(serializers.Serializer):
    """The overview's counts (``membership_selectors.overview_counts``), grouped."""

    as_of = serializers.DateField(help_text="The day the statuses are judged (today).")
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="The years the counted cycles end in."
    )
    members = serializers.IntegerField(help_text="Members the filter picks.")
    compliant = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    short = serializers.IntegerField()
    depends_on_pending = serializers.IntegerField(
        help_text="Met only if the patient-safety claims under review are approved."
    )
    requirements = RequirementCountSerializer(many=True)
    standing = StandingCountsSerializer(help_text="Members in each standing.")

    @staticmethod
    def grouped(counts: Mapping[str, Any], *, today: dt.date, years: tuple[int, ...]) -> dict:
        return {
            "as_of": today,
            "years": list(years),
            **{
                name: counts[name]
                for name in ("members", *(p.value for p in rules.Pace), "depends_on_pending")
            },
            "requirements": [
                {
                    "code": code,
                    "label": rules.RequirementCode(code).label,
                    "short_count": counts[f"{code}_short_count"],
                    "short_credits": counts[f"{code}_short_sum"],
                }
                for code in membership_selectors.REQUIREMENTS
            ],
            "standing": {value: counts[f"standing_{value}"] for value in Standing.values},
        }


FILTER_DESCRIPTION = (
    "The filter (every parameter optional): cycles ending in `years` (default this year and "
    "next), within `ends_within_days`, short of a `requirement`, of a `status`, "
    "`membership_type`, `state`, `body`, `standing`, `pending_only`. A wrong value answers 400 "
    "naming the parameter. CME staff with two-factor only: 404 for everyone else."
)


@extend_schema(
    summary="The membership's compliance (staff)",
    description="The members a filter picks, one row per member (the cycle ending in the chosen "
    "years), sorted by days left (default) or by deficit; paginated. " + FILTER_DESCRIPTION,
    parameters=[MembershipFilterSerializer],
    responses={200: MemberComplianceSerializer(many=True), **ERROR_RESPONSES},
)
class StaffComplianceList(generics.ListAPIView):
    serializer_class = MemberComplianceSerializer
    permission_classes = [permissions.IsAuthenticated, CmeStaffOnly]

    def get_queryset(self) -> QuerySet[ComplianceSummary]:
        chosen = requested_filter(self.request)
        return membership_selectors.matching(chosen, today=self._today())

    def _today(self) -> dt.date:
        if not hasattr(self, "today"):
            self.today = timezone.localdate()
        return self.today

    def get_serializer_context(self) -> dict[str, object]:
        return {**super().get_serializer_context(), "today": self._today()}


class StaffComplianceSummary(APIView):
    permission_classes = [permissions.IsAuthenticated, CmeStaffOnly]

    @extend_schema(
        summary="The membership's compliance in numbers (staff)",
        description="For the members the filter picks: how many are compliant, on track, at "
        "risk and short, how many depend on claims under review, per requirement how many are "
        "short and by how much in all, and how many are in each standing. `sort` is accepted "
        "and changes nothing. " + FILTER_DESCRIPTION,
        parameters=[MembershipFilterSerializer],
        responses={200: SummaryCountsSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        chosen = requested_filter(request)
        counts = membership_selectors.overview_counts(chosen, today=today)
        years = chosen.years or membership_selectors.default_years(today)
        grouped = SummaryCountsSerializer.grouped(counts, today=today, years=years)
        return Response(SummaryCountsSerializer(grouped).data)
