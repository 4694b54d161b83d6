"""Campaign plans and their documents, built through the playbooks services: a campaign
is cleaned and linked as `campaign_save` does it, a document is numbered as
`document_request` does it (no render: only the row, marked done if asked)."""

import datetime

import factory
from django.core.files.base import ContentFile

from playbooks.models import CampaignPlan, Document
from playbooks.services import campaign_save, document_request
from tests.factories import ClientFactory


def activity_rows(n: int, *, start: datetime.date = datetime.date(2026, 3, 2)) -> list[dict]:
    """n consecutive two-week activities of 500 each, as the campaign form sends them."""
    return [
        {
            "title": f"Activity {i + 1}",
            "channel": "email",
            "start": start + datetime.timedelta(days=14 * i),
            "end": start + datetime.timedelta(days=14 * i + 13),
            "budget": "500",
        }
        for i in range(n)
    ]


class CampaignFactory(factory.django.DjangoModelFactory):
    """A campaign plan of `client` (linked to its active strategy plan, if any) with
    `activities` timeline rows; extra `fields` go to `campaign_save` as the form sends them."""

    class Meta:
        model = CampaignPlan

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    journey = "shopping"
    lifecycle_stage = "purchase"
    activities = 2

    @classmethod
    def _create(cls, model_class, *, client, activities, **fields):
        rows = activity_rows(activities) if isinstance(activities, int) else activities
        return campaign_save(client=client, fields=fields, activities=rows)


class DocumentFactory(factory.django.DjangoModelFactory):
    """The next version of a playbook (or, given `campaign`, of its campaign plan PDF),
    queued by `document_request` without a task; `done=True` marks it rendered with a
    stand-in file."""

    class Meta:
        model = Document

    client = factory.SubFactory(ClientFactory)
    campaign = None
    done = True

    @classmethod
    def _create(cls, model_class, *, client, campaign, done, **fields):
        kind = Document.Kind.CAMPAIGN_PLAN if campaign else Document.Kind.PLAYBOOK
        document = document_request(
            client=client, kind=kind, campaign=campaign, enqueue=False, **fields
        )
        if done:
            document.file.save("x.pdf", ContentFile(b"%PDF-1.7 factory"), save=False)
            document.status, document.progress, document.pages = Document.Status.DONE, 100, 1
            document.size = document.file.size
            document.save()
        return document
