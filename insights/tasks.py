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
    from .services import listening

    return services.analyses_requeue_stuck() + listening.listening_imports_requeue_stuck()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True)
def listening_import_task(self, import_id: str) -> None:
    from .services import listening

    try:
        listening.listening_import_run(import_id=import_id)
    except LeaseHeld as held:
        # As analysis_run_task: a live worker holds it; look again when its lease ends.
        raise self.retry(countdown=held.seconds_left + 1, max_retries=10) from held


@shared_task(acks_late=True)
def uploads_expire() -> int:
    from .services import uploads

    return uploads.uploads_expire()
