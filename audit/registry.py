"""Which models the audit trail follows, which of their fields, and how each row reaches
its workspace and client.

Changes are caught by django-auditlog (one LogEntry per save or delete of a registered
model). Answers are deliberately not registered: respondents' autosaves write no audit
row. Fields that change by themselves (timestamps, positions, progress counters, token
hashes) or hold bulk content are left out. Rows written in bulk (a campaign's timeline,
imported respondents or measurements) make no signal, so they are not followed.
"""

from dataclasses import dataclass
from uuid import UUID

from auditlog.registry import auditlog
from django.apps import apps
from django.db import models

# Fields no model's trail shows: its key and times the database sets.
# The revision and who made it are bookkeeping of each change, not changes of their own.
_ALWAYS_EXCLUDED = ["id", "created_at", "updated_at", "revision", "revised_at", "revised_by"]

# model label → (include_fields, exclude_fields, the path from the row to its Client;
# "" for a Client itself, None for rows with no client).
TRACKED: dict[str, tuple[list[str], list[str], str | None]] = {
    "workspaces.Client": ([], [], ""),
    "workspaces.Membership": ([], [], None),
    "workspaces.ClientAccess": ([], ["granted_by"], "client"),
    "workspaces.Invitation": (
        ["email", "role", "client", "client_role", "status", "expires_at"],
        [],
        "client",
    ),
    "assessments.Assessment": ([], ["created_by", "opened_at", "closed_at"], "client"),
    # A respondent's own progress (opened, last active, submitted) and link secrets are not
    # the consultants' doing, and answers never appear here.
    "assessments.Respondent": (
        ["name", "email", "role", "department", "weight", "is_consensus", "revoked_at"],
        [],
        "assessment__client",
    ),
    "assessments.Action": ([], ["position", "done_at"], "assessment__client"),
    "kpis.StrategyPlan": ([], [], "client"),
    "kpis.StrategicTheme": ([], ["position"], "plan__client"),
    "kpis.StrategicObjective": ([], ["position"], "plan__client"),
    "kpis.MarketingObjective": ([], ["position"], "plan__client"),
    "kpis.EngagementCategory": ([], ["position"], "plan__client"),
    "kpis.DigitalGoal": ([], ["position"], "plan__client"),
    "kpis.KPI": ([], ["position"], "plan__client"),
    "kpis.Measurement": ([], [], "kpi__plan__client"),
    "playbooks.CampaignPlan": ([], [], "client"),
    # A render's progress is the worker's, not a person's: requests and deletions only.
    "playbooks.Document": (["kind", "version", "page_size", "campaign"], [], "client"),
    "insights.SegmentAnalysis": (["name", "as_of"], [], "client"),
    # An import's progress is the worker's: who imported which file, and deletions.
    "insights.ListeningImport": (["file_name", "client_brand"], [], "client"),
}

# Deleting these takes their rows along; see receivers.py.
DELETION_ROOTS = ["workspaces.Workspace", "workspaces.User"]


def register_models() -> None:
    for label, (include, exclude, _path) in TRACKED.items():
        model = apps.get_model(label)
        # auditlog lists reverse relations among a new row's fields; they are not its data.
        reverse = [f.name for f in model._meta.get_fields() if not f.concrete]
        auditlog.register(
            model,
            include_fields=include or None,
            exclude_fields=[*_ALWAYS_EXCLUDED, *exclude, *reverse],
        )


def tracked_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in TRACKED]


def key(model: type[models.Model] | models.Model, pk: object) -> tuple[str, str]:
    return (model._meta.label_lower, str(pk))


@dataclass(frozen=True)
class Target:
    """Where a row belongs: its workspace and, for client-owned rows, its client."""

    workspace_id: UUID
    client_id: UUID | None = None
    client_name: str = ""


def target_of(instance: models.Model, *, deleted: bool = False) -> Target | None:
    """The workspace and client of a tracked row, in at most one query; None if they are
    gone already."""
    from workspaces.models import Client

    path = TRACKED[instance._meta.label][2]
    if isinstance(instance, Client):
        # A deleted client cannot be referred to; its name stays on the event.
        client_id = None if deleted else instance.pk
        return Target(instance.workspace_id, client_id, instance.name)
    if path is None:
        return Target(instance.workspace_id)
    first, _sep, rest = path.partition("__")
    field = instance._meta.get_field(first)
    related_id = getattr(instance, field.attname)
    if related_id is None:  # e.g. an invitation to the workspace, not to one client
        return Target(instance.workspace_id)
    if not rest:
        if field.is_cached(instance):
            client = getattr(instance, first)
            return Target(client.workspace_id, client.pk, client.name)
        row = Client.objects.filter(pk=related_id).values_list("workspace_id", "id", "name")
    else:
        row = field.related_model.objects.filter(pk=related_id).values_list(
            f"{rest}__workspace_id", f"{rest}__id", f"{rest}__name"
        )
    found = row.first()
    return Target(*found) if found else None


def cascade_parents(instance: models.Model) -> list[tuple[str, str]]:
    """The rows whose deletion would take this one along (its CASCADE foreign keys)."""
    parents = []
    for field in instance._meta.concrete_fields:
        if (
            isinstance(field, models.ForeignKey)
            and field.remote_field.on_delete is models.CASCADE
            and getattr(instance, field.attname) is not None
        ):
            parents.append(key(field.related_model, getattr(instance, field.attname)))
    return parents


def object_label(instance: models.Model, fallback: str) -> str:
    from kpis.models import Measurement

    if isinstance(instance, Measurement):
        return f"{instance.date}: {instance.value}"
    return fallback
