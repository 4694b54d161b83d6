"""Background analysis of uploaded transactions. Tasks load ids and call services."""

from celery import shared_task

from cxmaturity.leases import LeaseHeld


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def analysis_run_task(self, analysis_id: str) -> None:
    from . import services

    try:
        services.analysis_run(analysis_id=analysis_id)
    except LeaseHeld as held:
        # A redelivered task while a live analysis holds the lease: come back when it
        # ends, and find the analysis done, or take it over from a worker that died.
        raise self.retry(countdown=held.seconds_left + 1, max_retries=10) from held


@shared_task(acks_late=True)
def analyses_requeue_stuck() -> int:
    from . import services

    return services.analyses_requeue_stuck()


@shared_task(acks_late=True)
def uploads_expire() -> int:
    from .services import uploads

    return uploads.uploads_expire()
