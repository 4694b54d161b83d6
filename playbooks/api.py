"""REST API for campaign plans and the documents rendered from them (under
/api/v1/workspaces/{workspace_id}/campaigns/ and …/documents/). Serializers only shape
the input; every rule is checked by the services, which answer 400 naming the field."""

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.models import Channel
from cxmaturity.api import RefuseUnknownFields, revision_field
from cxmaturity.formats import currency_for
from workspaces.api import WorkspaceScopedViewSet, client_filter
from workspaces.models import Client
from workspaces.selectors import client_get

from . import display, selectors, services
from .inputs import LISTS, CampaignInput, field_names
from .models import CampaignActivity, CampaignPlan, Document
from .results_api import CampaignResultsOut, TestResultsIn, results_out

# --- Serializers -----------------------------------------------------------------------


class ActivityOut(serializers.ModelSerializer):
    class Meta:
        model = CampaignActivity
        fields = [
            "id", "title", "channel", "start", "end", "owner", "budget", "actual_spend", "position"
        ]  # fmt: skip


class CampaignOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    strategy_plan = serializers.UUIDField(
        source="strategy_plan_id",
        allow_null=True,
        help_text=_("The client's plan the objectives, goals and KPIs are chosen from"),
    )
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))
    tactics = serializers.ListField(child=serializers.CharField())
    test_variants = serializers.ListField(child=serializers.CharField())
    marketing_objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    digital_goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    kpis = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    activities = ActivityOut(many=True, read_only=True)

    class Meta:
        model = CampaignPlan
        fields = [
            "id",
            "client",
            "strategy_plan",
            *field_names(typed=False),
            "activities",
            "test_results",
            "created_at",
            "updated_at",
            "revision",
        ]


class ActivityIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    start = serializers.DateField()
    end = serializers.DateField()
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    actual_spend = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )


def _ids() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=500,
        help_text=_("Ids from the client's active strategy plan"),
    )


def _lines(name: str) -> serializers.ListField:
    most, length = LISTS[name]
    return serializers.ListField(
        child=serializers.CharField(max_length=length, allow_blank=True),
        required=False,
        max_length=most,
    )


class CampaignIn(RefuseUnknownFields, serializers.ModelSerializer):
    """A campaign plan's input: its columns built from the model fields (their limits show
    in OpenAPI), the lists and links as CampaignInput limits them."""

    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False, max_length=50
    )
    tactics = _lines("tactics")
    marketing_objectives = _ids()
    digital_goals = _ids()
    kpis = _ids()
    test_variants = _lines("test_variants")
    activities = ActivityIn(
        many=True,
        required=False,
        max_length=services.MAX_ACTIVITIES,
        help_text=_("The timeline; when given it replaces the whole timeline"),
    )
    revision = revision_field()

    class Meta:
        model = CampaignPlan
        fields = [*field_names(), "activities", "revision"]

    def given(self) -> dict:
        """The campaign fields given (a partial change gives only what changes)."""
        return {k: v for k, v in self.validated_data.items() if k in field_names()}

    def campaign_input(self) -> CampaignInput:
        return CampaignInput.from_values(self.given())


class CampaignCreateIn(CampaignIn):
    client = serializers.UUIDField()
    revision = None  # a new campaign starts at revision 1

    def campaign_input_for(self, client: Client) -> CampaignInput:
        """A new plan is budgeted in the client's own currency unless one is sent."""
        given = self.given()
        if not given.get("currency"):
            given["currency"] = currency_for(client)
        return CampaignInput.from_values(given)

    class Meta(CampaignIn.Meta):
        fields = ["client", *field_names(), "activities"]


class CampaignDraftIn(serializers.Serializer):
    client = serializers.UUIDField()
    dimension = serializers.SlugField(
        max_length=80, help_text=_("Key of the roadmap dimension the campaign answers")
    )


class PreflightFixOut(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField(help_text=_("The page that fixes it (absolute)"))
    method = serializers.ChoiceField(
        choices=["get", "post"], help_text=_('post: send {"fix": action} to url')
    )
    action = serializers.CharField(allow_blank=True)


class PreflightItemOut(serializers.Serializer):
    key = serializers.ChoiceField(choices=["assessment", "roadmap", "plan", "campaigns"])
    status = serializers.ChoiceField(choices=["included", "left_out", "note"])
    text = serializers.CharField()
    fix = PreflightFixOut(allow_null=True)


class DocumentOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    campaign = serializers.UUIDField(source="campaign_id", allow_null=True)
    filename = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    preflight = serializers.SerializerMethodField(
        help_text=_(
            "In the answer to a playbook request: what it includes or leaves out, each gap "
            "with a fix (as the page shows before rendering); null elsewhere"
        )
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "client",
            "campaign",
            "kind",
            "version",
            "page_size",
            "status",
            "progress",
            "error",
            "pages",
            "size",
            "sha256",
            "filename",
            "download_url",
            "requested_at",
            "finished_at",
            "preflight",
        ]

    @extend_schema_field(PreflightItemOut(many=True, allow_null=True))
    def get_preflight(self, document: Document) -> list[dict] | None:
        checklist = self.context.get("preflight")
        if checklist is None:
            return None
        request = self.context.get("request")
        absolute = request.build_absolute_uri if request is not None else str
        return [
            {**item, "fix": item["fix"] and {**item["fix"], "url": absolute(item["fix"]["url"])}}
            for item in checklist
        ]

    def get_filename(self, document: Document) -> str:
        return selectors.document_filename(document)

    def get_download_url(self, document: Document) -> str | None:
        """The PDF's address once it is done; null before."""
        if document.status != Document.Status.DONE:
            return None
        try:
            url = reverse("document_download", args=[document.client.workspace_id, document.id])
        except NoReverseMatch:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class DocumentIn(serializers.Serializer):
    client = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    campaign = serializers.UUIDField(
        required=False, allow_null=True, help_text=_("Required for a campaign plan")
    )
    page_size = serializers.ChoiceField(choices=Document.PageSize.choices, required=False)


# --- Views ------------------------------------------------------------------------------

CLIENT_FILTER = OpenApiParameter(
    "client", OpenApiTypes.UUID, description=_("Only this client's (of this workspace)")
)


def _with_links(campaigns: QuerySet[CampaignPlan]) -> QuerySet[CampaignPlan]:
    return campaigns.prefetch_related("activities", "marketing_objectives", "digital_goals", "kpis")


def _campaign_out(campaign: CampaignPlan) -> dict:
    return CampaignOut(_with_links(CampaignPlan.objects.filter(id=campaign.id)).get()).data


class CampaignViewSet(WorkspaceScopedViewSet):
    serializer_class = CampaignOut
    pk_kwarg = "campaign_id"

    def get_queryset(self) -> QuerySet[CampaignPlan]:
        return selectors.campaign_list(scope=self.scope)

    def _get(self, pk: str) -> CampaignPlan:
        return selectors.campaign_get(scope=self.scope, campaign_id=pk)

    @extend_schema(summary=_("Campaign plans"), parameters=[CLIENT_FILTER])
    def list(self, request: Request, workspace_id: str) -> Response:
        client = client_filter(self, request)
        campaigns = selectors.campaign_list(scope=self.scope, client=client)
        page = self.paginate_queryset(_with_links(campaigns))
        return self.get_paginated_response(CampaignOut(page, many=True).data)

    @extend_schema(
        summary=_("Plan a campaign for a client (links from its active strategy plan)"),
        request=CampaignCreateIn,
        responses={201: CampaignOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = CampaignCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_get(scope=self.scope, client_id=data.validated_data["client"])
        campaign = services.campaign_save(
            client=client,
            fields=data.campaign_input_for(client),
            activities=data.validated_data.get("activities"),
        )
        return Response(_campaign_out(campaign), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Draft a campaign from the roadmap library for a priority dimension"),
        request=CampaignDraftIn,
        responses={201: CampaignOut},
    )
    def draft(self, request: Request, workspace_id: str) -> Response:
        data = CampaignDraftIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_get(scope=self.scope, client_id=data.validated_data["client"])
        campaign = services.campaign_draft(
            client=client, dimension_key=data.validated_data["dimension"]
        )
        return Response(_campaign_out(campaign), status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One campaign plan with its timeline"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(_campaign_out(self._get(pk)))

    @extend_schema(
        summary=_("Change a campaign; fields not given keep their values"),
        request=CampaignIn(partial=True),
        responses=CampaignOut,
    )
    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        campaign = self._get(pk)
        data = CampaignIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        revision = self.expected_revision(dict(data.validated_data))
        campaign = services.campaign_save(
            client=campaign.client,
            fields=data.given(),
            activities=data.validated_data.get("activities"),
            campaign=campaign,
            revision=revision,
            partial=True,
        )
        return Response(_campaign_out(campaign))

    @extend_schema(
        summary=_("A campaign's results: KPIs since launch, spend, test, status history"),
        responses=CampaignResultsOut,
    )
    def results(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(results_out(self._get(pk)))

    @extend_schema(
        summary=_("Enter test results (visitors and conversions per variant), all or nothing"),
        request=TestResultsIn,
        responses=CampaignResultsOut,
    )
    def test_results(self, request: Request, workspace_id: str, pk: str) -> Response:
        campaign = self._get(pk)
        data = TestResultsIn(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.variant_results_save(
            campaign=campaign,
            rows=data.validated_data["results"],
            revision=self.expected_revision(dict(data.validated_data)),
        )
        return Response(results_out(campaign))

    @extend_schema(
        summary=_("Delete a campaign with its timeline and campaign plan PDFs"),
        responses={204: None},
    )
    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        services.campaign_delete(campaign=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentViewSet(WorkspaceScopedViewSet):
    serializer_class = DocumentOut
    pk_kwarg = "document_id"

    def get_queryset(self) -> QuerySet[Document]:
        return selectors.document_list(scope=self.scope)

    def _get(self, pk: str) -> Document:
        return selectors.document_get(scope=self.scope, document_id=pk)

    def _out(self, document: Document) -> dict:
        return DocumentOut(document, context={"request": self.request}).data

    @extend_schema(summary=_("Rendered playbooks and campaign plans"), parameters=[CLIENT_FILTER])
    def list(self, request: Request, workspace_id: str) -> Response:
        client = client_filter(self, request)
        page = self.paginate_queryset(selectors.document_list(scope=self.scope, client=client))
        return self.get_paginated_response(
            DocumentOut(page, many=True, context={"request": request}).data
        )

    @extend_schema(
        summary=_("Render the next version of a playbook or a campaign plan PDF"),
        description=_(
            "Answers at once with the queued document; poll it until `status` is `done` "
            "(then `download_url` is set) or `failed` (then `error` says why). A playbook's "
            "answer carries `preflight`: what it includes or leaves out, each gap with a fix."
        ),
        request=DocumentIn,
        responses={202: DocumentOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = DocumentIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        client = client_get(scope=self.scope, client_id=fields["client"])
        campaign = None
        if fields.get("campaign"):
            # Another client's or workspace's campaign is not confirmed to exist: the
            # service answers "campaign" for it as for none.
            campaign = (
                selectors.campaign_list(scope=self.scope, client=client)
                .filter(id=fields["campaign"])
                .first()
            )
        document = services.document_request(
            client=client,
            kind=fields["kind"],
            campaign=campaign,
            page_size=fields.get("page_size") or Document.PageSize.A4,
            requested_by=request.user,
        )
        context = {"request": request}
        if document.kind == Document.Kind.PLAYBOOK:
            context["preflight"] = display.playbook_preflight(client)
        return Response(
            DocumentOut(document, context=context).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(summary=_("One document: its rendering status, then its file"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(self._out(self._get(pk)))

    @extend_schema(summary=_("Delete a document and its file"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        services.document_delete(document=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
