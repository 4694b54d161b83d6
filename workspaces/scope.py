"""Which clients a member reaches in one workspace, and what they may do with each.

The access check (`workspaces.permissions.workspace_access`) gives every member a
`ClientScope`; every selector of client-owned rows takes it, so one rule narrows every
page, list, count, API answer, export and PDF to the clients the member was granted.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from .models import ROLE_RANK, Client, ClientAccess, ClientRole, Membership, Role, Workspace

# URL keyword naming a client-owned row → (model label, path from that model to Client).
# Each app registers its own (AppConfig.ready), so tenancy imports nothing above it.
CLIENT_OWNED_URL_KWARGS: dict[str, tuple[str, str]] = {"client_id": ("workspaces.Client", "")}


def register_client_owned(url_kwarg: str, model_label: str, client_path: str) -> None:
    CLIENT_OWNED_URL_KWARGS[url_kwarg] = (model_label, client_path)


@dataclass(frozen=True)
class ClientScope:
    workspace: Workspace
    role: str = Role.OWNER
    # None: every client of the workspace. Otherwise client id → client role (a limited
    # consultant's assignments carry the consultant's own role).
    client_roles: Mapping[UUID, str] | None = field(default=None)

    @classmethod
    def whole_workspace(cls, workspace: Workspace) -> "ClientScope":
        """For work done on the workspace's behalf (tasks, commands), not for a person."""
        return cls(workspace=workspace)

    @classmethod
    def of(cls, membership: Membership) -> "ClientScope":
        if membership.reaches_every_client:
            return cls(workspace=membership.workspace, role=membership.role)
        accesses = ClientAccess.objects.filter(
            membership=membership, client__workspace_id=membership.workspace_id
        ).values_list("client_id", "role")
        own_role = membership.role if membership.role != Role.CLIENT else None
        return cls(
            workspace=membership.workspace,
            role=membership.role,
            client_roles={client_id: own_role or role for client_id, role in accesses},
        )

    @property
    def is_limited(self) -> bool:
        return self.client_roles is not None

    @property
    def is_client_member(self) -> bool:
        """A client team member: reads (and maybe contributes to) their clients only."""
        return self.role == Role.CLIENT

    def q(self, path: str = "client") -> Q:
        """The filter for rows reached through `path` (a foreign key to Client)."""
        prefix = f"{path}__" if path else ""
        # A client in the trash, and every row of it, is hidden from everyone.
        condition = Q(**{f"{prefix}workspace": self.workspace, f"{prefix}deleted_at": None})
        if self.client_roles is not None:
            condition &= Q(**{f"{prefix}id__in": list(self.client_roles)})
        return condition

    def filter(self, queryset: QuerySet, path: str = "client") -> QuerySet:
        return queryset.filter(self.q(path))

    def clients(self) -> QuerySet[Client]:
        return self.filter(Client.objects.all(), path="")

    def hides_any(self, url_kwargs: Mapping[str, object]) -> bool:
        """Whether a URL names a client-owned row this member does not reach (or none at
        all): such a URL answers 404 before any role check, so that a member of another
        client learns nothing, not even that the row exists."""
        for kwarg, value in url_kwargs.items():
            if kwarg not in CLIENT_OWNED_URL_KWARGS:
                continue
            label, path = CLIENT_OWNED_URL_KWARGS[kwarg]
            model = apps.get_model(label)
            try:
                if not model.objects.filter(self.q(path), pk=value).exists():
                    return True
            except (ValueError, ValidationError):
                return True
        return False

    def reaches(self, client_id: UUID) -> bool:
        return self.client_roles is None or client_id in self.client_roles

    def may_contribute(self, client_id: UUID) -> bool:
        """Update roadmap actions and record measurements: consultants, owners and client
        contributors of this client."""
        if not self.reaches(client_id):
            return False
        if ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role.CONSULTANT]:
            return True
        return (self.client_roles or {}).get(client_id) == ClientRole.CONTRIBUTOR
