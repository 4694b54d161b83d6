from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from workspaces.models import Membership, Role
from workspaces.permissions import workspace_access


def audit_access(*, user: Any, workspace_id: UUID | str) -> Membership:
    """Owners only. Anyone else, member or not, gets 404: client members never learn that
    a trail exists."""
    try:
        return workspace_access(user=user, workspace_id=workspace_id, min_role=Role.OWNER)
    except PermissionDenied as exc:
        raise Http404(_("No such page.")) from exc
