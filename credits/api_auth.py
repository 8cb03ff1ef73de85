"""``/api/v1/auth/token/``: get a token (POST) and revoke the one in use (DELETE).

Who gets a token, for how long and what ends one is :mod:`members.tokens`'s; this is the
HTTP side of it.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from credits.api.common import ERROR_RESPONSES
from members import tokens


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="For an account with two-factor authentication (every CME staff account): "
        "the code from the authenticator app, or one of the recovery codes.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires = serializers.DateTimeField(
        help_text="When the token stops working; ask for a new one then."
    )


TOO_MANY = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Too many attempts from this address, or too many failed logins for this "
    'account (the web login\'s lock): {"detail": "..."}',
)


class TokenView(APIView):
    """``POST``: email, password (and ``otp`` with two-factor) in, a token out.
    ``DELETE``: revoke the token that authenticates the request."""

    throttle_scope = "token"

    def _method(self) -> str | None:
        # The schema generator asks before it has set a request.
        return getattr(getattr(self, "request", None), "method", None)

    def get_authenticators(self) -> list:
        # POST is anonymous (a bad token header must not stand in the way of getting a new
        # one); DELETE is authenticated by the token it revokes, and only by a token.
        if self._method() == "DELETE":
            return [tokens.ExpiringTokenAuthentication()]
        return []

    def get_permissions(self) -> list:
        if self._method() == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        # The answer holds a secret, and its request is anonymous (no session, no token yet):
        # PrivateResponsesMiddleware does not see it as private, so say it here, refusals too.
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        return response

    def get_throttles(self) -> list:
        return [ScopedRateThrottle()] if self._method() == "POST" else []

    @extend_schema(
        summary="Get an API token",
        description="Email and password (and otp for an account with two-factor) in; the "
        "account's token and its expiry out. Asking again returns the same token.",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: ERROR_RESPONSES[400],
            403: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Staff account without two-factor authentication: set it up "
                'first. {"detail": "..."}',
            ),
            429: TOO_MANY,
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        given = TokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            token = tokens.obtain(request._request, **given.validated_data)
        except tokens.TokenRefused as refused:
            if refused.status == status.HTTP_403_FORBIDDEN:
                raise PermissionDenied(refused.errors["detail"]) from None
            if refused.status == status.HTTP_400_BAD_REQUEST:
                raise ValidationError(refused.errors) from None
            return Response(refused.errors, status=refused.status)
        return Response({"token": token.key, "expires": tokens.expires_at(token)})

    @extend_schema(
        summary="Revoke the token in use",
        description="Ends the token that authenticates this request (a token only, not a session).",
        responses={204: None, 401: ERROR_RESPONSES[401]},
    )
    def delete(self, request: Request) -> Response:
        tokens.revoke(request.user, reason="deleted", request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
