"""REST API for workspaces, clients, members and invitations (under /api/v1/)."""

from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import revision_field
from cxmaturity.formats import REGION_CHOICES
from cxmaturity.revisions import revision_expected

from . import client_team_services, selectors, services
from .models import (
    WORKSPACE_ROLES,
    Client,
    ClientAccess,
    ClientRole,
    Invitation,
    Membership,
    Role,
    SizeBand,
    Workspace,
)
from .permissions import require_whole_workspace, workspace_access
from .tokens import token_workspaces

# --- Serializers -----------------------------------------------------------------------


class WorkspaceOut(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()
    has_logo = serializers.SerializerMethodField()

    class Meta:
        model = Workspace
        fields = ["id", "name", "accent_colour", "has_logo", "benchmark_pool", "role", "created_at"]

    def get_role(self, workspace: Workspace) -> str:
        return self.context["roles"][workspace.id]

    def get_has_logo(self, workspace: Workspace) -> bool:
        return bool(workspace.logo)


class ClientOut(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "name", "industry", "size_band", "region", "language", "notes"]
        fields += ["archived", "created_at", "updated_at", "revision"]


class ClientIn(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    industry = serializers.CharField(max_length=80, required=False, allow_blank=True)
    size_band = serializers.ChoiceField(choices=SizeBand.choices, required=False, allow_blank=True)
    region = serializers.ChoiceField(choices=REGION_CHOICES, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    archived = serializers.BooleanField(required=False)
    revision = revision_field()


class UserOut(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    name = serializers.CharField()


class MembershipOut(serializers.ModelSerializer):
    user = UserOut()
    clients = serializers.SerializerMethodField(
        help_text=_("A client member's clients, or a limited consultant's assigned clients")
    )

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "assigned_clients_only", "clients", "created_at"]

    def get_clients(self, membership: Membership) -> list[UUID]:
        if membership.reaches_every_client:
            return []
        return [access.client_id for access in membership.client_accesses.all()]


class MembershipIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    assigned_clients_only = serializers.BooleanField(
        required=False, help_text=_("Consultants: reach only the clients in `clients`")
    )
    clients = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=1000)


class InvitationOut(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "client",
            "client_role",
            "status",
            "created_at",
            "expires_at",
            "sent_at",
        ]


class InvitationIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=WORKSPACE_ROLES,
        help_text=_("Client members are invited from their client (`…/clients/{id}/team/`)"),
    )


class ClientAccessOut(serializers.ModelSerializer):
    user = UserOut(source="membership.user")

    class Meta:
        model = ClientAccess
        fields = ["id", "user", "role", "created_at"]


class ClientAccessIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=ClientRole.choices)


class ClientInvitationIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    client_role = serializers.ChoiceField(choices=ClientRole.choices)


# --- Views ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("Your workspaces"), responses=WorkspaceOut(many=True)),
    retrieve=extend_schema(summary=_("One of your workspaces"), responses=WorkspaceOut),
)
class WorkspaceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = WorkspaceOut
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        workspaces = Workspace.objects.filter(memberships__user=self.request.user)
        return token_workspaces(self.request, workspaces).order_by("name")

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        memberships = selectors.membership_list_for_user(user=self.request.user)
        context["roles"] = {m.workspace_id: m.role for m in memberships}
        return context

    def retrieve(self, request: Request, pk: str) -> Response:
        membership = workspace_access(user=request.user, workspace_id=pk)
        return Response(self.get_serializer(membership.workspace).data)


class WorkspaceScopedViewSet(viewsets.GenericViewSet):
    """Resolves the workspace in the URL through the one access check."""

    read_role = Role.CLIENT
    write_role = Role.CONSULTANT
    # Writes a client contributor may make too; each checks `require_contribution` for
    # its client and limits the fields itself.
    contributor_actions: frozenset[str] = frozenset()
    # The URL keyword (registered in workspaces.scope) that `pk` stands for, when `pk` is
    # a client-owned row: a member of another client then gets 404 before any role check.
    pk_kwarg: str | None = None
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in SAFE_METHODS or self.action in self.contributor_actions:
            role = self.read_role
        else:
            role = self.write_role
        url_kwargs = dict(kwargs)
        if self.pk_kwarg and "pk" in kwargs:
            url_kwargs[self.pk_kwarg] = kwargs["pk"]
        self.membership = workspace_access(
            user=request.user,
            workspace_id=kwargs["workspace_id"],
            min_role=role,
            url_kwargs=url_kwargs,
        )
        self.workspace = self.membership.workspace
        self.scope = self.membership.scope

    def expected_revision(self, validated: dict) -> int | None:
        """The revision a change starts from: `If-Match`, else `revision` in the body
        (taken out of the fields to change)."""
        body = validated.pop("revision", None)
        header = self.request.headers.get("If-Match")
        if header:
            return revision_expected(header, field="If-Match")
        return body

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if response.status_code in (200, 201) and isinstance(data, dict) and "revision" in data:
            response["ETag"] = f'"{data["revision"]}"'
        return response


def client_filter(view: WorkspaceScopedViewSet, request: Request) -> Client | None:
    """The `?client=` of a list: None when absent, 400 when not a UUID, 404 when not a
    client of this workspace."""
    raw = request.query_params.get("client")
    if not raw:
        return None
    try:
        client_id = serializers.UUIDField().run_validation(raw)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({"client": exc.detail}) from exc
    return selectors.client_get(scope=view.scope, client_id=client_id)


@extend_schema_view(
    list=extend_schema(
        summary=_("List clients"),
        parameters=[
            OpenApiParameter("search", str, description=_("Matches name, industry or region")),
            OpenApiParameter("archived", bool, description=_("Archived clients instead")),
        ],
    ),
    create=extend_schema(summary=_("Add a client"), request=ClientIn, responses={201: ClientOut}),
    retrieve=extend_schema(summary=_("One client")),
    partial_update=extend_schema(
        summary=_("Change a client; `archived: true` archives it"),
        request=ClientIn(partial=True),
        responses=ClientOut,
    ),
    destroy=extend_schema(
        summary=_("Move an archived client to the trash (owners); purged after 30 days"),
        responses={204: None},
    ),
)
class ClientViewSet(WorkspaceScopedViewSet):
    serializer_class = ClientOut
    pk_kwarg = "client_id"

    def get_queryset(self):
        archived = self.request.query_params.get("archived", "false").lower() in ("true", "1")
        return selectors.client_list(
            scope=self.scope,
            # NUL cannot be stored or searched for in PostgreSQL text.
            search=self.request.query_params.get("search", "")[:100].replace("\x00", ""),
            archived=archived,
        )

    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClientOut(page, many=True).data)

    def create(self, request: Request, workspace_id: str) -> Response:
        data = ClientIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {k: v for k, v in data.validated_data.items() if k not in ("archived", "revision")}
        client = services.client_create(
            workspace=self.workspace, created_by=self.membership, **fields
        )
        return Response(ClientOut(client).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        client = selectors.client_get(scope=self.scope, client_id=pk)
        return Response(ClientOut(client).data)

    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        client = selectors.client_get(scope=self.scope, client_id=pk)
        data = ClientIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        revision = self.expected_revision(fields)
        client = services.client_update(client=client, revision=revision, **fields)
        return Response(ClientOut(client).data)

    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        workspace_access(
            user=request.user,
            workspace_id=workspace_id,
            min_role=Role.OWNER,
            url_kwargs={"client_id": pk},
        )
        client = selectors.client_get(scope=self.scope, client_id=pk)
        services.client_delete(client=client, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("List members")),
    retrieve=extend_schema(summary=_("One member")),
    partial_update=extend_schema(
        summary=_("Change a member's role (owners)"), request=MembershipIn, responses=MembershipOut
    ),
    destroy=extend_schema(summary=_("Remove a member (owners)"), responses={204: None}),
)
class MemberViewSet(WorkspaceScopedViewSet):
    serializer_class = MembershipOut
    read_role = Role.CONSULTANT
    write_role = Role.OWNER

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_whole_workspace(membership=self.membership)

    def get_queryset(self):
        return selectors.membership_list(workspace=self.workspace)

    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MembershipOut(page, many=True).data)

    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        member = selectors.membership_get(workspace=self.workspace, membership_id=pk)
        return Response(MembershipOut(member).data)

    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        member = selectors.membership_get(workspace=self.workspace, membership_id=pk)
        data = MembershipIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        with transaction.atomic():  # the role and the clients together, or neither
            if "role" in fields:
                member = services.membership_role_change(membership=member, role=fields["role"])
            if "assigned_clients_only" in fields or "clients" in fields:
                wanted = set(fields.get("clients", []))
                clients = list(self.workspace.clients.filter(id__in=wanted))
                if len(clients) != len(wanted):
                    raise serializers.ValidationError(
                        {"clients": [_("Choose clients of this workspace.")]}
                    )
                member = client_team_services.consultant_clients_set(
                    membership=member,
                    assigned_only=fields.get("assigned_clients_only", member.assigned_clients_only),
                    clients=clients,
                    granted_by=request.user,
                )
        member = selectors.membership_get(workspace=self.workspace, membership_id=member.id)
        return Response(MembershipOut(member).data)

    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        member = selectors.membership_get(workspace=self.workspace, membership_id=pk)
        services.membership_remove(membership=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Pending invitations")),
    create=extend_schema(
        summary=_("Invite someone by email (owners)"),
        request=InvitationIn,
        responses={201: InvitationOut},
    ),
    retrieve=extend_schema(summary=_("One invitation")),
    destroy=extend_schema(summary=_("Withdraw an invitation (owners)"), responses={204: None}),
)
class InvitationViewSet(WorkspaceScopedViewSet):
    serializer_class = InvitationOut
    read_role = Role.CONSULTANT
    write_role = Role.OWNER

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_whole_workspace(membership=self.membership)

    def get_queryset(self):
        return selectors.invitation_list_pending(workspace=self.workspace).order_by(
            "-created_at", "id"
        )

    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationOut(page, many=True).data)

    def create(self, request: Request, workspace_id: str) -> Response:
        data = InvitationIn(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            workspace=self.workspace, invited_by=request.user, **data.validated_data
        )
        return Response(InvitationOut(invitation).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        invitation = selectors.invitation_get(workspace=self.workspace, invitation_id=pk)
        return Response(InvitationOut(invitation).data)

    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        invitation = selectors.invitation_get(workspace=self.workspace, invitation_id=pk)
        services.invitation_revoke(invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("A client's team: its client members and their client roles")),
    retrieve=extend_schema(summary=_("One member of a client's team")),
    partial_update=extend_schema(
        summary=_("Change a client member's client role"),
        request=ClientAccessIn,
        responses=ClientAccessOut,
    ),
    destroy=extend_schema(
        summary=_("Remove someone from a client's team (their last client: from the workspace)"),
        responses={204: None},
    ),
)
class ClientTeamViewSet(WorkspaceScopedViewSet):
    serializer_class = ClientAccessOut
    read_role = Role.CONSULTANT

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.client = selectors.client_get(scope=self.scope, client_id=kwargs["client_id"])

    def get_queryset(self):
        return selectors.client_team(client=self.client)

    def list(self, request: Request, workspace_id: str, client_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClientAccessOut(page, many=True).data)

    def retrieve(self, request: Request, workspace_id: str, client_id: str, pk: str):
        access = selectors.client_access_get(client=self.client, access_id=pk)
        return Response(ClientAccessOut(access).data)

    def partial_update(self, request: Request, workspace_id: str, client_id: str, pk: str):
        access = selectors.client_access_get(client=self.client, access_id=pk)
        data = ClientAccessIn(data=request.data)
        data.is_valid(raise_exception=True)
        access = client_team_services.client_access_change(
            access=access, role=data.validated_data["role"]
        )
        return Response(ClientAccessOut(access).data)

    def destroy(self, request: Request, workspace_id: str, client_id: str, pk: str):
        access = selectors.client_access_get(client=self.client, access_id=pk)
        client_team_services.client_access_remove(access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("Pending invitations to a client's team")),
    create=extend_schema(
        summary=_("Invite someone to a client's team by email"),
        request=ClientInvitationIn,
        responses={201: InvitationOut},
    ),
    retrieve=extend_schema(summary=_("One invitation to a client's team")),
    destroy=extend_schema(summary=_("Withdraw an invitation"), responses={204: None}),
)
class ClientInvitationViewSet(WorkspaceScopedViewSet):
    serializer_class = InvitationOut
    read_role = Role.CONSULTANT

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.client = selectors.client_get(scope=self.scope, client_id=kwargs["client_id"])

    def get_queryset(self):
        return selectors.client_invitation_list_pending(client=self.client).order_by(
            "-created_at", "id"
        )

    def list(self, request: Request, workspace_id: str, client_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationOut(page, many=True).data)

    def create(self, request: Request, workspace_id: str, client_id: str) -> Response:
        data = ClientInvitationIn(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = client_team_services.client_invitation_create(
            client=self.client, invited_by=request.user, **data.validated_data
        )
        return Response(InvitationOut(invitation).data, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, workspace_id: str, client_id: str, pk: str):
        invitation = selectors.client_invitation_get(client=self.client, invitation_id=pk)
        return Response(InvitationOut(invitation).data)

    def destroy(self, request: Request, workspace_id: str, client_id: str, pk: str):
        invitation = selectors.client_invitation_get(client=self.client, invitation_id=pk)
        services.invitation_revoke(invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)
