"""Writes for client teams: who of a client reaches it, with which client role, and the
invitations that add them; and the clients a limited consultant is assigned."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Client, ClientAccess, ClientRole, Invitation, Membership, Role, User
from .services import email_clean, invitation_save


@transaction.atomic
def consultant_clients_set(
    *,
    membership: Membership,
    assigned_only: bool,
    clients: list[Client],
    granted_by: User | None,
) -> Membership:
    """Limit a consultant to the clients assigned to them, or give back every client."""
    if membership.role != Role.CONSULTANT:
        raise ValidationError(
            {"assigned_clients_only": _("Only consultants can be limited to assigned clients.")},
            code="not_consultant",
        )
    if any(client.workspace_id != membership.workspace_id for client in clients):
        raise ValidationError({"clients": _("Choose clients of this workspace.")}, code="invalid")
    if assigned_only and not clients:
        raise ValidationError(
            {"clients": _("Assign at least one client, or let them reach every client.")},
            code="required",
        )
    membership.assigned_clients_only = assigned_only
    membership.save(update_fields=["assigned_clients_only"])
    wanted = {client.id for client in clients} if assigned_only else set()
    membership.client_accesses.exclude(client_id__in=wanted).delete()
    have = set(membership.client_accesses.values_list("client_id", flat=True))
    ClientAccess.objects.bulk_create(
        [
            ClientAccess(membership=membership, client_id=client_id, granted_by=granted_by)
            for client_id in wanted - have
        ]
    )
    return membership


@transaction.atomic
def client_access_change(*, access: ClientAccess, role: str) -> ClientAccess:
    if role not in ClientRole.values:
        raise ValidationError(
            {"role": _("Choose client viewer or client contributor.")}, code="invalid"
        )
    access.role = role
    access.save(update_fields=["role"])
    return access


@transaction.atomic
def client_access_remove(*, access: ClientAccess) -> None:
    """Take one client away from a member; a client member left with no client leaves the
    workspace, so nothing of it stays in their navigation."""
    membership = Membership.objects.select_for_update().get(id=access.membership_id)
    access.delete()
    if membership.role == Role.CLIENT and not membership.client_accesses.exists():
        membership.delete()


@transaction.atomic
def client_invitation_create(
    *, client: Client, email: str, client_role: str, invited_by: User | None
) -> Invitation:
    """Invite someone to one client's team (or invite again); accepting makes them a
    client member of the workspace with this client role for this client only."""
    email = email_clean(email)
    if client_role not in ClientRole.values:
        raise ValidationError(
            {"client_role": _("Choose client viewer or client contributor.")}, code="invalid"
        )
    if client.archived:
        raise ValidationError(
            _("This client is archived: restore it before inviting its team."), code="archived"
        )
    member = (
        Membership.objects.filter(workspace_id=client.workspace_id, user__email__iexact=email)
        .prefetch_related("client_accesses")
        .first()
    )
    if member is not None and member.role != Role.CLIENT:
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is a %(role)s of this workspace already; an owner assigns "
                    "consultants to clients on the members page."
                )
                % {"email": email, "role": member.get_role_display().lower()}
            },
            code="already_member",
        )
    if member is not None and any(a.client_id == client.id for a in member.client_accesses.all()):
        raise ValidationError(
            {"email": _("%(email)s is in this client's team already.") % {"email": email}},
            code="already_member",
        )
    invitation = (
        Invitation.objects.select_for_update()
        .filter(client=client, email=email, status=Invitation.Status.PENDING)
        .first()
    ) or Invitation(workspace_id=client.workspace_id, client=client, email=email)
    invitation.role = Role.CLIENT
    invitation.client_role = client_role
    return invitation_save(invitation, invited_by=invited_by)
