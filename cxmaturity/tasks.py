"""Site-wide periodic tasks. Tasks call plain functions, imported in the task body."""

from celery import shared_task


@shared_task(acks_late=True)
def uploads_sweep_orphans() -> int:
    from . import uploads

    return uploads.uploads_sweep_orphans()
