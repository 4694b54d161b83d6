from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def respondent_email_send(respondent_id: str, kind: str) -> bool:
    from .models import Respondent
    from .services import respondent_email_send_now

    respondent = (
        Respondent.objects.select_related("assessment__client__workspace")
        .filter(id=respondent_id)
        .first()
    )
    return respondent is not None and respondent_email_send_now(respondent=respondent, kind=kind)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def respondents_remind_due() -> int:
    from .services import respondents_remind_due as remind

    return remind()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def roadmap_digests_send() -> int:
    from .services import roadmap_digests_send as send

    return send()
