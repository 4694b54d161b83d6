import copy
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status

from . import client_team_services, selectors, services
from .forms import (
    BrandingForm,
    ClientForm,
    ClientSearchForm,
    ConsultantClientsForm,
    InvitationSignUpForm,
    InviteForm,
    RoleForm,
    WorkspaceForm,
)
from .models import Membership, Role, Workspace
from .permissions import require_whole_workspace, workspace_view

PAGE_SIZE = 20


def _page(request: HttpRequest, items) -> object:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    """The consultancies a person works in, and the clients whose team they are on; one
    of either and nothing else goes straight there."""
    memberships = [
        m for m in selectors.membership_list_for_user(user=request.user) if m.role != Role.CLIENT
    ]
    client_accesses = list(selectors.client_memberships_for_user(user=request.user))
    if len(memberships) == 1 and not client_accesses:
        return redirect(memberships[0].workspace)
    if len(client_accesses) == 1 and not memberships:
        return redirect(client_accesses[0].client)
    return render(
        request,
        "workspaces/home.html",
        {
            "memberships": memberships,
            "client_accesses": client_accesses,
            "can_create_workspace": services.workspace_creation_allowed(user=request.user),
        },
    )


@login_required
def workspace_create_view(request: HttpRequest) -> HttpResponse:
    if not services.workspace_creation_allowed(user=request.user):
        raise PermissionDenied(
            _("Only site staff and owners of a workspace may create workspaces. Ask one of them.")
        )
    form = WorkspaceForm(request.POST or None)
    if form.is_valid():
        try:
            workspace = services.workspace_create(
                name=form.cleaned_data["name"], owner=request.user
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Workspace created. Add your first client."))
            return redirect(workspace)
    return render(request, "workspaces/workspace_form.html", {"form": form})


@workspace_view()
def client_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    search = ClientSearchForm(request.GET or None)
    query, archived = "", False
    if search.is_valid():
        query, archived = search.cleaned_data["q"], search.cleaned_data["archived"]
    clients = selectors.client_list(scope=membership.scope, search=query, archived=archived)
    return render(
        request,
        "workspaces/client_list.html",
        {
            "page": _page(request, clients),
            "search": search,
            "query": query,
            "archived": archived,
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
    )


@workspace_view(Role.CONSULTANT)
def client_create_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    initial = {
        "region": selectors.default_region(workspace),
        "language": selectors.default_language(workspace),
    }
    form = ClientForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            client = services.client_create(
                workspace=membership.workspace, created_by=membership, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Client “%(name)s” added.") % {"name": client.name})
            return redirect(client)
    return render(request, "workspaces/client_form.html", {"form": form})


@workspace_view(Role.CONSULTANT)
def client_edit_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    # The form edits a copy, so the page keeps showing the saved name if saving fails.
    form = ClientForm(request.POST or None, instance=copy.copy(client))
    if form.is_valid():
        try:
            client = services.client_update(client=form.instance, **form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(client)
    return render(
        request,
        "workspaces/client_form.html",
        {"form": form, "client": client},
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def client_archive_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    if request.method == "POST":
        archived = not client.archived
        services.client_archive(client=client, archived=archived)
        if archived:
            messages.success(request, _("“%(name)s” archived.") % {"name": client.name})
            return redirect("client_list", membership.workspace_id)
        messages.success(request, _("“%(name)s” restored.") % {"name": client.name})
        return redirect(client)
    return render(request, "workspaces/client_archive.html", {"client": client})


@workspace_view(Role.CONSULTANT, write_role=Role.OWNER)
def member_list_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    require_whole_workspace(membership=membership)
    workspace = membership.workspace
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                workspace=workspace, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for 7 days.")
                % {"email": invitation.email},
            )
            return redirect("member_list", workspace.id)
    page = _page(request, selectors.membership_list(workspace=workspace))
    clients = selectors.member_clients(workspace=workspace)
    for member in page.object_list:
        member.clients = clients.get(member.id, [])
    return render(
        request,
        "workspaces/member_list.html",
        {
            "page": page,
            "invitations": selectors.invitation_list_pending(workspace=workspace).filter(
                client__isnull=True
            ),
            "form": form,
            "is_owner": membership.has_role(Role.OWNER),
        },
    )


def _consultant_clients_save(
    request: HttpRequest, member: Membership, clients_form: ConsultantClientsForm
) -> bool:
    if not clients_form.is_valid():
        return False
    try:
        client_team_services.consultant_clients_set(
            membership=member,
            assigned_only=clients_form.cleaned_data["assigned_clients_only"],
            clients=list(clients_form.cleaned_data["clients"]),
            granted_by=request.user,
        )
    except ValidationError as exc:
        form_error(clients_form, exc)
        return False
    messages.success(request, _("Clients saved for %(user)s.") % {"user": member.user})
    return True


def _role_save(request: HttpRequest, member: Membership, form: RoleForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.membership_role_change(membership=member, role=form.cleaned_data["role"])
    except ValidationError as exc:
        form_error(form, exc)
        return False
    messages.success(request, _("Role changed for %(user)s.") % {"user": member.user})
    return True


@workspace_view(Role.OWNER)
def member_edit_view(request: HttpRequest, membership: Membership, membership_id: UUID):
    """A member's role; for a consultant, also whether they reach only assigned clients."""
    member = selectors.membership_get(workspace=membership.workspace, membership_id=membership_id)
    data = request.POST or None
    form = RoleForm(data, initial={"role": member.role})
    clients_form = ConsultantClientsForm(
        data if data and "clients_form" in data else None,
        workspace=membership.workspace,
        initial={
            "assigned_clients_only": member.assigned_clients_only,
            "clients": [a.client_id for a in member.client_accesses.all()],
        },
    )
    if request.method == "POST" and "clients_form" in request.POST:
        saved = _consultant_clients_save(request, member, clients_form)
    else:
        saved = _role_save(request, member, form)
    if saved:
        return redirect("member_list", membership.workspace_id)
    return render(
        request,
        "workspaces/member_edit.html",
        {"member": member, "form": form, "clients_form": clients_form},
        status=400 if form.errors or clients_form.errors else 200,
    )


@workspace_view(Role.OWNER)
def member_remove_view(request: HttpRequest, membership: Membership, membership_id: UUID):
    member = selectors.membership_get(workspace=membership.workspace, membership_id=membership_id)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=member)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(user)s removed.") % {"user": member.user})
            if member.id == membership.id:
                return redirect("home")
            return redirect("member_list", membership.workspace_id)
    return render(request, "workspaces/member_remove.html", {"member": member, "error": error})


@workspace_view(Role.OWNER)
def invitation_revoke_view(request: HttpRequest, membership: Membership, invitation_id: UUID):
    invitation = selectors.invitation_get(
        workspace=membership.workspace, invitation_id=invitation_id
    )
    if request.method == "POST":
        services.invitation_revoke(invitation=invitation)
        messages.success(
            request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email}
        )
        return redirect("member_list", membership.workspace_id)
    return render(request, "workspaces/invitation_revoke.html", {"invitation": invitation})


@workspace_view(Role.OWNER)
@require_POST
def invitation_resend_view(request: HttpRequest, membership: Membership, invitation_id: UUID):
    invitation = selectors.invitation_get(
        workspace=membership.workspace, invitation_id=invitation_id
    )
    try:
        services.invitation_resend(invitation=invitation, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Invitation sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect("member_list", membership.workspace_id)


@workspace_view(Role.OWNER)
def workspace_settings_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    workspace = membership.workspace
    if request.POST.get("form") == "two_factor":
        from .account_views import workspace_two_factor_post

        return workspace_two_factor_post(request, workspace)
    form = BrandingForm(request.POST or None, request.FILES or None, instance=workspace)
    if form.is_valid():
        try:
            services.workspace_branding_update(
                workspace=workspace,
                name=form.cleaned_data["name"],
                accent_colour=form.cleaned_data["accent_colour"],
                logo=form.cleaned_data["logo"] or None,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as exc:
            workspace.refresh_from_db()
            form_error(form, exc)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("workspace_settings", workspace.id)
    return render(
        request,
        "workspaces/settings.html",
        {
            "form": form,
            "workspace": workspace,
            "clients": selectors.client_list(scope=membership.scope, archived=None),
            "weekdays": Workspace.Weekday.choices,
        },
        status=form_status(form),
    )


@workspace_view()
def workspace_logo_view(request: HttpRequest, membership: Membership) -> FileResponse:
    return logo_response(membership.workspace)


def logo_response(workspace) -> FileResponse:
    """The workspace's logo file; callers have checked who may see it. Streamed from the
    store even when it could sign a link: the sandboxing headers below must come with it."""
    logo = workspace.logo
    if not logo:
        raise Http404(_("This workspace has no logo."))
    try:
        response = FileResponse(logo.open("rb"))
    except FileNotFoundError as exc:
        raise Http404(_("This workspace has no logo.")) from exc
    if logo.name.endswith(".svg"):
        response["Content-Type"] = "image/svg+xml"
    # Even a sanitised SVG opened on its own must not run anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = services.invitation_from_token(token=token)
    except ValidationError as exc:
        return render(
            request, "workspaces/invitation_invalid.html", {"error": exc.messages[0]}, status=410
        )
    if request.user.is_authenticated:
        return _invitation_accept_signed_in(request, invitation)
    from .models import User

    if User.objects.filter(email__iexact=invitation.email).exists():
        return render(request, "workspaces/invitation_sign_in.html", {"invitation": invitation})
    form = InvitationSignUpForm(request.POST or None, email=invitation.email)
    if form.is_valid():
        try:
            membership = services.invitation_accept_as_new_user(
                invitation=invitation,
                name=form.cleaned_data["name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(workspace)s.") % {"workspace": invitation.workspace}
            )
            return redirect(membership.workspace)
    return render(
        request, "workspaces/invitation_sign_up.html", {"invitation": invitation, "form": form}
    )


def _invitation_accept_signed_in(request: HttpRequest, invitation) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("You joined %(workspace)s.") % {"workspace": invitation.workspace}
            )
            return redirect(membership.workspace)
    return render(
        request, "workspaces/invitation_accept.html", {"invitation": invitation, "error": error}
    )


@workspace_view(Role.OWNER)
def client_delete_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    error = None
    if request.method == "POST":
        try:
            services.client_delete(client=client, by=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("“%(name)s” moved to the trash.") % {"name": client.name})
            return redirect("client_list", membership.workspace_id)
    return render(
        request,
        "workspaces/client_delete.html",
        {"client": client, "error": error, "trash_days": settings.CLIENT_TRASH_DAYS},
    )
