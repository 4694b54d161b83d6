"""The demo's roadmap, campaign plans and first playbook for Northwind Retail."""

import datetime

from django.conf import settings

from assessments.models import Action, Assessment
from assessments.services import roadmap_suggest
from playbooks.models import CampaignPlan, Document
from playbooks.services import campaign_from_library, document_render, document_request
from workspaces.models import Client, User

OWNERS = ["Dana Whitfield", "Sam Okafor", "Priya Raman", "Lee Hart", "Ana Costa", "Tom Berg"]
CAMPAIGNS = [
    # dimension, owner, status
    ("strategy", "Dana Whitfield", CampaignPlan.Status.APPROVED),
    ("testing_optimisation", "Priya Raman", CampaignPlan.Status.DRAFT),
]


def _roadmap(assessment: Assessment) -> None:
    if assessment.actions.exists():
        return
    start = assessment.closed_at.date() if assessment.closed_at else datetime.date(2026, 1, 5)
    for n, action in enumerate(roadmap_suggest(assessment=assessment)):
        action.accepted = True
        action.owner_name = OWNERS[n % len(OWNERS)]
        action.due_date = start + datetime.timedelta(days=60 * (n + 1))
        if n == 0:
            action.status = Action.Status.DONE
        elif n == 1:
            action.status = Action.Status.IN_PROGRESS
        action.save()


def seed_northwind_playbook(*, client: Client, requested_by: User) -> None:
    # The playbook reports the baseline: its roadmap is accepted, so the demo's playbook
    # shows one (an unaccepted suggestion is left out of it).
    _roadmap(client.assessments.get(title="CX maturity baseline 2025"))
    if not client.campaigns.exists():
        for dimension, owner, status in CAMPAIGNS:
            campaign = campaign_from_library(client=client, dimension_key=dimension, stage=2)
            campaign.owner, campaign.status, campaign.currency = owner, status, "GBP"
            campaign.save(update_fields=["owner", "status", "currency"])
    seed_playbook(client=client, requested_by=requested_by)


def seed_playbook(*, client: Client, requested_by: User) -> None:
    """The client's first playbook, unless it has one."""
    if not Document.objects.filter(client=client, kind=Document.Kind.PLAYBOOK).exists():
        # Rendered here so `make run` opens with a finished playbook; the test suite seeds
        # often and leaves the render to a worker instead (DEMO_RENDER_PLAYBOOK=False).
        render_now = settings.DEMO_RENDER_PLAYBOOK
        document = document_request(
            client=client,
            kind=Document.Kind.PLAYBOOK,
            requested_by=requested_by,
            enqueue=not render_now,
        )
        if render_now:
            document_render(document_id=document.id)
