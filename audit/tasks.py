from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def audit_events_prune() -> int:
    from .services import audit_events_prune as prune

    return prune()
