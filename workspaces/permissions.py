"""The one access check. Every page and API view reaches workspace data through it."""

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import Membership, Role
from .two_factor import two_factor_check


def workspace_access(
    *,
    user: Any,
    workspace_id: UUID | str,
    min_role: str = Role.CLIENT,
    url_kwargs: Mapping[str, object] | None = None,
) -> Membership:
    """The user's membership of the workspace, if their role is at least `min_role`.

    Not a member: 404, so that another workspace's ids are not confirmed to exist.
    A member whose role is too weak: 403, unless `url_kwargs` name a client-owned row the
    member does not reach: 404, as for another workspace's.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    try:
        membership = Membership.objects.select_related("workspace").get(
            user=user, workspace_id=workspace_id
        )
    except (Membership.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("No such workspace.")) from exc
    two_factor_check(user=user, membership=membership)  # when the workspace requires it
    if not membership.has_role(min_role):
        if url_kwargs and membership.scope.hides_any(url_kwargs):
            raise Http404(_("Not found."))
        raise PermissionDenied(
            _("Your role (%(role)s) may not do this.") % {"role": membership.get_role_display()}
        )
    return membership


def require_whole_workspace(*, membership: Membership) -> None:
    """The workspace's roster and invitations name every client's people: for owners and
    consultants who reach every client, not for those limited to their engagements."""
    if not membership.reaches_every_client:
        raise PermissionDenied(
            _("You work on assigned clients only: an owner manages the workspace's members.")
        )


def require_contribution(*, membership: Membership, client_id: UUID) -> None:
    """Updating roadmap actions and recording measurements: consultants and owners who
    reach the client, and the client's contributors. Everyone else who reaches it: 403."""
    if not membership.scope.may_contribute(client_id):
        raise PermissionDenied(
            _("Only consultants and client contributors may change this.")
            if membership.role == Role.CLIENT
            else _("Your role (%(role)s) may not do this.")
            % {"role": membership.get_role_display()}
        )


def workspace_view(
    min_role: str = Role.CLIENT, *, write_role: str | None = None
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a page view taking `workspace_id`: it receives `membership` instead.

    `write_role` raises the bar for POST, so a viewer may look at a page but not change it.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, workspace_id: UUID, *args: Any, **kwargs: Any):
            role = min_role
            if write_role and request.method not in ("GET", "HEAD", "OPTIONS"):
                role = write_role
            membership = workspace_access(
                user=request.user, workspace_id=workspace_id, min_role=role, url_kwargs=kwargs
            )
            request.membership = membership
            request.workspace = membership.workspace
            return view(request, membership, *args, **kwargs)

        return wrapper

    return decorator
