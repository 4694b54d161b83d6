"""Background tasks run by a real `celery worker` process on the configured broker."""

import os
import time
import uuid

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from workspaces.models import Invitation, Role
from workspaces.services import invitation_create, invitation_token

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, seconds=180.0):
    # A deadline for a broken worker, not a timing assumption: on a busy 2-core machine
    # the solo worker may still be finishing tasks queued by earlier tests.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    return None


def _worker_state(process) -> str:
    """Whether the worker is alive, and the end of its log: what a failure needs."""
    alive = "running" if process.poll() is None else f"exited with {process.returncode}"
    log = getattr(process, "log_path", None)
    tail = log.read_text()[-4000:] if log is not None and log.exists() else "(no log)"
    return f"\nworker {alive}; its log ends:\n{tail}"


def test_invitation_email_is_sent_by_a_worker_process(celery_worker_process, worker_mailbox):
    owner = MembershipFactory(role=Role.OWNER)
    invitation = invitation_create(
        workspace=owner.workspace,
        email="exec@example.com",
        role="consultant",
        invited_by=owner.user,
    )
    token = invitation_token(invitation)

    def delivered():
        return [p for p in worker_mailbox.iterdir() if token in p.read_text()]

    assert _wait_for(delivered), "the worker did not send the invitation email" + _worker_state(
        celery_worker_process
    )
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert celery_worker_process.pid != os.getpid()


def test_worker_ping_makes_healthz_report_all_up(celery_worker_process, client):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200, f"{body}{_worker_state(celery_worker_process)}"
    assert body["checks"] == {"database": "up", "broker": "up", "worker": "up"}


def test_periodic_task_expires_invitations_in_the_worker(celery_worker_process):
    from workspaces.tasks import invitations_expire

    expired = MembershipFactory(role=Role.OWNER)
    invitation = Invitation.objects.create(
        workspace=expired.workspace,
        email="late@example.com",
        expires_at="2020-01-01T00:00:00Z",
    )
    invitations_expire.delay()

    def settled():
        invitation.refresh_from_db()
        return invitation.status == Invitation.Status.EXPIRED

    assert _wait_for(settled), "the worker did not run invitations_expire" + _worker_state(
        celery_worker_process
    )


def test_respondent_invitations_sent_by_the_worker_hold_working_links(
    celery_worker_process, worker_mailbox, client
):
    from assessments.services import respondents_invite_all
    from tests.assessments.factories import open_assessment

    # A title of its own: other tests' invitations to the same factory addresses may sit
    # in the session worker's mailbox too.
    assessment = open_assessment(respondents=2, title=f"Worker links {uuid.uuid4().hex[:8]}")
    respondents_invite_all(assessment=assessment)
    emails = {r.email for r in assessment.respondents.all()}

    def delivered():
        found = {}
        for path in worker_mailbox.iterdir():
            text = path.read_text()
            for email in emails:
                if f"To: {email}" in text and "/r/" in text and assessment.title in text:
                    found[email] = text
        return found if len(found) == 2 else None

    mails = _wait_for(delivered)
    assert mails, "the worker did not send both invitations" + _worker_state(celery_worker_process)
    for text in mails.values():
        link = next(line for line in text.splitlines() if "/r/" in line).strip()
        path = link.split("localhost:8000", 1)[1]
        response = client.get(path)
        assert response.status_code == 200
        assert assessment.title in response.text
