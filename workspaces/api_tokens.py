"""REST API for one's own API tokens (under /api/v1/tokens/)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from . import tokens, two_factor
from .models import ApiToken


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "workspaces.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


class ApiTokenOut(serializers.ModelSerializer):
    workspace = serializers.UUIDField(source="workspace_id", allow_null=True)
    expires_at = serializers.DateTimeField(source="expiry")
    created_at = serializers.DateTimeField(source="created")

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "workspace",
            "read_only",
            "created_at",
            "expires_at",
            "last_used_at",
        ]


class ApiTokenCreatedOut(ApiTokenOut):
    key = serializers.CharField(help_text=_("The token itself. It is shown only this once."))

    class Meta(ApiTokenOut.Meta):
        fields = [*ApiTokenOut.Meta.fields, "key"]


class ApiTokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("Days until it expires; the site's default when left out."),
    )
    workspace = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("Limit the token to this workspace.")
    )
    read_only = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(summary=_("Your API tokens that still work")),
    create=extend_schema(
        summary=_("Make an API token (from a signed-in session only)"),
        description=_(
            "The answer holds the token's `key`, shown only this once. Tokens are made from "
            "a signed-in session (the account page's sign-in), never with another token."
        ),
        request=ApiTokenIn,
        responses={201: ApiTokenCreatedOut},
    ),
    retrieve=extend_schema(summary=_("One of your API tokens")),
    destroy=extend_schema(summary=_("Revoke one of your API tokens"), responses={204: None}),
)
class ApiTokenViewSet(viewsets.GenericViewSet):
    serializer_class = ApiTokenOut
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        token = tokens.request_token(request)
        if token is not None and token.workspace_id is not None:
            raise exceptions.PermissionDenied(_("A token limited to one workspace cannot do this."))

    def get_queryset(self):
        return tokens.api_token_list(user=self.request.user)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenOut(page, many=True).data)

    def create(self, request: Request) -> Response:
        if tokens.request_token(request) is not None:
            raise exceptions.PermissionDenied(_("Make tokens from a signed-in session."))
        data = ApiTokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        token, key = tokens.api_token_create(
            user=request.user,
            name=fields["name"],
            days=fields.get("days", settings.API_TOKEN_DEFAULT_DAYS),
            workspace_id=fields.get("workspace"),
            read_only=fields["read_only"],
            two_factor_verified=two_factor.session_verified(request.user),
        )
        return Response({**ApiTokenOut(token).data, "key": key}, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ApiTokenOut(tokens.api_token_get(user=request.user, token_id=pk)).data)

    def destroy(self, request: Request, pk: str) -> Response:
        tokens.api_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
