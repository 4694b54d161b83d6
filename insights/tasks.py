"""Background analysis of uploaded transactions. Tasks load ids and call services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def analysis_run_task(analysis_id: str) -> None:
    services.analysis_run(analysis_id=analysis_id)


@shared_task(acks_late=True)
def analyses_requeue_stuck() -> int:
    return services.analyses_requeue_stuck()
