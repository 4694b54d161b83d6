"""Customer insight pages: upload transactions, see the segments, act on defection risk."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxmaturity.forms import form_error, form_status
from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view
from workspaces.selectors import client_get

from . import selectors, services
from .charts import comparison_bars, rf_grid
from .forms import LifetimeInputsForm, ListeningUploadForm, TransactionsUploadForm
from .models import SegmentAnalysis
from .services import defection
from .services.uploads import listening_receive


@workspace_view(write_role=Role.CONSULTANT)
def insights_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """The client's segment analyses; POST uploads transactions for a new one."""
    client = client_get(scope=membership.scope, client_id=client_id)
    form = TransactionsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_request(
                client=client,
                data=form.cleaned_data["file"].read(),
                name=form.cleaned_data["name"],
                as_of=form.cleaned_data["as_of"],
                fields={"k": form.cleaned_data["k"]},
                created_by=request.user,
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("File checked: the analysis is running."))
            return redirect("segment_analysis", membership.workspace_id, analysis.id)
    return render(
        request,
        "insights/insights.html",
        {
            "client": client,
            "form": form,
            "analyses": selectors.analysis_list(scope=membership.scope, client=client),
            "chunk_bytes": settings.INSIGHT_UPLOAD_CHUNK_BYTES,
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=form_status(form),
    )


@workspace_view(write_role=Role.CONSULTANT)
def analysis_view(request: HttpRequest, membership: Membership, analysis_id: UUID):
    """One analysis: its progress, then the grid, the segments with lifetime value and the
    customers about to defect. POST changes k and the lifetime inputs."""
    analysis = selectors.analysis_get(scope=membership.scope, analysis_id=analysis_id)
    initial = {
        "k": analysis.k,
        "lifetime_years": analysis.lifetime_years,
        "margin": analysis.margin,
        "cost": analysis.cost,
        "currency": analysis.currency,
    }
    form = LifetimeInputsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_update(analysis=analysis, fields=form.cleaned_data)
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Recomputed with the new inputs."))
            return redirect("segment_analysis", membership.workspace_id, analysis.id)
    summary = selectors.analysis_summary(analysis=analysis, scope=membership.scope)
    return render(
        request,
        "insights/analysis.html",
        {
            "analysis": analysis,
            "client": analysis.client,
            "summary": summary,
            "grid": rf_grid(summary["grid"]) if summary.get("grid") else None,
            "form": form,
            "working": analysis.status
            in (SegmentAnalysis.Status.QUEUED, SegmentAnalysis.Status.PROCESSING),
            "can_edit": membership.has_role(Role.CONSULTANT),
            "others": selectors.analysis_list(scope=membership.scope, client=analysis.client)
            .filter(status=SegmentAnalysis.Status.DONE)
            .exclude(id=analysis.id),
        },
        status=form_status(form),
    )


@workspace_view()
def analysis_at_risk_csv_view(request: HttpRequest, membership: Membership, analysis_id: UUID):
    """The whole at-risk list as a CSV download, streamed from the stored table."""
    analysis = selectors.analysis_get(scope=membership.scope, analysis_id=analysis_id)
    selectors.customer_rows_allowed(scope=membership.scope)
    if analysis.status != SegmentAnalysis.Status.DONE:
        raise Http404(_("The analysis is not done yet."))
    response = StreamingHttpResponse(
        defection.at_risk_csv(analysis), content_type="text/csv; charset=utf-8"
    )
    name = f"at-risk-{analysis.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view()
def analysis_compare_view(
    request: HttpRequest, membership: Membership, analysis_id: UUID, other_id: UUID
):
    """Two analyses of one client: who moved from each segment to each, at-risk change."""
    earlier, later = selectors.analysis_pair(
        scope=membership.scope, analysis_id=analysis_id, other_id=other_id
    )
    if not earlier.status == later.status == SegmentAnalysis.Status.DONE:
        raise Http404(_("Both analyses must be done."))
    return render(
        request,
        "insights/analysis_compare.html",
        {
            "earlier": earlier,
            "later": later,
            "client": earlier.client,
            "comparison": defection.comparison(earlier, later),
        },
    )


@workspace_view(Role.CONSULTANT)
def analysis_delete_view(request: HttpRequest, membership: Membership, analysis_id: UUID):
    analysis = selectors.analysis_get(scope=membership.scope, analysis_id=analysis_id)
    if request.method == "POST":
        client = analysis.client
        services.analysis_delete(analysis=analysis)
        messages.success(request, _("Analysis deleted, with its customer table."))
        return redirect("insights", membership.workspace_id, client.id)
    return render(
        request, "insights/analysis_delete.html", {"analysis": analysis, "client": analysis.client}
    )


@workspace_view(write_role=Role.CONSULTANT)
def listening_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """Competitor benchmarks, the latest import's state; POST imports an export."""
    from playbooks.selectors import campaign_list

    client = client_get(scope=membership.scope, client_id=client_id)
    form = ListeningUploadForm(
        request.POST or None, request.FILES or None, initial={"client_brand": client.name}
    )
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            listening_receive(
                client=client, file=file, size=file.size, fields=form.cleaned_data,
                created_by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form_error(form, exc)
        else:  # the import's card says what was stored, or how far the worker is
            return redirect("listening", membership.workspace_id, client.id)
    comparison = selectors.listening_comparison(client=client, month=request.GET.get("month"))
    if comparison:
        comparison["charts"] = comparison_bars(
            comparison["rows"], client_brand=comparison["client_brand"]
        )
    return render(
        request,
        "insights/listening.html",
        {
            "client": client,
            "chunk_bytes": settings.INSIGHT_UPLOAD_CHUNK_BYTES,
            "form": form,
            "comparison": comparison,
            "campaigns": campaign_list(scope=membership.scope, client=client),
            "job": selectors.listening_import_shown(scope=membership.scope, client=client),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
        status=form_status(form),
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def listening_tactic_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """Turn a "where competitors lead" finding into a tactic of one of the client's campaigns."""
    from playbooks import selectors as campaign_selectors
    from playbooks.services import campaign_add_tactic

    client = client_get(scope=membership.scope, client_id=client_id)
    try:
        campaign = campaign_selectors.campaign_get(
            scope=membership.scope, campaign_id=UUID(request.POST.get("campaign", ""))
        )
    except ValueError:
        campaign = None
    comparison = selectors.listening_comparison(client=client, month=request.POST.get("month"))
    findings = {f"{f['journey']}:{f['metric']}": f for f in (comparison or {}).get("findings", [])}
    finding = findings.get(request.POST.get("finding", ""))
    if campaign is None or campaign.client_id != client.id or finding is None:
        messages.error(request, _("Choose one of the client's campaigns and a listed finding."))
        return redirect("listening", membership.workspace_id, client.id)
    try:
        campaign_add_tactic(campaign=campaign, tactic=finding["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("listening", membership.workspace_id, client.id)
    messages.success(request, _("Added to the tactics of “%(name)s”.") % {"name": campaign.name})
    return redirect("campaign_detail", membership.workspace_id, campaign.id)
