"""Owners download a workspace's or a client's archive (see cxmaturity.backups)."""

import tempfile
from uuid import UUID

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.text import slugify

from audit.models import AuditAction
from audit.services import audit_record
from workspaces import selectors
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view

from . import backups


def _archive_response(request: HttpRequest, build, obj, name: str, client=None) -> FileResponse:
    # Built in a temporary file, not in memory: media make archives large.
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    build(out)
    out.seek(0)
    audit_record(
        actor=request.user,
        workspace=request.workspace,
        client=client,
        action=AuditAction.EXPORT_DOWNLOADED,
        obj=obj,
        request=request,
    )
    filename = f"{slugify(name) or 'archive'}-{timezone.localdate():%Y-%m-%d}.cxarchive.zip"
    return FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")


@workspace_view(Role.OWNER)
def workspace_backup_view(request: HttpRequest, membership: Membership) -> FileResponse:
    workspace = membership.workspace
    return _archive_response(
        request,
        lambda out: backups.workspace_export(workspace=workspace, out=out),
        workspace,
        workspace.name,
    )


@workspace_view(Role.OWNER)
def client_backup_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = selectors.client_get(scope=membership.scope, client_id=client_id)
    return _archive_response(
        request,
        lambda out: backups.client_export(client=client, out=out),
        client,
        client.name,
        client=client,
    )
