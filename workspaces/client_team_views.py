"""A client's team: the client members who reach one client, their client roles, and the
invitations that add people to it. Owners and consultants of the client manage it."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status

from . import client_team_services, selectors, services
from .forms import ClientInviteForm, ClientRoleForm
from .models import Membership, Role
from .permissions import workspace_view


@workspace_view(Role.CONSULTANT)
def client_team_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """Who of the client's team reaches this client; POST invites someone by email."""
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    form = ClientInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = client_team_services.client_invitation_create(
                client=client, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("client_team", membership.workspace_id, client.id)
    return render(
        request,
        "workspaces/client_team.html",
        {
            "client": client,
            "team": selectors.client_team(client=client),
            "invitations": selectors.client_invitation_list_pending(client=client),
            "form": form,
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def client_access_edit_view(
    request: HttpRequest, membership: Membership, client_id: UUID, access_id: UUID
):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    access = selectors.client_access_get(client=client, access_id=access_id)
    form = ClientRoleForm(request.POST or None, initial={"role": access.role})
    if request.method == "POST" and form.is_valid():
        try:
            client_team_services.client_access_change(access=access, role=form.cleaned_data["role"])
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s of %(client)s.")
                % {
                    "user": access.membership.user,
                    "role": access.get_role_display().lower(),
                    "client": client.name,
                },
            )
            return redirect("client_team", membership.workspace_id, client.id)
    return render(
        request,
        "workspaces/client_access_edit.html",
        {"client": client, "access": access, "form": form},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def client_access_remove_view(
    request: HttpRequest, membership: Membership, client_id: UUID, access_id: UUID
):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    access = selectors.client_access_get(client=client, access_id=access_id)
    if request.method == "POST":
        client_team_services.client_access_remove(access=access)
        messages.success(
            request,
            _("%(user)s no longer reaches %(client)s.")
            % {"user": access.membership.user, "client": client.name},
        )
        return redirect("client_team", membership.workspace_id, client.id)
    return render(
        request, "workspaces/client_access_remove.html", {"client": client, "access": access}
    )


@workspace_view(Role.CONSULTANT)
def client_invitation_revoke_view(
    request: HttpRequest, membership: Membership, client_id: UUID, invitation_id: UUID
):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    invitation = selectors.client_invitation_get(client=client, invitation_id=invitation_id)
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation)
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
        return redirect("client_team", membership.workspace_id, client.id)
    return render(
        request,
        "workspaces/invitation_revoke.html",
        {"invitation": invitation, "client": client},
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def client_invitation_resend_view(
    request: HttpRequest, membership: Membership, client_id: UUID, invitation_id: UUID
):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    invitation = selectors.client_invitation_get(client=client, invitation_id=invitation_id)
    try:
        services.invitation_resend(invitation=invitation, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("client_team", membership.workspace_id, client.id)
