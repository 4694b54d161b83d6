from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from audit.tasks import audit_events_prune
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _aged(owner, workspace, days: int) -> AuditEvent:
    event = audit_record(
        actor=owner, workspace=workspace, action=AuditAction.SIGN_IN, label=f"{days} days"
    )
    AuditEvent.objects.filter(id=event.id).update(created_at=timezone.now() - timedelta(days=days))
    return event


@pytest.mark.parametrize("setting", [400, 30])
def test_events_older_than_400_days_go_and_younger_ones_stay(settings, owner, workspace, setting):
    settings.AUDIT_RETENTION_DAYS = setting  # a lower setting never shortens the 400 days
    old, young = _aged(owner, workspace, 401), _aged(owner, workspace, 399)
    audit_events_prune()
    assert not AuditEvent.objects.filter(id=old.id).exists()
    assert AuditEvent.objects.filter(id=young.id).exists()


def test_a_longer_setting_keeps_events_longer(settings, owner, workspace):
    settings.AUDIT_RETENTION_DAYS = 800
    kept = _aged(owner, workspace, 500)
    audit_events_prune()
    assert AuditEvent.objects.filter(id=kept.id).exists()


def test_auditlogs_own_entries_are_pruned_too(workspace):
    ClientFactory(workspace=workspace, name="Old")
    ClientFactory(workspace=workspace, name="New")
    old = LogEntry.objects.get(object_repr="Old")
    LogEntry.objects.filter(id=old.id).update(timestamp=timezone.now() - timedelta(days=401))
    audit_events_prune()
    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {"New"}


def test_pruning_runs_every_day():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == audit_events_prune.name
    )
    assert entry["schedule"] <= 24 * 3600
