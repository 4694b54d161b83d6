"""Campaign plan pages and documents: consultants write, viewers read and download."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import AuditAction, audit_record
from cxmaturity.forms import form_error, form_status
from cxmaturity.stored_files import stored_file_response
from kpis import services as kpi_services
from kpis.selectors import plan_active, plan_get
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view
from workspaces.selectors import client_get

from . import display, selectors, services
from .forms import ActivityFormSet, CampaignForm, DocumentRequestForm, formset_rows
from .models import CampaignPlan, Document


@workspace_view()
def campaign_list_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    priorities, stage = selectors.client_priorities(client)
    return render(
        request,
        "playbooks/campaign_list.html",
        {
            "client": client,
            "campaigns": selectors.campaign_list(
                scope=membership.scope, client=client
            ).prefetch_related("activities"),
            "priorities": priorities,
            "stage": stage,
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
    )


def _campaign_form_page(
    request: HttpRequest, membership: Membership, client, campaign: CampaignPlan | None
) -> HttpResponse:
    plan = campaign.strategy_plan if campaign is not None else plan_active(client=client)
    form = CampaignForm(
        request.POST or None,
        plan=plan,
        campaign=campaign,
        initial=CampaignForm.initial_for(campaign, client=client),
    )
    formset = ActivityFormSet(
        request.POST or None, initial=_activity_rows(campaign), prefix="activity"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            campaign = services.campaign_save(
                client=client,
                campaign=campaign,
                revision=form.cleaned_data.get("revision"),
                fields=form.campaign_input,
                activities=formset_rows(formset),
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Campaign plan saved."))
            return redirect("campaign_detail", membership.workspace_id, campaign.id)
    context = {"client": client, "campaign": campaign, "form": form, "formset": formset,
               "plan": plan, "segment_choices": _segment_choices(client)}  # fmt: skip
    status = form_status(form) if form.errors else (400 if request.method == "POST" else 200)
    return render(request, "playbooks/campaign_form.html", context, status=status)


def _activity_rows(campaign: CampaignPlan | None) -> list[dict]:
    if campaign is None:
        return []
    names = ("title", "channel", "start", "end", "owner", "budget", "actual_spend")
    return [{f: getattr(a, f) for f in names} for a in campaign.activities.all()]


def _segment_choices(client) -> list[str]:
    """The named behavioural segments of the client's latest analysis, largest first."""
    from insights.segment_names import segment_name
    from insights.selectors import latest_analysis

    analysis = latest_analysis(client)
    if analysis is None:
        return []
    segments = sorted(analysis.summary.get("segments", []), key=lambda s: -s["customers"])
    return [
        _("%(segment)s customers (%(n)d, RFM analysis of %(date)s)")
        % {
            "segment": segment_name(s["label"]),
            "n": s["customers"],
            "date": analysis.as_of.isoformat(),
        }
        for s in segments
    ]


@workspace_view(Role.CONSULTANT)
def campaign_create_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    return _campaign_form_page(request, membership, client, None)


@workspace_view(Role.CONSULTANT)
def campaign_edit_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    return _campaign_form_page(request, membership, campaign.client, campaign)


@workspace_view(Role.CONSULTANT)
@require_POST
def campaign_draft_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    try:
        campaign = services.campaign_draft(
            client=client, dimension_key=request.POST.get("dimension", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("campaign_list", membership.workspace_id, client.id)
    messages.success(request, _("Draft campaign created from the roadmap: review and adjust it."))
    return redirect("campaign_edit", membership.workspace_id, campaign.id)


@workspace_view()
def campaign_detail_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    context = display.campaign_context(campaign)
    return render(
        request,
        "playbooks/campaign_detail.html",
        {
            **context,
            "campaign": campaign,
            "documents": selectors.document_list(
                scope=membership.scope, client=campaign.client
            ).filter(campaign=campaign),
            "request_form": DocumentRequestForm(),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
    )


@workspace_view()
def campaign_results_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    """The results tab: KPIs since launch, spend, test results, status history."""
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    return _results_page(request, membership, campaign)


def _results_page(
    request: HttpRequest, membership: Membership, campaign: CampaignPlan, test_error: str = ""
) -> HttpResponse:
    return render(
        request,
        "playbooks/campaign_results.html",
        {**display.campaign_context(campaign), "campaign": campaign, "test_error": test_error,
         "can_edit": membership.has_role(Role.CONSULTANT)},
        status=400 if test_error else 200,
    )  # fmt: skip


@workspace_view(Role.CONSULTANT)
@require_POST
def campaign_test_results_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    """Test results by hand (a row per variant) or from a CSV file; all or nothing."""
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    try:
        if "file" in request.FILES:
            services.variant_results_from_csv(campaign=campaign, data=request.FILES["file"])
        else:
            rows = zip(
                *(request.POST.getlist(k) for k in ("variant", "visitors", "conversions")),
                strict=False,
            )
            services.variant_results_save(
                campaign=campaign,
                rows=[{"variant": v, "visitors": n, "conversions": c} for v, n, c in rows
                      if n.strip() or c.strip()],
            )  # fmt: skip
    except ValidationError as exc:
        return _results_page(request, membership, campaign, " ".join(exc.messages))
    messages.success(request, _("Test results saved."))
    return redirect("campaign_results", membership.workspace_id, campaign.id)


@workspace_view(Role.CONSULTANT)
def campaign_delete_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    if request.method == "POST":
        client = campaign.client
        services.campaign_delete(campaign=campaign)
        messages.success(request, _("Campaign plan deleted."))
        return redirect("campaign_list", membership.workspace_id, client.id)
    return render(
        request,
        "playbooks/campaign_delete.html",
        {
            "campaign": campaign,
            "client": campaign.client,
            "activity_count": campaign.activities.count(),
            "document_count": campaign.documents.count(),
        },
    )


@workspace_view(write_role=Role.CONSULTANT)
def document_list_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """The client's playbooks, newest first; POST queues a new version."""
    client = client_get(scope=membership.scope, client_id=client_id)
    form = DocumentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.document_request(
            client=client,
            kind=Document.Kind.PLAYBOOK,
            page_size=form.cleaned_data["page_size"],
            requested_by=request.user,
        )
        messages.success(
            request,
            _("Playbook version %(n)d is being made; this page updates until it is ready.")
            % {"n": document.version},
        )
        return redirect("document_list", membership.workspace_id, client.id)
    documents = list(selectors.document_list(scope=membership.scope, client=client))
    return render(
        request,
        "playbooks/document_list.html",
        {
            "client": client,
            "documents": documents,
            "form": form,
            "working": any(d.status in ("queued", "rendering") for d in documents),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
def document_preflight_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """Before a playbook is made: what it will include or leave out, each gap with a
    one-click fix. POST "fix" performs a fix and checks again; POST without it renders."""
    client = client_get(scope=membership.scope, client_id=client_id)
    if request.method == "POST" and "fix" in request.POST:
        return _preflight_fix(request, membership, client)
    form = DocumentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_request(
                client=client,
                kind=Document.Kind.PLAYBOOK,
                page_size=form.cleaned_data["page_size"],
                requested_by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                _("Playbook version %(n)d is being made; this page updates until it is ready.")
                % {"n": document.version},
            )
            return redirect("document_detail", membership.workspace_id, document.id)
    checklist = display.playbook_preflight(client)
    return render(
        request,
        "playbooks/document_preflight.html",
        {
            "client": client,
            "form": form,
            "checklist": checklist,
            "gaps": sum(item["status"] != display.INCLUDED for item in checklist),
        },
        status=form_status(form),
    )


def _preflight_fix(request: HttpRequest, membership: Membership, client) -> HttpResponse:
    """The pre-flight's one-click fixes that write: today, activating the client's plan."""
    kind, _sep, plan_id = request.POST["fix"].partition(":")
    try:
        plan_uuid = UUID(plan_id)
    except ValueError:
        plan_uuid = None
    if kind != "activate" or plan_uuid is None:
        return HttpResponseBadRequest(_("fix: choose one of the fixes the checklist offers."))
    plan = plan_get(scope=membership.scope, plan_id=plan_uuid)
    if plan.client_id != client.id:
        raise Http404(_("No such plan for this client."))
    kpi_services.plan_activate(plan=plan)
    messages.success(
        request, _("“%(plan)s” is now the client's active plan.") % {"plan": plan.title}
    )
    return redirect("document_preflight", membership.workspace_id, client.id)


@workspace_view(Role.CONSULTANT)
@require_POST
def campaign_document_view(request: HttpRequest, membership: Membership, campaign_id: UUID):
    campaign = selectors.campaign_get(scope=membership.scope, campaign_id=campaign_id)
    form = DocumentRequestForm(request.POST)
    page_size = form.cleaned_data["page_size"] if form.is_valid() else Document.PageSize.A4
    document = services.document_request(
        client=campaign.client,
        kind=Document.Kind.CAMPAIGN_PLAN,
        campaign=campaign,
        page_size=page_size,
        requested_by=request.user,
    )
    return redirect("document_detail", membership.workspace_id, document.id)


@workspace_view()
def document_detail_view(request: HttpRequest, membership: Membership, document_id: UUID):
    """One document's status; refreshes itself while the PDF is being made."""
    document = selectors.document_get(scope=membership.scope, document_id=document_id)
    return render(
        request,
        "playbooks/document_detail.html",
        {
            "document": document,
            "client": document.client,
            "filename": selectors.document_filename(document),
            "working": document.status in ("queued", "rendering"),
        },
    )


@workspace_view()
def document_download_view(request: HttpRequest, membership: Membership, document_id: UUID):
    document = selectors.document_get(scope=membership.scope, document_id=document_id)
    if document.status != Document.Status.DONE or not document.file:
        raise Http404(_("This document is not ready."))
    audit_record(
        actor=request.user,
        workspace=membership.workspace,
        action=AuditAction.PLAYBOOK_DOWNLOADED,
        obj=document,
        request=request,
    )
    return stored_file_response(
        document.file,
        filename=selectors.document_filename(document),
        content_type="application/pdf",
        missing=_("This document is not ready."),
    )
