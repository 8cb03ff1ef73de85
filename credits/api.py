"""REST API (``/api/v1/``, docs/api.md).

Serializers type the input and call the same services as the forms (one place for each
rule); querysets come from the scoped selectors, so another member's object is a 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import (
    certification_selectors,
    counted,
    downloads,
    review_selectors,
    review_services,
    rules,
    selectors,
    services,
)
from credits.forms import WindowForm
from credits.models import (
    STAFF_DECISIONS,
    ActivityType,
    Category,
    CreditEntry,
    PatientSafetyKind,
    Provider,
    ReviewStatus,
)
from members import access, formatting, security_log
from members.models import Member
from members.selectors import member_of

ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Invalid input: {"field": ["message", ...]} or {"non_field_errors": [...]}',
    ),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description='Not logged in: {"detail": "..."}'),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description='Not allowed: {"detail": "..."}'),
    404: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Does not exist or belongs to someone else: {"detail": "..."}',
    ),
}
WRITE_ERROR_RESPONSES = {
    **ERROR_RESPONSES,
    415: OpenApiResponse(
        OpenApiTypes.OBJECT, description="A body that is not JSON or multipart form data."
    ),
}
WINDOW_PARAMETERS = [
    OpenApiParameter("cycle", str, enum=["current", "previous"], required=False),
    OpenApiParameter("start", OpenApiTypes.DATE, required=False),
    OpenApiParameter("end", OpenApiTypes.DATE, required=False),
]


def _raise_as_api_error(error: DjangoValidationError) -> None:
    """A service's ``{field: [messages]}`` becomes the API's 400 with the same fields.

    A duplicate answers in plain words with the other entry's id:
    ``{"confirm_duplicate": ["..."], "duplicate_of": [123]}``.
    """
    if isinstance(error, counted.DuplicateEntry):
        refused = ValidationError({"confirm_duplicate": [error.text()]})
        refused.detail["duplicate_of"] = [error.duplicate.pk]  # ids stay numbers
        raise refused
    detail = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    raise ValidationError({field: [str(m) for m in messages] for field, messages in detail.items()})


def request_window(request: Request, member: Member) -> rules.Window:
    params = request.query_params
    problems = {
        name: ["Give a date as YYYY-MM-DD, or leave the parameter out."]
        for name in ("start", "end")
        if name in params and not params[name]
    }
    if "cycle" in params and params["cycle"] not in ("current", "previous"):
        problems["cycle"] = ["Choose current or previous."]
    if problems:
        raise ValidationError(problems)
    form = WindowForm(params or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    return form.window(cycle_start=member.cycle_start, today=timezone.localdate())


# --- Auth and me -----------------------------------------------------------------------------


class CycleSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField(source="user.email")
    asps_id = serializers.CharField()
    full_name = serializers.CharField()
    membership_type = serializers.CharField()
    standing = serializers.CharField()
    cycle = serializers.SerializerMethodField()

    @extend_schema_field(CycleSerializer)
    def get_cycle(self, member: Member) -> dict[str, str]:
        window = rules.current_cycle(member.cycle_start, timezone.localdate())
        return {"start": formatting.iso_day(window.start), "end": formatting.iso_day(window.end)}


class MeView(APIView):
    @extend_schema(
        summary="The signed-in member's profile",
        description="Email, ASPS ID, name, membership type, standing and the current cycle. "
        "An account without a member profile (staff) gets 404.",
        responses={200: MeSerializer, 401: ERROR_RESPONSES[401], 404: ERROR_RESPONSES[404]},
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(member_of(request.user)).data)


# --- Credit entries --------------------------------------------------------------------------


class CertificateField(serializers.FileField):
    """Uploaded as a file; read back as the URL of the API's download
    (``/api/v1/credits/<id>/certificate/``), which answers the same token: certificates have
    no public URL."""

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = reverse("credit-certificate", args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class CreditEntrySerializer(serializers.ModelSerializer):
    """Contract: "Credit entry fields". Decimals accepted as numbers or strings."""

    category = serializers.ChoiceField(choices=Category.choices)
    activity_type = serializers.ChoiceField(choices=ActivityType.choices)
    patient_safety_kind = serializers.ChoiceField(
        choices=PatientSafetyKind.choices, required=False, default=PatientSafetyKind.GENERAL
    )
    provider = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=200,
        help_text="Provider name or abbreviation; null for Category 2.",
    )
    credits = serializers.DecimalField(max_digits=6, decimal_places=2)
    patient_safety_credits = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, default=0
    )
    plastic_surgery_credits = serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, default=0
    )
    state = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        default="",
        help_text="Required when the country is the United States; optional elsewhere.",
    )
    certificate = CertificateField(
        required=False,
        allow_null=True,
        help_text="Upload: PDF, JPEG or PNG up to 10 MB (multipart). Read: the download URL.",
    )
    counts = serializers.BooleanField(
        read_only=True,
        help_text="False when the society's record of the same activity replaced this entry "
        "(superseded_by): it no longer counts anywhere.",
    )
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="Record an entry that repeats another (same title, provider and dates).",
    )

    class Meta:
        model = CreditEntry
        fields = [
            "id",
            "title",
            "activity_type",
            "category",
            "provider",
            "start_date",
            "end_date",
            "credits",
            "patient_safety_credits",
            "patient_safety_kind",
            "plastic_surgery_credits",
            "city",
            "state",
            "country",
            "certificate",
            "confirm_duplicate",
            "source",
            "review_status",
            "duplicate_of",
            "superseded_by",
            "counts",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "source",
            "review_status",
            "duplicate_of",
            "superseded_by",
            "counts",
            "created_at",
        ]

    def to_representation(self, entry: CreditEntry) -> dict[str, Any]:
        data = super().to_representation(entry)
        data["provider"] = entry.provider.name if entry.provider else None
        return data

    def _values(self, validated: dict[str, Any], entry: CreditEntry | None = None) -> dict:
        values = {}
        for field in services.ENTRY_FIELDS:
            if field in validated:
                values[field] = validated[field]
            elif entry is not None:
                values[field] = (
                    (entry.provider.name if entry.provider else "")
                    if field == "provider"
                    else getattr(entry, field)
                )
        return values

    def create(self, validated: dict[str, Any]) -> CreditEntry:
        try:
            return services.entry_create(
                member=self.context["member"],
                values=self._values(validated),
                certificate=validated.get("certificate"),
                confirm_duplicate=validated.get("confirm_duplicate", False),
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)

    def update(self, entry: CreditEntry, validated: dict[str, Any]) -> CreditEntry:
        try:
            return services.entry_update(
                entry=entry,
                values=self._values(validated, entry),
                certificate=validated.get("certificate"),
                confirm_duplicate=validated.get("confirm_duplicate", False),
                by=self.context["request"].user,
                ip=security_log.client_ip(self.context["request"]),
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)


class FileContentNegotiation(BaseContentNegotiation):
    """A download answers whatever the client accepts; its errors are JSON."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix=None) -> tuple:
        return renderers[0], renderers[0].media_type


@extend_schema_view(
    list=extend_schema(
        summary="List the member's credit entries",
        description="The signed-in member's own entries whose end date falls in the window "
        "(the current cycle by default), oldest end date first; paginated.",
        parameters=WINDOW_PARAMETERS,
        responses={
            200: CreditEntrySerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            404: ERROR_RESPONSES[404],
        },
    ),
    create=extend_schema(
        summary="Record a credit entry",
        description="JSON, or multipart form data to upload a certificate with it. The same "
        "rules as the web form; a repeat of another entry answers 400 on confirm_duplicate.",
        responses={201: CreditEntrySerializer, **WRITE_ERROR_RESPONSES},
    ),
    retrieve=extend_schema(
        summary="One credit entry",
        description="The member's own entry; anyone else's is a 404.",
        responses={200: CreditEntrySerializer, **ERROR_RESPONSES},
    ),
    partial_update=extend_schema(
        summary="Change a credit entry",
        description="Only the fields sent change; only self-reported entries change (imported "
        "or staff-entered ones, and ones the society's record replaced, answer 403). A decided "
        "patient-safety claim whose judged values change goes back to pending review.",
        responses={200: CreditEntrySerializer, **WRITE_ERROR_RESPONSES},
    ),
    destroy=extend_schema(
        summary="Delete a credit entry",
        description="The member's own self-reported entry; imported or staff-entered ones, "
        "and ones the society's record replaced, answer 403.",
        responses={204: None, **ERROR_RESPONSES},
    ),
)
class CreditEntryViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in member's own entries; anyone else's is a 404."""

    serializer_class = CreditEntrySerializer
    queryset = CreditEntry.objects.none()  # for the schema; requests use get_queryset()
    lookup_value_converter = "int"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def member(self) -> Member:
        return member_of(self.request.user)

    def get_queryset(self) -> QuerySet[CreditEntry]:
        entries = CreditEntry.objects.owned_by(self.request.user).select_related("provider")
        if self.action == "list":
            window = request_window(self.request, self.member())
            entries = entries.in_window(window.start, window.end)
        return entries.order_by("end_date", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.action in ("create", "partial_update"):
            context["member"] = self.member()
        return context

    @extend_schema(
        summary="Download an entry's certificate",
        responses={
            **{
                (200, media_type): OpenApiResponse(
                    OpenApiTypes.BINARY,
                    description="The certificate file, as an attachment "
                    "(Content-Disposition: attachment; filename=certificate-<id>.<ext>).",
                )
                for media_type in downloads.CERTIFICATE_TYPES
            },
            **{code: ERROR_RESPONSES[code] for code in (401, 403, 404)},
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="certificate",
        content_negotiation_class=FileContentNegotiation,
    )
    def certificate(self, request: Request, pk: int) -> FileResponse:
        """Download the entry's certificate: the member's own; CME staff any member's
        (the same rule as the page); anyone else's is a 404, as is an entry without one."""
        return downloads.certificate_response(selectors.entry_for(request.user, pk))

    def perform_update(self, serializer: CreditEntrySerializer) -> None:
        _refuse_unless_editable(serializer.instance)
        serializer.save()

    def perform_destroy(self, entry: CreditEntry) -> None:
        _refuse_unless_editable(entry)
        services.entry_delete(entry=entry)


def _refuse_unless_editable(entry: CreditEntry) -> None:
    if not entry.counts:
        raise PermissionDenied(
            f"{counted.REPLACED_MESSAGE} (entry {entry.superseded_by_id}): it no longer counts "
            "and is kept as it was. Ask member services if that record is wrong."
        )
    if not entry.member_may_edit:
        raise PermissionDenied("Imported credits are the society's record: ask member services.")


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
        totals = selectors.totals_for(member, window)
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
        }


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


# --- Staff reviews ---------------------------------------------------------------------------


class MayReview(permissions.BasePermission):
    message = "Only CME staff review claims."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if access.needs_two_factor(request.user):
            self.message = access.TWO_FACTOR_MESSAGE
            return False
        return access.is_cme_staff(request.user)


class ReviewClaimSerializer(CreditEntrySerializer):
    member = serializers.SerializerMethodField()

    class Meta(CreditEntrySerializer.Meta):
        fields = [*CreditEntrySerializer.Meta.fields, "member"]

    @extend_schema_field(
        inline_serializer(
            "ClaimMember",
            {"asps_id": serializers.CharField(), "full_name": serializers.CharField()},
        )
    )
    def get_member(self, entry: CreditEntry) -> dict[str, str]:
        return {"asps_id": entry.member.asps_id, "full_name": entry.member.full_name}


@extend_schema(
    summary="The review queue (staff)",
    parameters=[OpenApiParameter("status", str, enum=ReviewStatus.values, required=False)],
    responses={
        200: ReviewClaimSerializer(many=True),
        **ERROR_RESPONSES,
    },
)
class ReviewList(generics.ListAPIView):
    """Staff only: patient-safety claims, oldest first (``?status=pending`` by default)."""

    serializer_class = ReviewClaimSerializer
    permission_classes = [permissions.IsAuthenticated, MayReview]

    def get_queryset(self) -> QuerySet[CreditEntry]:
        status_filter = self.request.query_params.get("status", ReviewStatus.PENDING)
        if status_filter not in ReviewStatus.values:
            raise ValidationError({"status": [f"Choose one of: {', '.join(ReviewStatus.values)}."]})
        return review_selectors.review_queue(status=status_filter)


class DecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[(d.value, d.label) for d in STAFF_DECISIONS])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    seen_status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        required=False,
        default="",
        help_text="The claim's status when you looked at it: if another reviewer decided it "
        "meanwhile, the decision is refused (400 on decision) instead of overturning theirs.",
    )


class DecisionSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry_id")
    decision = serializers.CharField()
    note = serializers.CharField()
    review_status = serializers.CharField(source="after.review_status")
    decided_at = serializers.DateTimeField()


class DecisionView(APIView):
    """Staff only: ``{"decision": "approve"|"reject"|"request_documentation", "note": "..."}``."""

    permission_classes = [permissions.IsAuthenticated, MayReview]

    @extend_schema(
        summary="Decide a patient-safety claim (staff)",
        request=DecisionRequestSerializer,
        responses={200: DecisionSerializer, **ERROR_RESPONSES},
    )
    def post(self, request: Request, entry_id: int) -> Response:
        entry = get_object_or_404(CreditEntry, pk=entry_id)
        given = DecisionRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            decision = review_services.review_decide(
                entry=entry,
                by=request.user,
                ip=security_log.client_ip(request),
                **given.validated_data,
            )
        except DjangoValidationError as error:
            _raise_as_api_error(error)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_200_OK)
