"""Signal receivers: each hands what it caught to a service."""

from typing import Any

from auditlog.models import LogEntry
from auditlog.signals import post_log, pre_log
from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, pre_delete

from . import registry, services
from .context import being_deleted, deletion_finished, deletion_started
from .models import AuditAction


def connect() -> None:
    pre_log.connect(_skip_cascaded_deletion, dispatch_uid="audit-skip-cascade")
    post_log.connect(_copy_log_entry, dispatch_uid="audit-copy-log-entry")
    # Connected after auditlog's receivers, so a row leaves the set after it was logged.
    for model in [*registry.tracked_models(), *map(apps.get_model, registry.DELETION_ROOTS)]:
        uid = model._meta.label_lower
        pre_delete.connect(_deletion_started, sender=model, dispatch_uid=f"audit-start-{uid}")
        post_delete.connect(_deletion_finished, sender=model, dispatch_uid=f"audit-end-{uid}")
    user_logged_in.connect(_signed_in, dispatch_uid="audit-signed-in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit-sign-in-failed")


def _deletion_started(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    deletion_started(registry.key(sender, instance.pk))


def _deletion_finished(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    deletion_finished(registry.key(sender, instance.pk))


def _skip_cascaded_deletion(
    sender: type[models.Model], instance: models.Model, action: int, **kwargs: Any
) -> bool | None:
    """A row deleted along with its parent is part of the parent's deletion: deleting a
    client records one event, not one per respondent of each of its assessments."""
    if action == LogEntry.Action.DELETE and any(
        being_deleted(parent) for parent in registry.cascade_parents(instance)
    ):
        return False
    return None


def _copy_log_entry(
    sender: type[models.Model],
    instance: models.Model,
    action: int,
    log_entry: LogEntry | None = None,
    changes: dict | None = None,
    **kwargs: Any,
) -> None:
    if log_entry is not None:
        services.audit_record_change(
            instance=instance, log_action=action, changes=changes or {}, log_entry=log_entry
        )


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.audit_sign_in(user=user, action=AuditAction.SIGN_IN, request=request)


def _sign_in_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    from workspaces.models import User

    email = credentials.get("username") or credentials.get("email")
    user = User.objects.filter(email__iexact=email).first() if isinstance(email, str) else None
    if user is not None:
        services.audit_sign_in(user=user, action=AuditAction.SIGN_IN_FAILED, request=request)
