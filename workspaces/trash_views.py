"""The trash: deleted clients an owner may restore, or delete for good, until a periodic
task purges them."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .models import Membership, Role
from .permissions import workspace_view


@workspace_view(Role.OWNER)
def client_trash_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    now = timezone.now()
    days = settings.CLIENT_TRASH_DAYS
    clients = [
        (client, max(0, days - (now - client.deleted_at).days))
        for client in selectors.client_trash_list(workspace=membership.workspace)
    ]
    return render(request, "workspaces/client_trash.html", {"clients": clients, "days": days})


@workspace_view(Role.OWNER)
def client_restore_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_trash_get(workspace=membership.workspace, client_id=client_id)
    if request.method == "POST":
        services.client_restore(client=client)
        messages.success(request, _("“%(name)s” restored, archived.") % {"name": client.name})
        return redirect(client)
    return render(request, "workspaces/client_restore.html", {"client": client})


@workspace_view(Role.OWNER)
def client_purge_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_trash_get(workspace=membership.workspace, client_id=client_id)
    if request.method == "POST":
        services.client_purge(client=client)
        messages.success(request, _("“%(name)s” deleted for good.") % {"name": client.name})
        return redirect("client_trash", membership.workspace_id)
    return render(request, "workspaces/client_purge.html", {"client": client})
