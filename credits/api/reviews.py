"""``/api/v1/reviews/``: the staff review queue of patient-safety claims and the decisions on
them (CME staff with two-factor only).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from credits import (
    review_selectors,
    review_services,
)
from credits.api.common import (
    ERROR_RESPONSES,
    raise_as_api_error,
)
from credits.api.entries import CreditEntrySerializer
from credits.models import (
    STAFF_DECISIONS,
    CreditEntry,
    ReviewStatus,
)
from members import access, security_log

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
            raise_as_api_error(error)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_200_OK)
