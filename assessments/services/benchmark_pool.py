"""The anonymous site-wide benchmark pool: which workspaces' stored results join it."""

from typing import Any

from audit.services import AuditAction, audit_record
from workspaces.models import Workspace


def workspace_benchmark_pool_set(*, workspace: Workspace, joined: bool, actor: Any) -> Workspace:
    """Let the workspace's closed assessments join the anonymous site-wide benchmark pool
    (or leave it): an owner's choice (the caller checked), recorded in the audit trail."""
    before = workspace.benchmark_pool
    if before == joined:
        return workspace
    workspace.benchmark_pool = joined
    workspace.save(update_fields=["benchmark_pool"])
    audit_record(
        actor=actor,
        workspace=workspace,
        action=AuditAction.CHANGED,
        obj=workspace,
        changes={"benchmark_pool": [str(before), str(joined)]},
    )
    return workspace
