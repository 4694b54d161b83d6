"""Rendering runs on the `pdf` queue (CELERY_TASK_ROUTES). Tasks load ids and call services."""

from celery import shared_task

from cxmaturity.leases import LeaseHeld

from .errors import TransientRenderError


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TransientRenderError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=4,
)
def document_render_task(self, document_id: str) -> None:
    from . import services

    try:
        services.document_render(document_id=document_id)
    except LeaseHeld as held:
        # A redelivered task while a live render holds the lease: come back when it ends,
        # and find the document done, or take it over from a worker that died.
        raise self.retry(countdown=held.seconds_left + 1, max_retries=10) from held
    except TransientRenderError as exc:
        if self.request.retries >= self.max_retries:
            services.document_fail(document_id=document_id, error=str(exc))
        raise


@shared_task(acks_late=True)
def documents_requeue_stuck() -> int:
    from . import services

    return services.documents_requeue_stuck()
