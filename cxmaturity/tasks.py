"""Site-wide periodic tasks. Tasks call plain functions."""

from celery import shared_task

from . import uploads


@shared_task(acks_late=True)
def uploads_sweep_orphans() -> int:
    return uploads.uploads_sweep_orphans()
