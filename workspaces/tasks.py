from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def invitation_send(invitation_id: str) -> None:
    from .models import Invitation
    from .services import invitation_send_email

    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(id=invitation_id)
        .first()
    )
    if invitation is not None:
        invitation_send_email(invitation=invitation)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def invitations_expire() -> int:
    from .services import invitations_expire as expire

    return expire()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clients_trash_purge() -> int:
    from .services import clients_trash_purge as purge

    return purge()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def email_send(subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    from django.core.mail import send_mail

    send_mail(subject, body, None, to, html_message=html_body)


@shared_task
def ping() -> str:
    """Answered by a worker; /healthz/ uses it to know one is running."""
    return "pong"
