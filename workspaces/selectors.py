"""Reads. Each takes the workspace (or the user) and returns only its rows."""

from uuid import UUID

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from cxmaturity.formats import DEFAULT_REGION, REGIONS

from .models import (
    Client,
    ClientAccess,
    DigestOptOut,
    Invitation,
    Membership,
    Role,
    User,
    Workspace,
)
from .scope import ClientScope


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("workspace").order_by("workspace__name")
    )


def client_list(
    *, scope: ClientScope, search: str = "", archived: bool | None = False
) -> QuerySet[Client]:
    qs = scope.clients()
    if archived is not None:
        qs = qs.filter(archived=archived)
    if search:
        # A country is found by its name ("germany") as well as its code ("DE").
        countries = [code for code, name in REGIONS.items() if search.lower() in str(name).lower()]
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(industry__icontains=search)
            | Q(region__iexact=search)
            | Q(region__in=countries)
        )
    return qs.order_by("name", "id")


def _most_common(workspace: Workspace, field: str, default: str) -> str:
    most = (
        Client.objects.filter(workspace=workspace, deleted_at__isnull=True)
        .values(field)
        .annotate(clients=Count("id"))
        .order_by("-clients", field)
        .first()
    )
    return most[field] if most else default


def default_region(workspace: Workspace) -> str:
    """A new client's country: the one most of the workspace's clients are in (a UK
    consultancy's clients read the UK way), else the default."""
    return _most_common(workspace, "region", DEFAULT_REGION)


def default_language(workspace: Workspace) -> str:
    """A new client's language: the one most of the workspace's clients read, else the
    site's."""
    return _most_common(workspace, "language", settings.LANGUAGE_CODE)


def reader_language(*, user: object = None, client: Client | None = None) -> str:
    """The language of a message stored now and read later, where no request says it (a
    worker's outcome): the person's saved language, else their client's, else the site's."""
    saved = getattr(user, "language", "") or getattr(client, "language", "")
    return saved or settings.LANGUAGE_CODE


def client_get(*, scope: ClientScope, client_id: UUID) -> Client:
    return get_object_or_404(scope.clients(), id=client_id)


def membership_list(*, workspace: Workspace) -> QuerySet[Membership]:
    return (
        workspace.memberships.select_related("user")
        .prefetch_related("client_accesses")
        .order_by("user__email")
    )


def membership_get(*, workspace: Workspace, membership_id: UUID) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "workspace"),
        workspace=workspace,
        id=membership_id,
    )


def invitation_list_pending(*, workspace: Workspace) -> QuerySet[Invitation]:
    return workspace.invitations.filter(status=Invitation.Status.PENDING).select_related(
        "invited_by"
    )


def invitation_get(*, workspace: Workspace, invitation_id: UUID) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("workspace"), workspace=workspace, id=invitation_id
    )


def client_team(*, client: Client) -> QuerySet[ClientAccess]:
    """The client members who reach this client, with their client role."""
    return (
        ClientAccess.objects.filter(client=client, membership__role=Role.CLIENT)
        .select_related("membership__user")
        .order_by("membership__user__email")
    )


def client_access_get(*, client: Client, access_id: UUID) -> ClientAccess:
    return get_object_or_404(client_team(client=client), id=access_id)


def client_invitation_list_pending(*, client: Client) -> QuerySet[Invitation]:
    return client.invitations.filter(status=Invitation.Status.PENDING).select_related("invited_by")


def client_invitation_get(*, client: Client, invitation_id: UUID) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("workspace", "client"),
        client=client,
        id=invitation_id,
    )


def member_clients(*, workspace: Workspace) -> dict[UUID, list[Client]]:
    """For the members page: each limited member's clients, in one query."""
    clients: dict[UUID, list[Client]] = {}
    for access in ClientAccess.objects.filter(client__workspace=workspace).select_related("client"):
        clients.setdefault(access.membership_id, []).append(access.client)
    return clients


def client_memberships_for_user(*, user: User) -> QuerySet[ClientAccess]:
    """A client member's home: every client they were granted, in every workspace."""
    return (
        ClientAccess.objects.filter(membership__user=user, membership__role=Role.CLIENT)
        .select_related("client__workspace", "membership")
        .filter(client__archived=False, client__deleted_at=None)
        .order_by("client__workspace__name", "client__name")
    )


def client_trash_list(*, workspace: Workspace) -> QuerySet[Client]:
    """The trash: clients an owner deleted, soonest purged first."""
    return (
        Client.objects.filter(workspace=workspace, deleted_at__isnull=False)
        .select_related("deleted_by")
        .order_by("deleted_at", "id")
    )


def client_trash_get(*, workspace: Workspace, client_id: UUID) -> Client:
    return get_object_or_404(client_trash_list(workspace=workspace), id=client_id)


def digest_opted_out(*, email: str) -> bool:
    """Whether this address asked for no roadmap digest."""
    return DigestOptOut.objects.filter(email=email.strip().lower()).exists()
