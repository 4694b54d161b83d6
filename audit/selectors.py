"""Reads of the audit trail; every query takes the workspace."""

from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from workspaces.models import Client, Membership, Workspace

from .models import AuditEvent


def _start_of(day: date) -> datetime:
    # Days are the site's days (TIME_ZONE), as people read the times on the page.
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(
    *,
    workspace: Workspace,
    client_id: UUID | str | None = None,
    member_id: UUID | str | None = None,
    action: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Newest first; `member_id` is the acting user's id, `date_to` is included."""
    events = AuditEvent.objects.filter(workspace=workspace).select_related("actor", "client")
    if client_id:
        events = events.filter(client_id=client_id)
    if member_id:
        events = events.filter(actor_id=member_id)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to:
        events = events.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return events.order_by("-created_at", "-id")


def audit_client_choices(*, workspace: Workspace) -> list[tuple[str, str]]:
    clients = Client.objects.filter(workspace=workspace).order_by("name")
    return [(str(pk), name) for pk, name in clients.values_list("id", "name")]


def audit_member_choices(*, workspace: Workspace) -> list[tuple[str, str]]:
    members = Membership.objects.filter(workspace=workspace).order_by("user__email")
    return [
        (str(user_id), f"{name} ({email})" if name else email)
        for user_id, name, email in members.values_list("user_id", "user__name", "user__email")
    ]
