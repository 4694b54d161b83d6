"""Writes to the audit trail: explicit events from views and sign-ins, each model change
django-auditlog caught, and pruning past the retention period."""

import json
from contextlib import suppress
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from workspaces.models import Client, ClientAccess, Invitation, Membership, User, Workspace

from . import registry
from .context import being_deleted, current_request
from .middleware import client_ip
from .models import AuditAction, AuditEvent

# The retention the issue promises; a setting may keep events longer, never shorter.
MIN_RETENTION_DAYS = 400
# A value longer than this (a campaign's tactics, a long description) is cut in the trail.
VALUE_MAX_CHARS = 300


def _user_or_none(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def _client_of(obj: models.Model | None) -> Client | None:
    if isinstance(obj, Client):
        return obj
    if obj is not None and any(f.name == "client" for f in obj._meta.concrete_fields):
        return getattr(obj, "client", None)
    return None


def audit_record(
    *,
    actor: Any,
    workspace: Workspace,
    client: Client | None = None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, list[str]] | None = None,
    request: HttpRequest | None = None,
    label: str = "",
) -> AuditEvent:
    """Record one event a person caused (results viewed, a download…) in the workspace.

    The client defaults to the object's own; the address comes from the request. `label`
    names what was acted on when it is no single object (the audit trail's own export)."""
    actor = _user_or_none(actor)
    client = client or _client_of(obj)
    request = request or current_request()
    return AuditEvent.objects.create(
        workspace=workspace,
        client=client,
        client_name=client.name if client else "",
        actor=actor,
        actor_email=actor.email if actor else "",
        action=AuditAction(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(smart_str(obj) if obj is not None else label)[:200],
        changes=changes or {},
        ip_address=client_ip(request) if request is not None else None,
    )


def audit_sign_in(*, user: User, action: str, request: HttpRequest | None) -> int:
    """One event in each workspace the user belongs to, so each one's owners see it."""
    workspace_ids = list(
        Membership.objects.filter(user=user).values_list("workspace_id", flat=True)
    )
    ip = client_ip(request) if request is not None else None
    AuditEvent.objects.bulk_create(
        AuditEvent(
            workspace_id=workspace_id,
            actor=user,
            actor_email=user.email,
            action=AuditAction(action),
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
            object_label=user.email,
            ip_address=ip,
        )
        for workspace_id in workspace_ids
    )
    return len(workspace_ids)


# --- Model changes, copied from auditlog's entries ------------------------------------------


def audit_forget(*, obj: models.Model, label: str) -> int:
    """Strip the personal data the trail holds about one object (its name as the object,
    the old and new values of its changes), keeping the events themselves: what happened
    and when stays on record, whom it was about does not. Returns the events changed."""
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)
    ).update(object_repr=label, changes={}, changes_text="", serialized_data=None)
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).update(object_label=label[:200], changes={})


def audit_record_change(
    *, instance: models.Model, log_action: int, changes: dict, log_entry: LogEntry
) -> AuditEvent | None:
    """Copy a LogEntry into the workspace's trail, with its workspace, client and an
    action in words. Returns None for a row whose workspace is gone with it."""
    shown = _changes_display(instance, changes)
    if log_action == LogEntry.Action.UPDATE and not shown:
        return None
    deleted = log_action == LogEntry.Action.DELETE
    target = registry.target_of(instance, deleted=deleted)
    if target is None or being_deleted(registry.key(Workspace, target.workspace_id)):
        return None
    client_id = target.client_id
    if client_id is not None and being_deleted(registry.key(Client, client_id)):
        client_id = None
    action = _action_for(instance, log_action, changes)
    actor_id = log_entry.actor_id
    if actor_id is not None and being_deleted(registry.key(User, actor_id)):
        actor_id = None
    actor_email = log_entry.actor_email or ""
    if actor_id is None and action == AuditAction.INVITATION_ACCEPTED:
        # A new account accepts before it is signed in: the invitee is the actor.
        invitee = User.objects.filter(email__iexact=instance.email).first()
        actor_id, actor_email = (invitee.pk, invitee.email) if invitee else (None, "")
    return AuditEvent.objects.create(
        workspace_id=target.workspace_id,
        client_id=client_id,
        client_name=target.client_name,
        actor_id=actor_id,
        actor_email=actor_email,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_label=registry.object_label(instance, log_entry.object_repr)[:200],
        changes=shown,
        ip_address=log_entry.remote_addr,
        created_at=log_entry.timestamp,
    )


_ACTIONS = {
    LogEntry.Action.CREATE: AuditAction.CREATED,
    LogEntry.Action.UPDATE: AuditAction.CHANGED,
    LogEntry.Action.DELETE: AuditAction.DELETED,
}


def _action_for(instance: models.Model, log_action: int, changes: dict) -> AuditAction:
    if isinstance(instance, Invitation):
        if log_action == LogEntry.Action.UPDATE and "status" in changes:
            return {
                Invitation.Status.ACCEPTED: AuditAction.INVITATION_ACCEPTED,
                Invitation.Status.REVOKED: AuditAction.INVITATION_REVOKED,
            }.get(changes["status"][1], AuditAction.CHANGED)
        if log_action == LogEntry.Action.DELETE:
            return AuditAction.INVITATION_REVOKED
        # Created, or sent again (a new expiry date).
        return AuditAction.INVITATION_SENT
    if isinstance(instance, Membership):
        if log_action == LogEntry.Action.UPDATE and "role" in changes:
            return AuditAction.ROLE_CHANGED
        return {
            LogEntry.Action.CREATE: AuditAction.MEMBER_ADDED,
            LogEntry.Action.DELETE: AuditAction.MEMBER_REMOVED,
        }.get(log_action, AuditAction.CHANGED)
    if isinstance(instance, ClientAccess):
        return {
            LogEntry.Action.CREATE: AuditAction.ACCESS_GRANTED,
            LogEntry.Action.DELETE: AuditAction.ACCESS_REMOVED,
        }.get(log_action, AuditAction.ACCESS_CHANGED)
    return _ACTIONS.get(log_action, AuditAction.CHANGED)


def _changes_display(instance: models.Model, changes: dict) -> dict[str, list[str]]:
    shown = {}
    foreign: dict[str, models.Field] = {}
    for name, (old, new) in changes.items():
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete:
            continue
        if isinstance(field, models.ForeignKey):
            foreign[name] = field
        old_shown, new_shown = _value_display(field, old), _value_display(field, new)
        if old_shown != new_shown:  # "2.0000" and "2" are one value
            shown[name] = [old_shown, new_shown]
    for name, field in foreign.items():
        if name not in shown:
            continue
        # Name the related rows instead of their ids (only on a change, so rarely a query).
        ids = [v for v in changes[name] if v]
        labels = {
            str(row.pk): smart_str(row)
            for row in field.related_model._base_manager.filter(pk__in=ids)
        }
        shown[name] = [
            _cut(labels.get(str(value), text))
            for value, text in zip(changes[name], shown[name], strict=True)
        ]
    return shown


def _value_display(field: models.Field, value: Any) -> str:
    if value is None:
        return ""
    if field.choices and not isinstance(value, list | dict):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DecimalField) and isinstance(value, str | int | float):
        with suppress(InvalidOperation):
            value = format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return _cut(str(value))


def _cut(text: str) -> str:
    return text if len(text) <= VALUE_MAX_CHARS else text[: VALUE_MAX_CHARS - 1] + "…"


# --- Retention ----------------------------------------------------------------------------


def retention_days() -> int:
    return max(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS), MIN_RETENTION_DAYS)


@transaction.atomic
def audit_events_prune(*, now: datetime | None = None) -> int:
    """Delete events (and auditlog's own entries) older than the retention period."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    deleted, _by_model = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
