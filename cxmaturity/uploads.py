"""Raw uploads under uploads/ in the file store live only while a row needs them. Every path that
ends a job deletes its upload; the sweep here removes what a crash between writing a file
and committing its row (or deleting both) left behind."""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger(__name__)

UPLOADS = "uploads"


def _referenced() -> set[str]:
    """Every name under uploads/ that some row's file field holds, whatever the model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not field.many_to_many:
                names.update(
                    model._default_manager.filter(
                        **{f"{field.name}__startswith": f"{UPLOADS}/"}
                    ).values_list(field.name, flat=True)
                )
    return names


def _files(folder: str) -> list[str]:
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for sub in folders:
        found += _files(f"{folder}/{sub}")
    return found


def uploads_sweep_orphans(*, now: datetime.datetime | None = None) -> int:
    """Delete files under uploads/ that no row names and that are older than
    UPLOADS_ORPHAN_GRACE (an upload still being saved has no committed row yet). Returns
    how many were deleted."""
    now = now or timezone.now()
    oldest = now - datetime.timedelta(seconds=settings.UPLOADS_ORPHAN_GRACE)
    try:
        found = _files(UPLOADS)
    except FileNotFoundError:
        return 0  # nothing was ever uploaded
    # Listed before the rows are read: a file whose row commits meanwhile is then named.
    referenced = _referenced()
    deleted = 0
    for name in found:
        if name in referenced:
            continue
        try:
            if default_storage.get_modified_time(name) >= oldest:
                continue
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not sweep %s", name)
            continue
        deleted += 1
    return deleted
