"""The demo's roadmap, campaign plans and first playbook for Northwind Retail."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from assessments.models import Action, Assessment
from assessments.services import roadmap_suggest
from playbooks.models import CampaignPlan, CampaignStatusChange, Document
from playbooks.services import campaign_from_library, document_render, document_request
from workspaces.models import Client, User

OWNERS = ["Dana Whitfield", "Sam Okafor", "Priya Raman", "Lee Hart", "Ana Costa", "Tom Berg"]
CAMPAIGNS = [
    # dimension, owner, status
    ("strategy", "Dana Whitfield", CampaignPlan.Status.APPROVED),
    ("testing_optimisation", "Priya Raman", CampaignPlan.Status.RUNNING),
]
# The live A/B test: both variants past the planned 1,000 visitors, B clearly ahead.
TEST_RESULTS = [(1240, 99), (1228, 137)]
# Spent so far per activity of the live campaign: the pilot test ran over its budget, the
# newsletter test has booked nothing yet.
SPEND = [Decimal("2840.00"), Decimal("0.00"), Decimal("2760.00"), None]


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
            if status == CampaignPlan.Status.RUNNING:
                _live(campaign, requested_by)
    seed_playbook(client=client, requested_by=requested_by)


def _live(campaign: CampaignPlan, who: User) -> None:
    """Live for 8 weeks: approved two weeks before, its timeline from the launch, spend
    so far and the A/B test's counts."""
    now = timezone.now()
    launched = now - datetime.timedelta(weeks=8)
    campaign.status_changes.all().delete()
    CampaignStatusChange.objects.bulk_create(
        CampaignStatusChange(campaign=campaign, status=status, changed_at=at, changed_by=who)
        for status, at in [
            (CampaignPlan.Status.DRAFT, launched - datetime.timedelta(weeks=4)),
            (CampaignPlan.Status.APPROVED, launched - datetime.timedelta(weeks=2)),
            (CampaignPlan.Status.RUNNING, launched),
        ]
    )
    activities = list(campaign.activities.all())
    shift = timezone.localdate(launched) - min(a.start for a in activities)
    for activity, spent in zip(activities, SPEND, strict=False):
        activity.start += shift
        activity.end += shift
        activity.actual_spend = spent
    campaign.activities.bulk_update(activities, ["start", "end", "actual_spend"])
    campaign.test_results = {
        name: {"visitors": visitors, "conversions": conversions}
        for name, (visitors, conversions) in zip(campaign.test_variants, TEST_RESULTS, strict=False)
    }
    campaign.save(update_fields=["test_results"])


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
