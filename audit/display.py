"""Audit events as people read them: the page, the CSV export and the API share this."""

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent

EMPTY = "—"


# Models whose own verbose name reads badly.
_TYPE_NAMES = {"kpis.kpi": gettext_lazy("KPI")}


def object_type_label(object_type: str) -> str:
    return _object_type_label(object_type, get_language())


def field_label(object_type: str, name: str) -> str:
    return _field_label(object_type, name, get_language())


# Cached per language: a label cached in the first reader's language would be shown to all.
@cache
def _object_type_label(object_type: str, language: str | None) -> str:
    if not object_type:
        return ""
    if object_type in _TYPE_NAMES:
        return str(_TYPE_NAMES[object_type])
    try:
        return str(capfirst(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):  # a model that no longer exists
        return object_type


@cache
def _field_label(object_type: str, name: str, language: str | None) -> str:
    try:
        field = apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
    return str(capfirst(getattr(field, "verbose_name", name)))


def changes_lines(event: AuditEvent) -> list[str]:
    """["Target: 40 → 45", …], in the field order of the model."""
    return [
        f"{field_label(event.object_type, name)}: {old or EMPTY} → {new or EMPTY}"
        for name, (old, new) in event.changes.items()
    ]


def actor_display(event: AuditEvent) -> str:
    if event.actor is not None:
        return event.actor.get_full_name()
    return event.actor_email or EMPTY


def client_display(event: AuditEvent) -> str:
    return event.client.name if event.client is not None else event.client_name


def object_display(event: AuditEvent) -> str:
    kind = object_type_label(event.object_type)
    if kind and event.object_label:
        return f"{kind} · {event.object_label}"
    return kind or event.object_label


def action_display(action: str) -> str:
    try:
        return str(AuditAction(action).label)
    except ValueError:
        return action


def csv_header() -> list[str]:
    return [
        _("Time"),
        _("Actor"),
        _("Actor's email"),
        _("Action"),
        _("Client"),
        _("Object type"),
        _("Object"),
        _("Changes"),
        _("IP address"),
    ]


def csv_row(event: AuditEvent) -> list[str]:
    return [
        timezone.localtime(event.created_at).isoformat(timespec="seconds"),
        actor_display(event),
        event.actor.email if event.actor is not None else event.actor_email,
        action_display(event.action),
        client_display(event),
        object_type_label(event.object_type),
        event.object_label,
        "; ".join(changes_lines(event)),
        event.ip_address or "",
    ]
