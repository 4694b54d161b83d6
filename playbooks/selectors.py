"""Reads for campaign plans and documents, always within one workspace. What a page, the
API or a PDF shows of them is shaped in display.py."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments.models import Assessment
from assessments.results import assessment_results
from workspaces.models import Client
from workspaces.scope import ClientScope

from .models import CampaignPlan, Document


def campaign_list(*, scope: ClientScope, client: Client | None = None) -> QuerySet[CampaignPlan]:
    campaigns = scope.filter(CampaignPlan.objects.select_related("client"))
    if client is not None:
        campaigns = campaigns.filter(client=client)
    return campaigns.order_by("client__name", "created_at")


def campaign_get(*, scope: ClientScope, campaign_id: UUID) -> CampaignPlan:
    return get_object_or_404(
        scope.filter(CampaignPlan.objects.select_related("client", "strategy_plan")),
        id=campaign_id,
    )


def document_list(*, scope: ClientScope, client: Client | None = None) -> QuerySet[Document]:
    documents = scope.filter(Document.objects.select_related("client", "campaign", "requested_by"))
    if client is not None:
        documents = documents.filter(client=client)
    return documents.order_by("-requested_at")


def document_get(*, scope: ClientScope, document_id: UUID) -> Document:
    return get_object_or_404(
        scope.filter(Document.objects.select_related("client__workspace", "campaign")),
        id=document_id,
    )


def document_filename(document: Document) -> str:
    """e.g. northwind-retail-playbook-v3.pdf; a campaign plan carries the campaign's name."""
    from django.utils.text import slugify

    parts = [slugify(document.client.name)[:60] or "client"]
    if document.kind == Document.Kind.CAMPAIGN_PLAN and document.campaign:
        parts.append(slugify(document.campaign.name)[:60] or "campaign")
    else:
        parts.append("playbook")
    return "-".join(parts) + f"-v{document.version}.pdf"


def assessment_for_playbook(client: Client) -> Assessment | None:
    """The assessment the playbook reports: the latest closed one, else the latest open."""
    assessments = client.assessments.exclude(status=Assessment.Status.DRAFT).select_related(
        "version"
    )
    return (
        assessments.filter(status=Assessment.Status.CLOSED).order_by("-closed_at").first()
        or assessments.order_by("-created_at").first()
    )


def client_priorities(client: Client) -> tuple[list[dict], int | None]:
    """The priority dimensions (in priority order) and the overall stage of the assessment
    the playbook reports; nothing before anyone has submitted."""
    assessment = assessment_for_playbook(client)
    if assessment is None:
        return [], None
    results = assessment_results(assessment)
    if not results["submitted"]:
        return [], None
    ranked = [d for d in results["dimensions"] if d["priority"]]
    return sorted(ranked, key=lambda d: d["priority"]), results["overall"]["stage"]


def campaign_fields(campaign: CampaignPlan) -> dict:
    """A campaign's current values as its CampaignInput holds them (links as ids): what a
    partial change keeps and what the edit form starts from."""
    from .inputs import LINKS, field_names

    fields = {name: getattr(campaign, name) for name in field_names(typed=False)}
    for link in LINKS:
        fields[link] = list(getattr(campaign, link).values_list("id", flat=True))
    return fields
